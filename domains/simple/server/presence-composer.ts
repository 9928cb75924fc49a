// Composition of a presentity's publications into one PIDF view (RFC 3903 §2: the ESC composes
// the event state of every publication; RFC 4479 §4.3: a compositor merges sources). Each
// source (Jane's UA = user-provided, the Presence Network Agent = network-provided) is its own
// publication with its own entity-tag and expiry, so one can lapse while the other stays.
import type { Pidf } from '../payloads/pidf.ts';

export interface SourceDocument {
  /** Entity-tag of the publication, a stable key for the source. */
  etag: string;
  doc: Pidf;
}

/**
 * Merges documents oldest first: tuples, persons and devices are kept by id, a later source
 * replacing an earlier one's element of the same id (the newer publication is the fresher
 * state); presence-level notes and extensions are concatenated.
 */
export function composePresence(entity: string, sources: readonly SourceDocument[]): Pidf {
  const tuples = new Map<string, Pidf['tuples'][number]>();
  const persons = new Map<string, Pidf['persons'][number]>();
  const devices = new Map<string, Pidf['devices'][number]>();
  const out: Pidf = { entity, tuples: [], notes: [], persons: [], devices: [], extensions: [] };
  for (const { doc } of sources) {
    for (const t of doc.tuples) tuples.set(t.id, t);
    for (const p of doc.persons) persons.set(p.id, p);
    for (const d of doc.devices) devices.set(d.id, d);
    out.notes.push(...doc.notes);
    out.extensions.push(...doc.extensions);
  }
  out.tuples = [...tuples.values()];
  out.persons = [...persons.values()];
  out.devices = [...devices.values()];
  return out;
}

/** The document a watcher gets when the presentity has published nothing (RFC 3856 §6.6.3 "neutral"). */
export function neutralPresence(entity: string): Pidf {
  return {
    entity,
    tuples: [
      {
        id: 'neutral',
        status: { basic: 'closed', extensions: [] },
        deviceIds: [],
        rpid: {},
        cipid: {},
        notes: [],
        extensions: [],
      },
    ],
    notes: [],
    persons: [],
    devices: [],
    extensions: [],
  };
}

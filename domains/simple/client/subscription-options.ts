// Jane's subscription options (docs/control-api.md "Subscription options"): an attribute subset of
// the common presence model becomes an RFC 4661 filter in the SUBSCRIBE body, and `onlyChanges`
// an Accept of application/pidf-diff+xml (RFC 5263 partial notification). PS2 applies both
// (docs/ps2.md "Filters and partial notification"); this file only builds and reads. Pure.
import { NS } from '../payloads/namespaces.ts';
import type { PayloadResult } from '../payloads/payload-error.ts';
import type { Pidf } from '../payloads/pidf.ts';
import { applyPidfDiff, PIDF_DIFF_CONTENT_TYPE, parsePidfDiff } from '../payloads/pidf-diff.ts';
import { type FilterSet, SIMPLE_FILTER_CONTENT_TYPE, serializeFilterSet } from '../payloads/simple-filter.ts';
import { NETWORK_NS } from './presence-mapping.ts';
import type { PresenceField, SubscribeOptions } from './terminal-control.ts';

const P = '/pidf:presence';
const PERSON = `${P}/dm:person`;
const BASIC = `${P}/pidf:tuple/pidf:status/pidf:basic`;

/**
 * Where each field of the common model is read from in PIDF (presence-mapping.ts, pidfToPresence):
 * the RFC 4661 §3.3 XPath includes of a filter that asks for it. `availability` is derived from
 * basic and the activities, so it needs both.
 */
export const FIELD_PATHS: Record<PresenceField, readonly string[]> = {
  basic: [BASIC],
  availability: [BASIC, `${PERSON}/rpid:activities`],
  activities: [`${PERSON}/rpid:activities`],
  mood: [`${PERSON}/rpid:mood`],
  note: [`${PERSON}/dm:note`, `${P}/pidf:note`, `${P}/pidf:tuple/pidf:note`],
  placeType: [`${PERSON}/rpid:place-type`],
  statusIcon: [`${PERSON}/rpid:status-icon`],
  network: [`${P}/pidf:tuple/np:network-provided`],
};

const BINDINGS: Record<string, string> = { pidf: NS.pidf, dm: NS.dm, rpid: NS.rpid, np: NETWORK_NS };

/** The filter-set for `fields` of the subscribed resource (`uri`), one `<filter>` with a `<what>`. */
export function filterFor(uri: string, fields: readonly PresenceField[]): FilterSet {
  const paths = [...new Set(fields.flatMap((f) => FIELD_PATHS[f]))];
  const used = new Set(paths.flatMap((p) => [...p.matchAll(/([a-z]+):/g)].map((m) => m[1]!)));
  return {
    package: 'presence',
    nsBindings: Object.entries(BINDINGS)
      .filter(([prefix]) => used.has(prefix))
      .map(([prefix, urn]) => ({ prefix, urn })),
    filters: [
      {
        id: 'control-attributes',
        uri,
        what: { includes: paths.map((value) => ({ type: 'xpath' as const, value })), excludes: [] },
        triggers: [],
        extensions: [],
      },
    ],
  };
}

/** The SUBSCRIBE's Accept, body and Content-Type for these options (list subscriptions aside). */
export function subscribeRequestParts(
  uri: string,
  options: SubscribeOptions,
): { accept: string[]; body?: string; contentType?: string } {
  const accept =
    options.onlyChanges === true
      ? [PIDF_DIFF_CONTENT_TYPE, 'application/pidf+xml']
      : ['application/pidf+xml'];
  if (options.attributes === undefined) return { accept };
  return {
    accept,
    body: serializeFilterSet(filterFor(uri, options.attributes)),
    contentType: SIMPLE_FILTER_CONTENT_TYPE,
  };
}

/** The document a watcher holds under partial notification, and its RFC 5263 version. */
export interface DiffState {
  doc?: Pidf;
  version?: number;
}

/**
 * A NOTIFY body of type application/pidf-diff+xml applied to `state` (RFC 5263 §5): full state
 * replaces, a patch must follow the held version. A failure means the watcher lost track and must
 * re-subscribe for full state.
 */
export function applyNotifyDiff(state: DiffState, body: Buffer): PayloadResult<Pidf> {
  const diff = parsePidfDiff(body);
  if (!diff.ok) return diff;
  const next = applyPidfDiff(state.doc, diff.value, state.version);
  if (!next.ok) return next;
  state.doc = next.value.doc;
  state.version = next.value.version;
  return { ok: true, value: next.value.doc };
}

// RFC 5025 §3.3 transformations: which parts of the composed document a watcher sees. Absent
// permission = not provided (RFC 5025 §3.3: "if a permission is absent, … the corresponding
// information is not to be given"). Pure: document + combined transformations → document.
import type { Pidf, Tuple } from '../payloads/pidf.ts';
import type { BooleanPermission, PresTransformations, ProvideSet } from '../payloads/pres-rules.ts';
import type { Rpid } from '../payloads/rpid.ts';

const RPID_PERMISSION: Array<[keyof Rpid, BooleanPermission]> = [
  ['activities', 'provide-activities'],
  ['class', 'provide-class'],
  ['mood', 'provide-mood'],
  ['placeIs', 'provide-place-is'],
  ['placeType', 'provide-place-type'],
  ['privacy', 'provide-privacy'],
  ['relationship', 'provide-relationship'],
  ['statusIcon', 'provide-status-icon'],
  ['sphere', 'provide-sphere'],
  ['timeOffset', 'provide-time-offset'],
];

function filterRpid(rpid: Rpid, t: PresTransformations): Rpid {
  const out: Rpid = {};
  for (const [key, permission] of RPID_PERMISSION) {
    if (rpid[key] !== undefined && t.booleans[permission] === true) {
      (out as Record<string, unknown>)[key] = rpid[key];
    }
  }
  // §3.3.6 provide-user-input: false hides it, bare keeps only the value.
  const ui = t.provideUserInput;
  if (rpid.userInput && ui !== undefined && ui !== 'false') {
    out.userInput = ui === 'bare' ? { value: rpid.userInput.value } : rpid.userInput;
  }
  return out;
}

function schemeOf(uri: string): string {
  const i = uri.indexOf(':');
  return i < 0 ? '' : uri.slice(0, i).toLowerCase();
}

/** §3.3.1: a tuple is provided when `all`, or when any selector names it. */
function serviceAdmitted(t: Tuple, set: ProvideSet | undefined): boolean {
  if (!set) return false;
  if (set.all) return true;
  const uri = t.contact?.uri;
  if (uri !== undefined && set.serviceUris.includes(uri)) return true;
  if (uri !== undefined && set.serviceUriSchemes.map((s) => s.toLowerCase()).includes(schemeOf(uri)))
    return true;
  if (set.occurrenceIds.includes(t.id)) return true;
  if (t.rpid.class !== undefined && set.classes.includes(t.rpid.class)) return true;
  return false;
}

function admitted(id: string, rpid: Rpid, set: ProvideSet | undefined, deviceId?: string): boolean {
  if (!set) return false;
  if (set.all) return true;
  if (set.occurrenceIds.includes(id)) return true;
  if (rpid.class !== undefined && set.classes.includes(rpid.class)) return true;
  return deviceId !== undefined && set.deviceIds.includes(deviceId);
}

/** Applies a watcher's transformations to the composed document. */
export function applyTransformations(doc: Pidf, t: PresTransformations): Pidf {
  const notes = t.booleans['provide-note'] === true;
  const deviceIds = t.booleans['provide-deviceID'] === true;
  return {
    entity: doc.entity,
    notes: notes ? doc.notes : [],
    extensions: t.provideAllAttributes ? doc.extensions : [],
    tuples: doc.tuples
      .filter((x) => serviceAdmitted(x, t.provideServices))
      .map((x) => ({
        ...x,
        rpid: filterRpid(x.rpid, t),
        notes: notes ? x.notes : [],
        deviceIds: deviceIds ? x.deviceIds : [],
        // Extension elements (e.g. the PNA's network-provided element) need provide-all-attributes
        // or an unknown-attribute permission; the lab treats them as all-or-nothing.
        extensions: t.provideAllAttributes ? x.extensions : [],
      })),
    persons: doc.persons
      .filter((p) => admitted(p.id, p.rpid, t.providePersons))
      .map((p) => ({
        ...p,
        rpid: filterRpid(p.rpid, t),
        notes: notes ? p.notes : [],
        extensions: t.provideAllAttributes ? p.extensions : [],
      })),
    devices: doc.devices
      .filter((d) => admitted(d.id, d.rpid, t.provideDevices, d.deviceId))
      .map((d) => ({
        ...d,
        rpid: filterRpid(d.rpid, t),
        notes: notes ? d.notes : [],
        extensions: t.provideAllAttributes ? d.extensions : [],
      })),
  };
}

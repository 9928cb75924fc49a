// Value tables of the presence mapping: the tokens on each side and how they pair. Data only;
// the row table (presence-rows.ts) states fidelity and the clause, the mappers use these maps.
import { ACTIVITIES, MOODS } from '../../../domains/simple/payloads/rpid.ts';

/** imps.md §4.2 UserAvailability values. */
export const USER_AVAILABILITY = ['AVAILABLE', 'DISCREET', 'NOT_AVAILABLE'] as const;
export type UserAvailabilityValue = (typeof USER_AVAILABILITY)[number];

/**
 * UserAvailability → RPID activities (simple.md §9.2; RFC 7248 §3.3 maps XMPP "no <show/>" to
 * no activity, "dnd" to busy and "away" to away — IMPS DISCREET is the dnd of imps.md §4.2).
 */
export const AVAILABILITY_TO_ACTIVITIES: Record<UserAvailabilityValue, string[]> = {
  AVAILABLE: [],
  DISCREET: ['busy'],
  NOT_AVAILABLE: ['away'],
};

/** RFC 4480 §3.2 activities that mean "not reachable now"; they collapse to NOT_AVAILABLE. */
export const NOT_AVAILABLE_ACTIVITIES: readonly string[] = [
  'away',
  'holiday',
  'vacation',
  'sleeping',
  'permanent-absence',
];

/** Every other RFC 4480 activity means "there but occupied": DISCREET (imps.md §12). */
export const DISCREET_ACTIVITIES: readonly string[] = ACTIVITIES.filter(
  (a) => !NOT_AVAILABLE_ACTIVITIES.includes(a),
);

/** Activities → one UserAvailability: the least available wins (a person away and on a meal is away). */
export function collapseActivities(
  values: readonly string[],
  others: number,
): UserAvailabilityValue | undefined {
  if (values.some((v) => NOT_AVAILABLE_ACTIVITIES.includes(v))) return 'NOT_AVAILABLE';
  if (values.length > 0 || others > 0) return 'DISCREET';
  return undefined;
}

/**
 * IMPS StatusMood tokens (imps.md §4.2) are the upper-case RFC 4480 mood names; RFC 4480 has a
 * counterpart for all eleven listed ones. Any other text rides in <rpid:other>.
 */
export function moodToRpid(value: string): { token: string } | { other: string } {
  const lower = value.toLowerCase();
  return (MOODS as readonly string[]).includes(lower) && value === value.toUpperCase()
    ? { token: lower }
    : { other: value };
}

export function rpidToMood(token: string): string {
  return token.toUpperCase();
}

/** imps.md §4.2 ClientType values; RFC 4480 §3.2 <class> is a free token and carries them lower-cased. */
export const CLIENT_TYPES = ['MOBILE_PHONE', 'COMPUTER', 'PDA', 'CLI', 'OTHER'] as const;

/** ClientType → RFC 5196 §3.2.1 <caps:mobility> (a CLI or OTHER client says nothing). */
export const CLIENT_TYPE_MOBILITY: Record<string, 'mobile' | 'fixed' | undefined> = {
  MOBILE_PHONE: 'mobile',
  PDA: 'mobile',
  COMPUTER: 'fixed',
};

/**
 * CommC Cap → how the service tuple says what it is. RFC 5196 §3.2 boolean media capabilities
 * where one exists (message, audio, video); otherwise the URI scheme the service is reached by
 * (<caps:schemes>, RFC 5196 §3.2.14): sms: (RFC 5724), mms:, mailto: (RFC 6068).
 */
export interface CapShape {
  booleans: Array<'message' | 'audio' | 'video'>;
  scheme?: string;
}
export const CAP_SHAPES: Record<string, CapShape> = {
  IM: { booleans: ['message'] },
  CALL: { booleans: ['audio'] },
  VIDEO_CALL: { booleans: ['audio', 'video'] },
  VIDEO_STREAM: { booleans: ['video'] },
  SMS: { booleans: [], scheme: 'sms' },
  MMS: { booleans: [], scheme: 'mms' },
  EMAIL: { booleans: [], scheme: 'mailto' },
};
/** 1.1 token that shares a shape with a newer one (imps.md §4.2): comes back as CALL. */
export const CAP_ALIASES: Record<string, string> = { AUDIO_CALL: 'CALL' };

/** Reads a service tuple's shape back to a Cap; first exact match in table order. */
export function capFromShape(
  booleans: Partial<Record<string, boolean>>,
  schemes: string[],
): string | undefined {
  for (const [cap, shape] of Object.entries(CAP_SHAPES)) {
    if (shape.scheme !== undefined) {
      if (schemes.includes(shape.scheme)) return cap;
      continue;
    }
    const on = (['message', 'audio', 'video'] as const).filter((b) => booleans[b] === true);
    if (on.length === shape.booleans.length && on.every((b) => shape.booleans.includes(b))) return cap;
  }
  return undefined;
}

/** Contact URI scheme → Cap, for foreign tuples without caps (RFC 3863 §4.1.5 <contact>). */
export const SCHEME_TO_CAP: Record<string, string> = {
  sip: 'IM',
  sips: 'IM',
  im: 'IM',
  pres: 'IM',
  xmpp: 'IM',
  tel: 'CALL',
  sms: 'SMS',
  mms: 'MMS',
  mailto: 'EMAIL',
};

/** imps.md §4.2 TimeZone "+02" (UTC offset text) → RFC 4480 §3.2 time-offset minutes. */
export function zoneToMinutes(zone: string): number | undefined {
  const m = /^(?:UTC|GMT)?\s*([+-])(\d{1,2})(?::?(\d{2}))?$/i.exec(zone.trim());
  if (!m) return undefined;
  const hours = Number(m[2]);
  const minutes = m[3] === undefined ? 0 : Number(m[3]);
  if (hours > 14 || minutes > 59) return undefined;
  return (m[1] === '-' ? -1 : 1) * (hours * 60 + minutes);
}

/** Minutes → the canonical IMPS zone text: `+02`, `-03:30`. */
export function minutesToZone(total: number): string {
  const sign = total < 0 ? '-' : '+';
  const abs = Math.abs(total);
  const h = String(Math.floor(abs / 60)).padStart(2, '0');
  const m = abs % 60;
  return m === 0 ? `${sign}${h}` : `${sign}${h}:${String(m).padStart(2, '0')}`;
}

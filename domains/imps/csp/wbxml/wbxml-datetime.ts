// CSP date-time as WBXML OPAQUE (imps.md §9 "Data typing"): 6 bytes = 2 reserved bits, year 12,
// month 4, day 5, hour 5, minute 6, second 6, then one time-zone byte (military letter, 'Z' =
// UTC, 0 = none). Example: 20010925T165859Z -> C3 06 1F 46 73 0E BB 5A.

const ISO_BASIC = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})([A-Z]?)$/;

/** The 6 OPAQUE bytes for `yyyymmddThhmmss[letter]`, or undefined when the text has another form. */
export function encodeDateTime(text: string): number[] | undefined {
  const m = ISO_BASIC.exec(text);
  if (m === null) return undefined;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = Number(m[4]);
  const min = Number(m[5]);
  const sec = Number(m[6]);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || min > 59 || sec > 59) return undefined;
  const zone = m[7] === '' || m[7] === undefined ? 0 : m[7].charCodeAt(0);
  return [
    year >> 6,
    ((year & 0x3f) << 2) | (month >> 2),
    ((month & 0x3) << 6) | (day << 1) | (hour >> 4),
    ((hour & 0xf) << 4) | (min >> 2),
    ((min & 0x3) << 6) | sec,
    zone,
  ];
}

function two(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** `yyyymmddThhmmss[letter]` from 6 OPAQUE bytes at `start`, or undefined if they are not a date. */
export function decodeDateTime(b: Uint8Array, start: number, length: number): string | undefined {
  if (length !== 6) return undefined;
  const b0 = b[start]!;
  const b1 = b[start + 1]!;
  const b2 = b[start + 2]!;
  const b3 = b[start + 3]!;
  const b4 = b[start + 4]!;
  const zone = b[start + 5]!;
  if ((b0 & 0xc0) !== 0) return undefined;
  const year = (b0 << 6) | (b1 >> 2);
  const month = ((b1 & 0x3) << 2) | (b2 >> 6);
  const day = (b2 >> 1) & 0x1f;
  const hour = ((b2 & 0x1) << 4) | (b3 >> 4);
  const min = ((b3 & 0xf) << 2) | (b4 >> 6);
  const sec = b4 & 0x3f;
  if (month < 1 || month > 12 || day < 1 || hour > 23 || min > 59 || sec > 59) return undefined;
  if (zone !== 0 && (zone < 0x41 || zone > 0x5a)) return undefined;
  const y = String(year).padStart(4, '0');
  return `${y}${two(month)}${two(day)}T${two(hour)}${two(min)}${two(sec)}${zone === 0 ? '' : String.fromCharCode(zone)}`;
}

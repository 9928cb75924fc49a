// Loads the RFC 4475 corpus copied under tests/fixtures/sip-torture-rfc4475 (never /work/shared).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const TORTURE_DIR = join(import.meta.dirname, '../../../../../fixtures/sip-torture-rfc4475');

export function torture(name: string): Buffer {
  return readFileSync(join(TORTURE_DIR, `${name}.dat`));
}

export function tortureNames(): string[] {
  return readdirSync(TORTURE_DIR)
    .filter((f) => f.endsWith('.dat'))
    .map((f) => f.slice(0, -4))
    .sort();
}

/** Files the table calls valid (13 of §3.1.1 plus inv2543) and semantic (§3.3) that parse. */
export const DECODABLE = [
  'wsinv',
  'intmeth',
  'esc01',
  'escnull',
  'esc02',
  'lwsdisp',
  'longreq',
  'dblreq',
  'semiuri',
  'transports',
  'mpart01',
  'unreason',
  'noreason',
  'inv2543',
  'baddate',
  'badbranch',
  'insuf',
  'unkscm',
  'novelsc',
  'unksm2',
  'bext01',
  'invut',
  'regaut01',
  'multi01',
  'bcast',
  'zeromf',
  'cparam01',
  'cparam02',
  'regescrt',
  'sdp01',
];

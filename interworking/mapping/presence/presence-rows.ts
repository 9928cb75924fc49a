// The presence mapping as data (imps.md §4 ⇄ simple.md §2, §9.2): one row per rule, each with
// the IMPS side, the SIMPLE side, the fidelity, the clause it rests on and a worked example.
// The mappers (imps-to-pidf.ts, pidf-to-imps.ts) report the ids of the rows that decided; the
// per-row tests run each example, and docs/mapping.md renders this table.
//
// Examples: IMPS → SIMPLE rows give a PresenceSubList and a fragment the rendered PIDF must
// contain; SIMPLE → IMPS rows give the children of a <presence> (prefixes dm, rpid, c, caps, gp,
// gml, gs, cl, wvp as in renderPidf) and the whole PresenceSubList expected back.
import type { PresenceSubList } from '../../../domains/imps/csp/model/presence-attributes.ts';
import { IMPS_TO_SIMPLE_ROWS } from './presence-rows-imps.ts';
import { SIMPLE_TO_IMPS_ROWS } from './presence-rows-simple.ts';

export interface PresenceRow {
  id: string;
  direction: 'imps→simple' | 'simple→imps';
  /** The IMPS presence attribute (imps.md §4.2 element name). */
  attribute: string;
  imps: string;
  simple: string;
  fidelity: 'lossless' | 'lossy' | 'none';
  /** The spec clause the rule rests on. */
  clause: string;
  note: string;
  example: { imps: PresenceSubList; pidf: string };
}

export const PRESENCE_ROWS: readonly PresenceRow[] = [...IMPS_TO_SIMPLE_ROWS, ...SIMPLE_TO_IMPS_ROWS];

// The message rows as a section of docs/mapping.md (rendered by ../render-matrix.ts).
import { md } from '../presence/presence-matrix.ts';
import type { MatrixSection } from '../render-matrix.ts';
import { MESSAGE_ROWS } from './message-rows.ts';

const section = (title: string, prefix: RegExp, intro: string): MatrixSection => ({
  title,
  intro,
  headers: ['row', 'direction', 'IMPS', 'SIMPLE', 'fidelity', 'clause', 'note'],
  rows: MESSAGE_ROWS.filter((r) => prefix.test(r.id)).map((r) =>
    [r.id, r.direction, r.imps, r.simple, r.fidelity, r.clause, r.note].map(md),
  ),
});

export const MESSAGE_SECTIONS: readonly MatrixSection[] = [
  section(
    'Instant messages: SendMessage ⇄ MESSAGE',
    /^I[MN]\d/,
    [
      '`interworking/mapping/message/send-message-to-sip.ts` (IM rows) and `sip-message-to-imps.ts` (IN rows):',
      'bodies, content types and charsets, CPIM and the IMDN request. CPIM and IMDN are built and read with',
      "the payloads' `cpim` and `imdn` codecs; `MessageCorrelation` links the IMPS MessageID, the SIP",
      'Call-ID and the imdn.Message-ID of each message in flight.',
    ].join('\n'),
  ),
  section(
    'Instant messages: DeliveryReport ⇄ IMDN',
    /^DR\d/,
    '`interworking/mapping/message/delivery-report.ts`: delivery notifications both ways (RFC 5438 §7).',
  ),
  section(
    'Instant messages: final outcomes (offline, undeliverable)',
    /^X\d/,
    [
      "A MESSAGE's final response and PS1's Result, through the status rows above (the rows reported",
      'are the X row and the status row, e.g. `X3` + `E11` for 480 → 533).',
    ].join('\n'),
  ),
];

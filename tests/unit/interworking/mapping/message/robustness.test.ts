import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SequentialIdSource } from '../../../../../common/ids.ts';
import { sendMessageToSip } from '../../../../../interworking/mapping/message/send-message-to-sip.ts';
import { sipMessageToImps } from '../../../../../interworking/mapping/message/sip-message-to-imps.ts';

// Hostile MESSAGEs and SendMessages: random bytes, content types and CPIM fragments. The
// mappers answer with a mapped value or a SIP refusal (4xx + reason), never a throw.

function rng(seed: number) {
  let s = seed;
  return () => {
    s = (s * 16807) % 2147483647;
    return s / 2147483647;
  };
}

const TYPES = [
  undefined,
  'text/plain',
  'text/plain; charset=utf-16',
  'text/plain; charset="nope"',
  'message/cpim',
  'message/cpim; x=',
  ';;;',
  'image/png',
  'application/im-iscomposing+xml',
  '',
];
const CPIM_BITS = [
  'From: <sip:a@b>\r\n',
  'NS: imdn <urn:ietf:params:imdn>\r\n',
  '\r\n',
  'Content-Type: message/imdn+xml\r\n',
  'imdn.Message-ID: x\r\n',
  '<imdn xmlns="urn:ietf:params:xml:ns:imdn">',
  '\u00ff\u0000',
];

describe('message mapping robustness (seeded)', () => {
  it('incoming MESSAGEs: a value or a 4xx refusal, never a throw (500 seeds)', () => {
    for (let seed = 1; seed <= 500; seed++) {
      const r = rng(seed);
      const type = TYPES[Math.floor(r() * TYPES.length)];
      const body =
        r() < 0.5
          ? Buffer.from(Array.from({ length: Math.floor(r() * 60) }, () => Math.floor(r() * 256)))
          : Buffer.from(
              Array.from(
                { length: 1 + Math.floor(r() * 8) },
                () => CPIM_BITS[Math.floor(r() * CPIM_BITS.length)],
              ).join(''),
              'latin1',
            );
      const out = sipMessageToImps({
        from: r() < 0.9 ? 'sip:jane@domain2.lab' : 'mailto:x',
        to: 'sip:harry@domain1.lab',
        ...(type === undefined ? {} : { contentType: type }),
        body,
      });
      if (out.kind === 'refused')
        assert.ok(out.refusal.status >= 400 && out.refusal.status < 500, `seed ${seed}`);
    }
  });

  it('outgoing SendMessages with odd content: messages or per-recipient failures, never a throw', () => {
    for (const contentType of [undefined, 'x', 'image/png', 'text/html; charset=koi8-r']) {
      for (const contentEncoding of [undefined, 'BASE64', 'base64', 'None']) {
        const r = sendMessageToSip(
          {
            deliveryReport: true,
            messageInfo: {
              contentSize: 3,
              ...(contentType === undefined ? {} : { contentType }),
              ...(contentEncoding === undefined ? {} : { contentEncoding }),
              recipient: { users: [{ userId: 'wv:jane@domain2.lab' }, {}] },
              sender: { user: { userId: 'wv:harry@domain1.lab' } },
            },
            contentData: '\uD800!*',
          },
          { ids: new SequentialIdSource(), now: '2026-11-24T04:00:00Z' },
        );
        assert.equal(r.messages.length + r.failures.length, 2);
      }
    }
  });
});

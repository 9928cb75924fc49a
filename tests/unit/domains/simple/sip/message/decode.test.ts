import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decodeSipMessage } from '../../../../../../domains/simple/sip/message/decode.ts';
import { encodeSipMessage } from '../../../../../../domains/simple/sip/message/encode.ts';
import { SIP_ERRORS } from '../../../../../../domains/simple/sip/message/errors.ts';
import type { SipMessage, SipRequest } from '../../../../../../domains/simple/sip/message/sip-message.ts';
import { SipStreamFramer } from '../../../../../../domains/simple/sip/message/stream-framer.ts';
import { formatUri } from '../../../../../../domains/simple/sip/message/uri-codec.ts';
import { DECODABLE, torture, tortureNames } from './torture-corpus.ts';

const OPTIONS = [
  'OPTIONS sip:bob@example.com SIP/2.0',
  'Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK776asdhds',
  'Max-Forwards: 70',
  'To: <sip:bob@example.com>',
  'From: "Alice" <sip:alice@example.com>;tag=1928301774',
  'Call-ID: a84b4c76e66710@127.0.0.1',
  'CSeq: 63104 OPTIONS',
  'Content-Length: 0',
  '',
  '',
].join('\r\n');

function req(text: string, datagram = false): SipRequest {
  const r = decodeSipMessage(Buffer.from(text, 'utf8'), { datagram });
  if (!r.ok) assert.fail(`expected to decode: ${r.error.code}`);
  assert.equal(r.message.kind, 'request');
  return r.message as SipRequest;
}

function code(text: string | Buffer, options = {}): string {
  const r = decodeSipMessage(typeof text === 'string' ? Buffer.from(text, 'utf8') : text, options);
  return r.ok ? 'decoded' : r.error.code;
}

function startLine(m: SipMessage): string {
  return m.kind === 'request'
    ? `${m.method} ${formatUri(m.uri)} ${m.version}`
    : `${m.version} ${m.status} ${m.reason}`;
}

/** Seeded PRNG (mulberry32) so the fuzz cases are the same on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('decodeSipMessage: grammar', () => {
  test('a plain OPTIONS decodes with its structured views', () => {
    const m = req(OPTIONS);
    assert.equal(m.method, 'OPTIONS');
    assert.equal(formatUri(m.uri), 'sip:bob@example.com');
    assert.equal(m.callId, 'a84b4c76e66710@127.0.0.1');
    assert.equal(m.from.displayName, 'Alice');
    assert.equal(m.fromTag, '1928301774');
    assert.equal(m.toTag, undefined);
    assert.equal(m.topVia?.port, 5060);
    assert.equal(m.maxForwards, 70);
    assert.equal(m.body.length, 0);
  });

  test('compact forms and any case of a name give the canonical name', () => {
    const m = req(
      OPTIONS.replace('Call-ID:', 'i:')
        .replace('To:', 'T:')
        .replace('Via:', 'vIA :')
        .replace('Content-Length:', 'l:')
        .replace('CSeq:', 'cseq:'),
    );
    assert.deepEqual(
      m.headers.all.map((f) => f.name),
      ['Via', 'Max-Forwards', 'To', 'From', 'Call-ID', 'CSeq', 'Content-Length'],
    );
  });

  test('folded lines become one value with single spaces', () => {
    const m = req(
      OPTIONS.replace('Max-Forwards: 70', 'Subject: first\r\n  second\r\n\tthird\r\nMax-Forwards: 70'),
    );
    assert.equal(m.headers.get('Subject'), 'first second third');
  });

  test('CRLFs before the start line are ignored (RFC 3261 §7.5)', () => {
    assert.equal(req(`\r\n\r\n${OPTIONS}`).method, 'OPTIONS');
  });

  test('Content-Length counts bytes, not characters', () => {
    const body = 'héllo ✓';
    const text = OPTIONS.replace(
      'Content-Length: 0',
      `Content-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(body)}`,
    );
    const m = req(text + body);
    assert.equal(m.body.toString('utf8'), body);
  });

  test('a plain Uint8Array is read as bytes', () => {
    const bytes = new Uint8Array(Buffer.from(OPTIONS));
    assert.equal(code(bytes as Buffer), 'decoded');
  });

  test('bytes after Content-Length: ignored in a datagram', () => {
    const m = req(`${OPTIONS}garbage`, true);
    assert.equal(m.body.length, 0);
  });

  test('stream mode requires Content-Length', () => {
    assert.equal(code(OPTIONS.replace('Content-Length: 0\r\n', '')), 'SIP_ERR_MISSING_CONTENT_LENGTH');
    assert.equal(code(OPTIONS.replace('Content-Length: 0\r\n', ''), { datagram: true }), 'decoded');
  });

  test('faults of the framing and the start line', () => {
    assert.equal(code(''), 'SIP_ERR_EMPTY_MESSAGE');
    assert.equal(code('\r\n\r\n'), 'SIP_ERR_EMPTY_MESSAGE');
    assert.equal(code(OPTIONS.slice(0, -2)), 'SIP_ERR_MISSING_HEADER_TERMINATOR');
    assert.equal(code(OPTIONS.replace('SIP/2.0\r\n', 'SIP/2.0x\r\n')), 'SIP_ERR_MALFORMED_REQUEST_LINE');
    assert.equal(code(OPTIONS.replace('SIP/2.0\r\n', 'SIP/3.0\r\n')), 'SIP_ERR_VERSION_NOT_SUPPORTED');
    assert.equal(code(OPTIONS.replace('OPTIONS sip', 'OPT(ONS sip')), 'SIP_ERR_MALFORMED_REQUEST_LINE');
    assert.equal(code(OPTIONS.replace('Max-Forwards: 70', 'Max-Forwards 70')), 'SIP_ERR_MALFORMED_HEADER');
    assert.equal(
      code(OPTIONS.replace('Max-Forwards: 70\r\n', 'Max-Forwards: 70\n')),
      'SIP_ERR_MALFORMED_HEADER',
    );
    assert.equal(code(OPTIONS.replace('Max-Forwards: 70', 'Max-Forwards: 7\r0')), 'SIP_ERR_MALFORMED_HEADER');
    assert.equal(code(OPTIONS.replace('\r\nVia', '\r\n Via')), 'SIP_ERR_MALFORMED_HEADER');
  });

  test('faults of the core headers name the header', () => {
    const cases: Array<[string, string, string]> = [
      ['Max-Forwards: 70', 'Max-Forwards: 256', 'SIP_ERR_MALFORMED_MAX_FORWARDS'],
      ['Max-Forwards: 70', 'Max-Forwards: -1', 'SIP_ERR_MALFORMED_MAX_FORWARDS'],
      ['CSeq: 63104 OPTIONS', 'CSeq: 4294967296 OPTIONS', 'SIP_ERR_CSEQ_OUT_OF_RANGE'],
      ['CSeq: 63104 OPTIONS', 'CSeq: 63104', 'SIP_ERR_MALFORMED_CSEQ'],
      ['CSeq: 63104 OPTIONS', 'CSeq: 63104 INVITE', 'SIP_ERR_CSEQ_METHOD_MISMATCH'],
      ['Call-ID: a84b4c76e66710@127.0.0.1', 'Call-ID: a@b@c', 'SIP_ERR_MALFORMED_CALL_ID'],
      ['Call-ID: a84b4c76e66710@127.0.0.1', 'Call-ID: a b', 'SIP_ERR_MALFORMED_CALL_ID'],
      ['To: <sip:bob@example.com>', 'To: <sip:bob@exa mple.com>', 'SIP_ERR_MALFORMED_TO'],
      ['To: <sip:bob@example.com>', 'To: <sip:bob@example.com>;tag', 'decoded'],
      ['To: <sip:bob@example.com>', 'To: <sip:bob@example.com>;tag=', 'SIP_ERR_MALFORMED_TO'],
      ['Via: SIP/2.0/UDP 127.0.0.1:5060', 'Via: SIP/2.0/UDP 127.0.0.1:99999', 'SIP_ERR_MALFORMED_VIA'],
      [
        'Via: SIP/2.0/UDP 127.0.0.1:5060',
        'Via: SIP/2.0/UDP 127.0.0.1:5060;received=host',
        'SIP_ERR_MALFORMED_VIA',
      ],
      ['Via: SIP/2.0/UDP 127.0.0.1:5060', 'Via: SIP/2.0/UDP 127.0.0.1:5060;rport;received=::1', 'decoded'],
      ['Via: SIP/2.0/UDP 127.0.0.1:5060', 'Via: SIP/2.0/UDP [::1]:5060', 'decoded'],
      ['Via: SIP/2.0/UDP 127.0.0.1:5060', 'Via: SIP/2.0/UDP [::1:5060', 'SIP_ERR_MALFORMED_VIA'],
      ['Content-Length: 0', 'Content-Length: 0x10', 'SIP_ERR_MALFORMED_CONTENT_LENGTH'],
      ['Content-Length: 0', 'Contact: *\r\nContent-Length: 0', 'decoded'],
      ['Content-Length: 0', 'Contact: *, <sip:a@b>\r\nContent-Length: 0', 'SIP_ERR_MALFORMED_CONTACT'],
      ['Content-Length: 0', 'Contact: <sip:a@b>;q=2\r\nContent-Length: 0', 'SIP_ERR_MALFORMED_CONTACT'],
      ['Content-Length: 0', 'Route: sip:a@b\r\nContent-Length: 0', 'SIP_ERR_MALFORMED_ROUTE'],
      [
        'Content-Length: 0',
        'Record-Route: <sip:a@b;lr>,<x>\r\nContent-Length: 0',
        'SIP_ERR_MALFORMED_RECORD_ROUTE',
      ],
    ];
    for (const [from, to, expected] of cases) {
      assert.equal(code(OPTIONS.replace(from, to)), expected, to);
    }
  });

  test('the first fault in wire order is the answer, with the headers read so far', () => {
    const r = decodeSipMessage(
      Buffer.from(OPTIONS.replace('Max-Forwards: 70', 'Max-Forwards: 999').replace('CSeq: 63104', 'CSeq: x')),
    );
    assert.ok(!r.ok);
    assert.equal(r.error.code, 'SIP_ERR_MALFORMED_MAX_FORWARDS');
    assert.equal(r.error.isRequest, true);
    assert.equal(r.error.method, 'OPTIONS');
    assert.equal(r.error.headers?.get('Call-ID'), 'a84b4c76e66710@127.0.0.1');
    assert.equal(r.error.headers?.getFields('Via').length, 1);
  });

  test('invalid UTF-8 in the header section → 400 Invalid UTF-8', () => {
    const bytes = Buffer.concat([
      Buffer.from(OPTIONS.slice(0, 40)),
      Buffer.from([0xc3, 0x28]),
      Buffer.from(OPTIONS.slice(40)),
    ]);
    assert.equal(code(bytes), 'SIP_ERR_INVALID_UTF8');
  });

  test('size limits map to 513 entries, never to a crash', () => {
    const big =
      OPTIONS.replace('Content-Length: 0', `Content-Type: text/plain\r\nContent-Length: 2000`) +
      'x'.repeat(2000);
    const r = decodeSipMessage(Buffer.from(big), { maxMessageBytes: 1000 });
    assert.ok(!r.ok);
    assert.equal(r.error.code, 'SIP_ERR_MESSAGE_TOO_LARGE');
    assert.equal(r.error.status, 513);
    const many = OPTIONS.replace('Max-Forwards: 70', `${'X-A: 1\r\n'.repeat(20)}Max-Forwards: 70`);
    assert.equal(code(many, { maxHeaders: 10 }), 'SIP_ERR_TOO_MANY_HEADERS');
    assert.equal(code(many, { maxHeaders: 40 }), 'decoded');
    assert.equal(code(`${OPTIONS.slice(0, 40)}${'y'.repeat(70_000)}`), 'SIP_ERR_MESSAGE_TOO_LARGE');
  });

  test('a status line needs 3 digits, 100-699, and SP before the phrase', () => {
    const resp = OPTIONS.replace('OPTIONS sip:bob@example.com SIP/2.0', 'SIP/2.0 200 OK');
    assert.equal(code(resp), 'decoded');
    for (const bad of [
      'SIP/2.0 2000 OK',
      'SIP/2.0 099 Hm',
      'SIP/2.0 700 Hm',
      'SIP/2.0 200',
      'SIP/2.0 20x OK',
    ]) {
      const r = decodeSipMessage(Buffer.from(resp.replace('SIP/2.0 200 OK', bad)));
      assert.ok(!r.ok, bad);
      assert.equal(r.error.code, 'SIP_ERR_MALFORMED_STATUS_LINE');
      assert.equal(r.error.isRequest, false);
    }
  });
});

describe('decode → encode → decode over the corpus', () => {
  for (const name of DECODABLE) {
    test(`${name} round-trips`, () => {
      const first = decodeSipMessage(torture(name), { datagram: true });
      assert.ok(first.ok);
      const bytes = encodeSipMessage(first.message);
      const second = decodeSipMessage(bytes);
      assert.ok(second.ok, second.ok ? '' : second.error.code);
      const a = first.message;
      const b = second.message;
      assert.equal(startLine(b), startLine(a));
      const fields = (m: SipMessage) => m.headers.all.filter((f) => f.name !== 'Content-Length');
      assert.deepEqual(fields(b), fields(a));
      assert.equal(b.headers.get('Content-Length'), String(a.body.length));
      assert.ok(b.body.equals(a.body));
      assert.ok(encodeSipMessage(b).equals(bytes), 'encode is stable');
    });
  }
});

describe('robustness: corrupted corpus never throws', () => {
  const names = tortureNames();
  const known = new Set(Object.keys(SIP_ERRORS));

  // SIP_ERR_INTERNAL is what a thrown exception inside the decoder turns into.
  function check(bytes: Buffer, datagram: boolean): void {
    const r = decodeSipMessage(bytes, { datagram });
    if (!r.ok) {
      assert.ok(known.has(r.error.code), r.error.code);
      assert.notEqual(r.error.code, 'SIP_ERR_INTERNAL');
    }
  }

  test('every message truncated at every 7th offset, both modes', () => {
    let cases = 0;
    for (const name of names) {
      const raw = torture(name);
      for (let cut = 0; cut <= raw.length; cut += 7) {
        check(raw.subarray(0, cut), true);
        check(raw.subarray(0, cut), false);
        cases += 2;
      }
    }
    assert.ok(cases > 1000);
  });

  test('random byte flips (seeded, 60 mutants per message) in decoder and framer', () => {
    const rand = prng(4475);
    for (const name of names) {
      const raw = torture(name);
      for (let k = 0; k < 60; k++) {
        const mutant = Buffer.from(raw);
        const flips = 1 + Math.floor(rand() * 4);
        for (let f = 0; f < flips; f++) {
          const at = Math.floor(rand() * mutant.length);
          mutant[at] = Math.floor(rand() * 256);
        }
        check(mutant, true);
        check(mutant, false);
        const framer = new SipStreamFramer();
        const cut = Math.floor(rand() * mutant.length);
        const events = [...framer.push(mutant.subarray(0, cut)), ...framer.push(mutant.subarray(cut))];
        for (const e of events) {
          if (e.type === 'message') check(e.bytes, false);
          if (e.type === 'error') assert.notEqual(e.error.code, 'SIP_ERR_INTERNAL');
        }
      }
    }
  });
});

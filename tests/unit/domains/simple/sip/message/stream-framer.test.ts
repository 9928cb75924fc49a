import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decodeSipMessage } from '../../../../../../domains/simple/sip/message/decode.ts';
import {
  type FramerEvent,
  SipStreamFramer,
} from '../../../../../../domains/simple/sip/message/stream-framer.ts';
import { torture, tortureNames } from './torture-corpus.ts';

const OPTIONS = Buffer.from(
  [
    'OPTIONS sip:bob@example.com SIP/2.0',
    'Via: SIP/2.0/TCP 127.0.0.1:5060;branch=z9hG4bK776asdhds',
    'Max-Forwards: 70',
    'To: <sip:bob@example.com>',
    'From: <sip:alice@example.com>;tag=1928301774',
    'Call-ID: a84b4c76e66710@127.0.0.1',
    'CSeq: 63104 OPTIONS',
    'Content-Type: text/plain',
    'Content-Length: 5',
    '',
    'hello',
  ].join('\r\n'),
);

function messages(events: FramerEvent[]): Buffer[] {
  return events.flatMap((e) => (e.type === 'message' ? [e.bytes] : []));
}

function types(events: FramerEvent[]): string[] {
  return events.map((e) => e.type);
}

/** The frame a stream receiver must cut: start line to Content-Length octets after the empty line. */
function expectedFrame(raw: Buffer): Buffer | undefined {
  const r = decodeSipMessage(raw);
  if (!r.ok) return undefined;
  const bodyStart = raw.indexOf('\r\n\r\n') + 4;
  return raw.subarray(0, bodyStart + r.message.body.length);
}

describe('SipStreamFramer', () => {
  test('every corpus message split at every byte offset frames to the same bytes', () => {
    let framed = 0;
    for (const name of tortureNames()) {
      const raw = torture(name);
      const frame = expectedFrame(raw);
      if (frame === undefined) continue;
      for (let cut = 0; cut <= frame.length; cut++) {
        const framer = new SipStreamFramer();
        const out = messages([...framer.push(frame.subarray(0, cut)), ...framer.push(frame.subarray(cut))]);
        assert.equal(out.length, 1, `${name} cut at ${cut}`);
        assert.ok(out[0]!.equals(frame), `${name} cut at ${cut}`);
        assert.equal(framer.buffered, 0);
      }
      framed++;
    }
    assert.ok(framed >= 25, `framed ${framed} corpus messages`);
  });

  test('several messages and keep-alives in one chunk', () => {
    const chunk = Buffer.concat([OPTIONS, Buffer.from('\r\n\r\n'), OPTIONS, Buffer.from('\r\n'), OPTIONS]);
    const events = new SipStreamFramer().push(chunk);
    assert.deepEqual(types(events), ['message', 'ping', 'message', 'pong', 'message']);
    for (const m of messages(events)) assert.ok(m.equals(OPTIONS));
  });

  test('byte-at-a-time input', () => {
    const framer = new SipStreamFramer();
    const stream = Buffer.concat([OPTIONS, OPTIONS]);
    const out: Buffer[] = [];
    for (let i = 0; i < stream.length; i++) out.push(...messages(framer.push(stream.subarray(i, i + 1))));
    assert.equal(out.length, 2);
    for (const m of out) assert.ok(m.equals(OPTIONS));
  });

  test('a ping split across chunks is one ping; a lone CRLF before a message is a pong', () => {
    const framer = new SipStreamFramer();
    assert.deepEqual(framer.push(Buffer.from('\r\n')), []);
    assert.deepEqual(types(framer.push(Buffer.from('\r\n'))), ['ping']);
    assert.deepEqual(framer.push(Buffer.from('\r\n')), []);
    assert.deepEqual(types(framer.push(OPTIONS)), ['pong', 'message']);
  });

  test('emitted buffers are copies, not views of the internal buffer', () => {
    const framer = new SipStreamFramer();
    const [first] = messages(framer.push(OPTIONS));
    framer.push(Buffer.alloc(OPTIONS.length, 0x41));
    assert.ok(first!.equals(OPTIONS));
  });

  test('framing errors: missing, negative, duplicate Content-Length; then the stream is dead', () => {
    const cases: Array<[string, string]> = [
      ['', 'SIP_ERR_MISSING_CONTENT_LENGTH'],
      ['Content-Length: -5\r\n', 'SIP_ERR_MALFORMED_CONTENT_LENGTH'],
      ['Content-Length: 5\r\nl: 5\r\n', 'SIP_ERR_MULTIPLE_CONTENT_LENGTH'],
    ];
    for (const [replacement, code] of cases) {
      const text = OPTIONS.toString().replace('Content-Length: 5\r\n', replacement);
      const framer = new SipStreamFramer();
      const events = framer.push(Buffer.from(text));
      assert.equal(events.length, 1, code);
      const e = events[0]!;
      assert.ok(e.type === 'error');
      assert.equal(e.error.code, code);
      assert.equal(e.error.status, 400);
      assert.equal(e.error.isRequest, true);
      assert.equal(e.error.headers?.get('Call-ID'), 'a84b4c76e66710@127.0.0.1');
      assert.equal(framer.broken, true);
      assert.deepEqual(framer.push(OPTIONS), []);
    }
  });

  test('size limits: an endless header section and an overlarge Content-Length → 513', () => {
    const endless = new SipStreamFramer({ maxMessageBytes: 2048 });
    endless.push(Buffer.from('OPTIONS sip:a@b SIP/2.0\r\n'));
    let events: FramerEvent[] = [];
    for (let i = 0; i < 200 && events.length === 0; i++)
      events = endless.push(Buffer.from('X-Pad: 0123456789\r\n'));
    assert.equal(events[0]?.type === 'error' && events[0].error.code, 'SIP_ERR_MESSAGE_TOO_LARGE');
    assert.equal(events[0]?.type === 'error' && events[0].error.status, 513);

    const huge = new SipStreamFramer({ maxMessageBytes: 2048 });
    const text = OPTIONS.toString().replace('Content-Length: 5', 'Content-Length: 100000');
    const out = huge.push(Buffer.from(text));
    assert.equal(out[0]?.type === 'error' && out[0].error.code, 'SIP_ERR_MESSAGE_TOO_LARGE');
  });

  test('a large body arriving in small chunks is framed once', () => {
    const body = Buffer.alloc(50_000, 0x62);
    const head = OPTIONS.toString()
      .replace('Content-Length: 5', `Content-Length: ${body.length}`)
      .replace(/hello$/, '');
    const whole = Buffer.concat([Buffer.from(head), body]);
    const framer = new SipStreamFramer();
    const out: Buffer[] = [];
    for (let i = 0; i < whole.length; i += 1000)
      out.push(...messages(framer.push(whole.subarray(i, i + 1000))));
    assert.equal(out.length, 1);
    assert.ok(out[0]!.equals(whole));
    const decoded = decodeSipMessage(out[0]!);
    assert.ok(decoded.ok && decoded.message.body.equals(body));
  });
});

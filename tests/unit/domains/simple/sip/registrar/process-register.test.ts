import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { SequentialIdSource } from '../../../../../../common/ids.ts';
import { ManualClock } from '../../../../../../common/manual-clock.ts';
import {
  DigestAuthenticator,
  MemoryHa1Store,
} from '../../../../../../domains/simple/sip/auth/digest-authenticator.ts';
import { decodeSipMessage } from '../../../../../../domains/simple/sip/message/decode.ts';
import { parseNameAddr } from '../../../../../../domains/simple/sip/message/header-values.ts';
import { SipHeaders, SipRequest } from '../../../../../../domains/simple/sip/message/sip-message.ts';
import { formatUri, parseUri } from '../../../../../../domains/simple/sip/message/uri-codec.ts';
import {
  type BindingEvent,
  LocationService,
} from '../../../../../../domains/simple/sip/registrar/location-service.ts';
import { aorKey, processRegister } from '../../../../../../domains/simple/sip/registrar/process-register.ts';

/** A request from wire text (header lines only; enough for registrar logic). */
function fromText(text: string): SipRequest {
  const [requestLine, ...lines] = text.split('\r\n').filter((l) => l.length > 0);
  const [method, uri] = requestLine!.split(' ');
  const fields = lines.map((l) => {
    const colon = l.indexOf(':');
    return { name: l.slice(0, colon).trim(), value: l.slice(colon + 1).trim() };
  });
  const headers = new SipHeaders();
  for (const f of fields) headers.append(f.name, f.value);
  return new SipRequest(method!, parseUri(uri!), headers);
}

function register(
  opts: { contact?: string[]; expires?: string; callId?: string; cseq?: number; extra?: string[] } = {},
) {
  const lines = [
    'REGISTER sip:domain2.lab SIP/2.0',
    'Via: SIP/2.0/UDP 127.0.2.10:5060;branch=z9hG4bK1',
    'To: <sip:jane@domain2.lab>',
    'From: <sip:jane@domain2.lab>;tag=1',
    `Call-ID: ${opts.callId ?? 'call-1'}`,
    `CSeq: ${opts.cseq ?? 1} REGISTER`,
    'Max-Forwards: 70',
    ...(opts.contact ?? ['<sip:jane@127.0.2.10:5060>']).map((c) => `Contact: ${c}`),
    ...(opts.expires !== undefined ? [`Expires: ${opts.expires}`] : []),
    ...(opts.extra ?? []),
  ];
  return fromText(`${lines.join('\r\n')}\r\n\r\n`);
}

function setup() {
  const clock = new ManualClock();
  const store = new LocationService({ clock, maxBindingsPerAor: 4 });
  const events: BindingEvent[] = [];
  store.onBindingEvent((e) => events.push(e));
  return { clock, store, events };
}

const contactsOf = (headers: Array<{ name: string; value: string }>) =>
  headers.filter((h) => h.name === 'Contact').map((h) => h.value);

describe('processRegister', () => {
  it('adds a binding and lists it with its expiry in the 200 (§10.3 step 8)', () => {
    const { store, clock, events } = setup();
    const out = processRegister(register({ expires: '600' }), store, clock.now(), {
      source: { transport: 'udp', address: '127.0.2.10', port: 5060 },
    });
    assert.equal(out.status, 200);
    assert.equal(out.aor, 'sip:jane@domain2.lab');
    assert.deepEqual(contactsOf(out.headers), ['<sip:jane@127.0.2.10:5060>;expires=600']);
    assert.deepEqual(
      events.map((e) => [e.type, e.aor, e.remaining]),
      [['added', 'sip:jane@domain2.lab', 1]],
    );
    const [b] = store.lookup('sip:jane@domain2.lab');
    assert.deepEqual(b?.source, { transport: 'udp', address: '127.0.2.10', port: 5060 });
    assert.equal(b?.callId, 'call-1');
  });

  it('refreshes with a higher CSeq, refuses the same or a lower CSeq of the same Call-ID (steps 7-8)', () => {
    const { store, clock, events } = setup();
    assert.equal(processRegister(register({ cseq: 5 }), store, clock.now()).status, 200);
    clock.advance(10_000);
    const again = processRegister(register({ cseq: 5 }), store, clock.now());
    assert.equal(again.status, 400);
    assert.equal(processRegister(register({ cseq: 4 }), store, clock.now()).status, 400);
    const refreshed = processRegister(register({ cseq: 6, expires: '120' }), store, clock.now());
    assert.equal(refreshed.status, 200);
    assert.deepEqual(contactsOf(refreshed.headers), ['<sip:jane@127.0.2.10:5060>;expires=120']);
    // another Call-ID may update with any CSeq
    assert.equal(processRegister(register({ callId: 'other', cseq: 1 }), store, clock.now()).status, 200);
    assert.deepEqual(
      events.map((e) => e.type),
      ['added', 'refreshed', 'refreshed'],
    );
  });

  it('uses the contact expires param over the Expires header, and the default without either', () => {
    const { store, clock } = setup();
    const out = processRegister(
      register({ contact: ['<sip:a@127.0.2.10>;expires=300', '<sip:b@127.0.2.10>'], expires: '900' }),
      store,
      clock.now(),
    );
    assert.deepEqual(contactsOf(out.headers).sort(), [
      '<sip:a@127.0.2.10>;expires=300',
      '<sip:b@127.0.2.10>;expires=900',
    ]);
    const d = processRegister(
      register({ contact: ['<sip:c@127.0.2.10>'], callId: 'x' }),
      store,
      clock.now(),
      {
        policy: { defaultExpires: 1800 },
      },
    );
    assert.ok(contactsOf(d.headers).includes('<sip:c@127.0.2.10>;expires=1800'));
  });

  it('answers 423 + Min-Expires below the minimum and caps at the maximum, atomically', () => {
    const { store, clock, events } = setup();
    const out = processRegister(
      register({ contact: ['<sip:a@127.0.2.10>;expires=3600', '<sip:b@127.0.2.10>;expires=5'] }),
      store,
      clock.now(),
    );
    assert.equal(out.status, 423);
    assert.equal(out.reason, 'Interval Too Brief');
    assert.deepEqual(out.headers, [{ name: 'Min-Expires', value: '60' }]);
    assert.equal(events.length, 0, 'nothing applied');
    const capped = processRegister(register({ expires: '99999' }), store, clock.now());
    assert.deepEqual(contactsOf(capped.headers), ['<sip:jane@127.0.2.10:5060>;expires=3600']);
  });

  it('removes one binding with expires=0 and all with Contact: * and Expires: 0', () => {
    const { store, clock, events } = setup();
    processRegister(register({ contact: ['<sip:a@127.0.2.10>', '<sip:b@127.0.2.10>'] }), store, clock.now());
    const one = processRegister(
      register({ contact: ['<sip:a@127.0.2.10>;expires=0'], cseq: 2 }),
      store,
      clock.now(),
    );
    assert.deepEqual(contactsOf(one.headers), ['<sip:b@127.0.2.10>;expires=3600']);
    assert.equal(
      processRegister(register({ contact: ['*'], cseq: 3 }), store, clock.now()).status,
      400,
      'needs Expires: 0',
    );
    assert.equal(
      processRegister(
        register({ contact: ['*', '<sip:x@127.0.2.10>'], expires: '0', cseq: 3 }),
        store,
        clock.now(),
      ).status,
      400,
    );
    assert.equal(
      processRegister(register({ contact: ['*'], expires: '0', cseq: 1 }), store, clock.now()).status,
      400,
      'old CSeq',
    );
    const all = processRegister(register({ contact: ['*'], expires: '0', cseq: 4 }), store, clock.now());
    assert.equal(all.status, 200);
    assert.deepEqual(contactsOf(all.headers), []);
    assert.deepEqual(
      events.map((e) => e.type),
      ['added', 'added', 'removed', 'removed'],
    );
    assert.equal(store.aorCount, 0);
  });

  it('answers a query (no Contact) with the current bindings', () => {
    const { store, clock } = setup();
    processRegister(register(), store, clock.now());
    clock.advance(100_000);
    const q = processRegister(register({ contact: [], cseq: 2 }), store, clock.now());
    assert.equal(q.status, 200);
    assert.deepEqual(contactsOf(q.headers), ['<sip:jane@127.0.2.10:5060>;expires=3500']);
  });

  it('expires bindings through the Clock with an expired event', () => {
    const { store, clock, events } = setup();
    processRegister(register({ expires: '60' }), store, clock.now());
    clock.advance(59_999);
    assert.equal(store.lookup('sip:jane@domain2.lab').length, 1);
    clock.advance(1);
    assert.equal(store.lookup('sip:jane@domain2.lab').length, 0);
    assert.deepEqual(
      events.map((e) => [e.type, e.remaining]),
      [
        ['added', 1],
        ['expired', 0],
      ],
    );
    assert.equal(clock.armed, 0);
  });

  it('refuses too many contacts, bad q-values and a malformed Contact, without changes', () => {
    const { store, clock, events } = setup();
    const five = ['a', 'b', 'c', 'd', 'e'].map((u) => `<sip:${u}@127.0.2.10>`);
    assert.equal(processRegister(register({ contact: five }), store, clock.now()).status, 403);
    assert.equal(
      processRegister(register({ contact: ['<sip:a@127.0.2.10>;q=2'] }), store, clock.now()).status,
      400,
    );
    assert.equal(
      processRegister(register({ contact: ['<sip:a@127.0.2.10'] }), store, clock.now()).status,
      400,
    );
    assert.equal(events.length, 0);
  });

  it('keeps Path and echoes it when the UA supports path (RFC 3327 §5.3); orders by q', () => {
    const { store, clock } = setup();
    const out = processRegister(
      register({
        contact: ['<sip:a@127.0.2.10>;q=0.5', '<sip:b@127.0.2.10>;q=0.9'],
        extra: ['Path: <sip:p1.domain2.lab;lr>', 'Supported: path'],
      }),
      store,
      clock.now(),
    );
    assert.deepEqual(
      out.headers.filter((h) => h.name === 'Path'),
      [{ name: 'Path', value: '<sip:p1.domain2.lab;lr>' }],
    );
    const list = store.lookup('sip:jane@domain2.lab');
    assert.deepEqual(
      list.map((b) => [formatUri(b.contact.uri), b.q, b.path]),
      [
        ['sip:b@127.0.2.10', 0.9, ['<sip:p1.domain2.lab;lr>']],
        ['sip:a@127.0.2.10', 0.5, ['<sip:p1.domain2.lab;lr>']],
      ],
    );
  });

  it('refuses foreign domains when a domain list is set', () => {
    const { store, clock } = setup();
    const policy = { domains: ['domain2.lab'] };
    assert.equal(processRegister(register(), store, clock.now(), { policy }).status, 200);
    const foreignAor = fromText(
      'REGISTER sip:domain2.lab SIP/2.0\r\nTo: <sip:harry@domain1.lab>\r\nFrom: <sip:harry@domain1.lab>;tag=1\r\nCall-ID: z\r\nCSeq: 1 REGISTER\r\nContact: <sip:h@127.0.3.1>\r\n\r\n',
    );
    assert.equal(processRegister(foreignAor, store, clock.now(), { policy }).status, 404);
    const foreignRuri = fromText(
      'REGISTER sip:domain1.lab SIP/2.0\r\nTo: <sip:jane@domain2.lab>\r\nFrom: <sip:jane@domain2.lab>;tag=1\r\nCall-ID: z\r\nCSeq: 1 REGISTER\r\nContact: <sip:h@127.0.3.1>\r\n\r\n',
    );
    assert.equal(processRegister(foreignRuri, store, clock.now(), { policy }).status, 403);
  });

  it('canonicalises the AOR (parameters, port and escapes dropped)', () => {
    assert.equal(
      aorKey(parseNameAddr('<sip:%6Aane@DOMAIN2.lab:5070;transport=tcp>').uri),
      'sip:jane@domain2.lab',
    );
    assert.equal(aorKey(parseUri('tel:+358401234567')), undefined);
  });
});

// RFC 4475 §3.3.7, §3.3.12-3.3.14, byte-exact from tests/fixtures/sip-torture-rfc4475/, through the real decoder.
function torture(name: string): SipRequest {
  const bytes = readFileSync(
    join(import.meta.dirname, '../../../../../fixtures/sip-torture-rfc4475', `${name}.dat`),
  );
  const decoded = decodeSipMessage(bytes, { datagram: true });
  assert.ok(decoded.ok, `${name} decodes`);
  assert.equal(decoded.message.kind, 'request');
  return decoded.message as SipRequest;
}
const CPARAM01 = 'cparam01';
const CPARAM02 = 'cparam02';
const REGESCRT = 'regescrt';

describe('processRegister with RFC 4475 messages', () => {
  it('cparam01: unknownparam is a contact parameter, not a URI parameter', () => {
    const { store, clock } = setup();
    const out = processRegister(torture(CPARAM01), store, clock.now());
    assert.equal(out.status, 200);
    const [b] = store.lookup('sip:watson@example.com');
    assert.equal(formatUri(b!.contact.uri), 'sip:+19725552222@gw1.example.net');
    assert.ok(b!.contact.params.has('unknownparam'));
    assert.deepEqual(contactsOf(out.headers), [
      '<sip:+19725552222@gw1.example.net>;unknownparam;expires=3600',
    ]);
  });

  it('cparam02: unknownparam stays a URI parameter', () => {
    const { store, clock } = setup();
    const out = processRegister(torture(CPARAM02), store, clock.now());
    assert.equal(out.status, 200);
    const [b] = store.lookup('sip:watson@example.com');
    assert.equal(formatUri(b!.contact.uri), 'sip:+19725552222@gw1.example.net;unknownparam');
    assert.equal(b!.contact.params.has('unknownparam'), false);
    assert.deepEqual(contactsOf(out.headers), [
      '<sip:+19725552222@gw1.example.net;unknownparam>;expires=3600',
    ]);
  });

  it('cparam02 after cparam01 refreshes the same binding (§19.1.4: a parameter in one URI only is ignored)', () => {
    const { store, clock, events } = setup();
    processRegister(torture(CPARAM01), store, clock.now());
    processRegister(torture(CPARAM02), store, clock.now());
    const list = store.lookup('sip:watson@example.com');
    assert.equal(list.length, 1);
    assert.equal(formatUri(list[0]!.contact.uri), 'sip:+19725552222@gw1.example.net;unknownparam');
    assert.deepEqual(
      events.map((e) => e.type),
      ['added', 'refreshed'],
    );
  });

  it('regescrt: the escaped Route header is kept in the binding URI', () => {
    const { store, clock } = setup();
    const out = processRegister(torture(REGESCRT), store, clock.now());
    assert.equal(out.status, 200);
    const [b] = store.lookup('sip:user@example.com');
    assert.equal(formatUri(b!.contact.uri), 'sip:user@example.com?Route=%3Csip:sip.example.com%3E');
    assert.deepEqual(contactsOf(out.headers), [
      '<sip:user@example.com?Route=%3Csip:sip.example.com%3E>;expires=3600',
    ]);
  });
});

describe('a registrar that authenticates, RFC 4475 regaut01', () => {
  it('ignores the unknown Authorization scheme and challenges with Digest (401, no binding)', () => {
    const { store, clock, events } = setup();
    const auth = new DigestAuthenticator({
      realm: 'example.com',
      store: new MemoryHa1Store().addUser('j.user', 'example.com', 'pw'),
      clock,
      ids: new SequentialIdSource(),
    });
    const request = torture('regaut01');
    const r = auth.authenticate(request);
    assert.ok(!r.ok);
    assert.equal(r.status, 401);
    assert.equal(r.failure, 'missing');
    assert.match(
      r.headers[0]!.value,
      /^Digest realm="example\.com", nonce="[^"]+", algorithm=SHA-256, qop="auth"$/,
    );
    assert.equal(events.length, 0);
    assert.equal(store.aorCount, 0);
  });
});

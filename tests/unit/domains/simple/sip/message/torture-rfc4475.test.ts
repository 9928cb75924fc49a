// RFC 4475 torture suite: one test per corpus file, each asserting the verdict of
// tests/fixtures/sip-torture-rfc4475/README.md exactly.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  type DecodeResult,
  decodeSipMessage,
  type SipDecodeError,
} from '../../../../../../domains/simple/sip/message/decode.ts';
import { encodeSipMessage } from '../../../../../../domains/simple/sip/message/encode.ts';
import type { SipErrorCode } from '../../../../../../domains/simple/sip/message/errors.ts';
import type {
  SipMessage,
  SipRequest,
  SipResponse,
} from '../../../../../../domains/simple/sip/message/sip-message.ts';
import { SipStreamFramer } from '../../../../../../domains/simple/sip/message/stream-framer.ts';
import type { SipUri } from '../../../../../../domains/simple/sip/message/uri.ts';
import {
  formatUri,
  parseUri,
  unescapeUriComponent,
  uriEquals,
} from '../../../../../../domains/simple/sip/message/uri-codec.ts';
import {
  answerDecodeError,
  type UasRole,
  validateRequest,
} from '../../../../../../domains/simple/sip/message/validate-request.ts';
import { torture, tortureNames } from './torture-corpus.ts';

const UAS: UasRole = {
  allow: ['INVITE', 'ACK', 'BYE', 'CANCEL', 'OPTIONS', 'REGISTER', 'SUBSCRIBE', 'NOTIFY', 'MESSAGE'],
  supported: ['100rel', 'path'],
  accept: ['application/sdp'],
};
const PROXY: UasRole = { ...UAS, proxy: true };
const REGISTRAR: UasRole = { ...UAS, registrar: true };

function decode(name: string, datagram = true): DecodeResult {
  return decodeSipMessage(torture(name), { datagram });
}

function ok(name: string, datagram = true): SipMessage {
  const r = decode(name, datagram);
  if (!r.ok) assert.fail(`${name}: expected to decode, got ${r.error.code}`);
  return r.message;
}

function request(name: string): SipRequest {
  const m = ok(name);
  assert.equal(m.kind, 'request');
  return m as SipRequest;
}

function response(name: string): SipResponse {
  const m = ok(name);
  assert.equal(m.kind, 'response');
  return m as SipResponse;
}

function rejected(name: string, code: SipErrorCode, status: number, isRequest = true): SipDecodeError {
  const r = decode(name);
  if (r.ok) assert.fail(`${name}: expected ${code}, decoded`);
  assert.equal(r.error.code, code);
  assert.equal(r.error.status, status);
  assert.equal(r.error.isRequest, isRequest);
  if (status === 400) assert.match(r.error.reason, /^Bad Request - \S/);
  return r.error;
}

function sip(u: unknown): SipUri {
  const uri = u as SipUri;
  assert.ok(uri.scheme === 'sip' || uri.scheme === 'sips');
  return uri;
}

test('the corpus holds the 49 RFC 4475 messages and test.dat', () => {
  assert.equal(tortureNames().length, 50);
});

describe('valid (RFC 4475 §3.1.1, §3.4.1): decodes', () => {
  test('wsinv: folding, escaped quotes, empty Subject, LWS everywhere, mixed names', () => {
    const m = request('wsinv');
    assert.equal(m.method, 'INVITE');
    assert.equal(sip(m.uri).params.get('unknownparam'), null);
    assert.equal(m.toTag, '1918181833n');
    assert.equal(m.from.displayName, 'J Rosenberg \\"');
    assert.equal(m.fromTag, '98asjd8');
    assert.equal(m.maxForwards, 68);
    assert.deepEqual(m.cseq, { seq: 9, method: 'INVITE' });
    assert.deepEqual(
      m.vias.map((v) => [v.transport, v.host, v.params.get('branch')]),
      [
        ['UDP', '192.0.2.2', '390skdjuw'],
        ['TCP', 'spindle.example.com', 'z9hG4bK9ikj8'],
        ['UDP', '192.168.255.111', 'z9hG4bK30239'],
      ],
    );
    assert.equal(m.headers.get('Subject'), '');
    assert.equal(m.headers.get('NewFangledHeader'), 'newfangled value continued newfangled value');
    assert.equal(m.headers.get('UnknownHeaderWithUnusualValue'), ';;,,;;,;');
    assert.equal(m.contacts.length, 1);
    assert.equal(m.contacts[0]!.displayName, 'Quoted string ""');
    assert.equal(m.contacts[0]!.params.get('newparam'), 'newvalue');
    assert.equal(m.contacts[0]!.params.get('secondparam'), null);
    assert.equal(m.contacts[0]!.params.get('q'), '0.33');
    const route = sip(m.routes[0]!.uri);
    assert.equal(route.params.get('lr'), null);
    assert.equal(route.params.get('unknownwith'), 'value');
    assert.equal(route.params.get('unknown-no-value'), null);
    assert.equal(m.body.length, 150);
  });

  test('intmeth: wide range of valid characters; unknown method → 501 with Allow', () => {
    const m = request('intmeth');
    assert.equal(m.method, "!interesting-Method0123456789_*+`.%indeed'~");
    const uri = sip(m.uri);
    assert.equal(uri.user, "1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*");
    assert.equal(uri.password, "&it+has=1,weird!*pas$wo~d_too.(doesn't-it)");
    assert.equal(uri.host, 'example.com');
    assert.equal(m.topVia!.params.get('branch'), "z9hG4bK-.!%66*_+`'~");
    assert.equal(m.to.displayName, 'BEL:\x07 NUL:\x00 DEL:\x7f');
    assert.equal(m.from.displayName, "token1~` token2'+_ token3*%!.-");
    assert.equal(m.from.params.get("fromParam''~+*_!.-%"), '"работающий"');
    assert.equal(m.fromTag, "_token~1'+`*%!-.");
    assert.equal(m.callId, 'intmeth.word%ZK-!.*_+\'@word`~)(><:\\/"][?}{');
    assert.equal(m.headers.get("extensionHeader-!.%*+_`'~"), '\ufeff大停電');
    const answer = validateRequest(m, UAS);
    assert.equal(answer?.status, 501);
    assert.deepEqual(answer?.headers, [['Allow', UAS.allow.join(', ')]]);
  });

  test('esc01: escapes kept as written, unescaped once (value%41 is not valueA)', () => {
    const m = request('esc01');
    const ruri = sip(m.uri);
    assert.equal(ruri.user, 'sips%3Auser%40example.com');
    assert.equal(unescapeUriComponent(ruri.user!), 'sips:user@example.com');
    assert.equal(unescapeUriComponent(sip(m.to.uri).user!), 'user');
    assert.equal(unescapeUriComponent(sip(m.from.uri).user!), 'I have spaces');
    const contact = sip(m.contacts[0]!.uri);
    assert.equal(contact.user, 'cal%6Cer');
    assert.deepEqual(
      [...contact.params],
      [
        ['%6C%72', null],
        ['n%61me', 'v%61lue%25%34%31'],
      ],
    );
    assert.equal(unescapeUriComponent('v%61lue%25%34%31'), 'value%41');
    assert.ok(uriEquals(contact, parseUri('sip:caller@host5.example.net;lr;name=value%2541')));
    assert.ok(!uriEquals(contact, parseUri('sip:caller@host5.example.net;lr;name=valueA')));
    assert.equal(formatUri(contact), 'sip:cal%6Cer@host5.example.net;%6C%72;n%61me=v%61lue%25%34%31');
  });

  test('escnull: %00 kept, two distinct contacts', () => {
    const m = request('escnull');
    assert.equal(m.contacts.length, 2);
    const [a, b] = m.contacts.map((c) => sip(c.uri));
    assert.equal(a!.user, '%00');
    assert.equal(b!.user, '%00%00');
    assert.equal(unescapeUriComponent(a!.user!), '\0');
    assert.equal(unescapeUriComponent(b!.user!), '\0\0');
    assert.ok(!uriEquals(a!, b!));
    assert.equal(sip(m.to.uri).user, 'null-%00-null');
  });

  test('esc02: % not an escape in tokens; two Contact values; unknown method → 501', () => {
    const m = request('esc02');
    assert.equal(m.method, 'RE%47IST%45R');
    assert.equal(m.cseq.method, 'RE%47IST%45R');
    assert.deepEqual(
      m.contacts.map((c) => sip(c.uri).host),
      ['host1.example.com', 'host3.example.com'],
    );
    assert.equal(m.headers.get('C%6Fntact'), '<sip:alias2@host2.example.com>');
    assert.equal(m.from.displayName, '%Z%45');
    assert.equal(m.topVia!.params.get('branch'), 'z9hG4bK209%fzsnel234');
    assert.equal(validateRequest(m, UAS)?.status, 501);
  });

  test('lwsdisp: no LWS between display name and <', () => {
    const m = request('lwsdisp');
    assert.equal(m.from.displayName, 'caller');
    assert.equal(sip(m.from.uri).user, 'caller');
    assert.equal(m.fromTag, '323');
  });

  test('longreq: long values everywhere, 34 Via values under every spelling', () => {
    const m = request('longreq');
    assert.match(m.to.displayName!, /^I have a user name of (extreme){10} proportion$/);
    assert.equal(sip(m.to.uri).port, 6000);
    assert.ok(m.fromTag!.length > 100);
    assert.ok(m.callId.startsWith('longreq.onereally'));
    assert.equal(m.vias.length, 34);
    assert.equal(m.vias[0]!.host, 'sip33.example.com');
    assert.equal(m.vias[33]!.params.get('received'), '192.0.2.5');
  });

  test('dblreq: the REGISTER is processed, the trailing INVITE bytes ignored', () => {
    const m = request('dblreq');
    assert.equal(m.method, 'REGISTER');
    assert.equal(m.body.length, 0);
    assert.equal(m.callId, 'dblreq.0ha0isndaksdj99sdfafnl3lk233412');
    const out = encodeSipMessage(m).toString('latin1');
    assert.ok(!out.includes('INVITE'));
    assert.ok(out.endsWith('Content-Length: 0\r\n\r\n'));
  });

  test('semiuri: user part is user;par=u@example.net', () => {
    const uri = sip(request('semiuri').uri);
    assert.equal(uri.user, 'user;par=u%40example.net');
    assert.equal(unescapeUriComponent(uri.user!), 'user;par=u@example.net');
    assert.equal(uri.host, 'example.com');
    assert.equal(uri.params.size, 0);
  });

  test('transports: unknown Via transports kept as opaque tokens', () => {
    assert.deepEqual(
      request('transports').vias.map((v) => v.transport),
      ['UDP', 'SCTP', 'TLS', 'UNKNOWN', 'TCP'],
    );
  });

  test('mpart01: binary multipart body framed by Content-Length, byte-exact', () => {
    const raw = torture('mpart01');
    const m = request('mpart01');
    const bodyStart = raw.indexOf('\r\n\r\n') + 4;
    assert.equal(m.body.length, 553);
    assert.ok(m.body.equals(raw.subarray(bodyStart, bodyStart + 553)));
    assert.ok(m.body.includes(0));
    const again = decodeSipMessage(encodeSipMessage(m));
    assert.ok(again.ok && again.message.body.equals(m.body));
  });

  test('unreason: UTF-8 reason phrase', () => {
    const m = response('unreason');
    assert.equal(m.status, 200);
    assert.equal(m.reason, '= 2**3 * 5**2 но сто девяносто девять - простое');
  });

  test('noreason: empty reason phrase', () => {
    const m = response('noreason');
    assert.equal(m.status, 100);
    assert.equal(m.reason, '');
  });

  test('inv2543: RFC 2543 syntax accepted on a datagram (body = rest of datagram)', () => {
    const raw = torture('inv2543');
    const m = request('inv2543');
    assert.equal(m.headers.has('Content-Length'), false);
    assert.equal(m.headers.has('Max-Forwards'), false);
    assert.equal(m.fromTag, undefined);
    assert.equal(m.topVia!.params.has('branch'), false);
    assert.ok(m.body.equals(raw.subarray(raw.indexOf('\r\n\r\n') + 4)));
    assert.equal(validateRequest(m, UAS), null);
    const stream = decode('inv2543', false);
    assert.equal(stream.ok ? 'decoded' : stream.error.code, 'SIP_ERR_MISSING_CONTENT_LENGTH');
  });
});

describe('invalid (RFC 4475 §3.1.2, §3.2): rejected with the table status', () => {
  test('badinv01: extraneous separators → 400 Malformed Via', () => {
    const e = rejected('badinv01', 'SIP_ERR_MALFORMED_VIA', 400);
    assert.equal(e.headers?.get('Call-ID'), 'badinv01.0ha0isndaksdjasdf3234nas');
  });

  test('clerr: Content-Length larger than the datagram → 400; a stream waits', () => {
    rejected('clerr', 'SIP_ERR_CONTENT_LENGTH_EXCEEDS_MESSAGE', 400);
    const framer = new SipStreamFramer();
    assert.deepEqual(framer.push(torture('clerr')), []);
    assert.equal(framer.buffered, torture('clerr').length);
  });

  test('ncl: negative Content-Length → 400, and a stream error', () => {
    rejected('ncl', 'SIP_ERR_MALFORMED_CONTENT_LENGTH', 400);
    const events = new SipStreamFramer().push(torture('ncl'));
    assert.equal(events.length, 1);
    assert.equal(events[0]!.type === 'error' && events[0]!.error.code, 'SIP_ERR_MALFORMED_CONTENT_LENGTH');
  });

  test('scalar02: CSeq over 2^32-1 → 400', () => {
    rejected('scalar02', 'SIP_ERR_CSEQ_OUT_OF_RANGE', 400);
  });

  test('scalarlg: response with overlarge scalars is reported as a response (dropped)', () => {
    const e = rejected('scalarlg', 'SIP_ERR_CSEQ_OUT_OF_RANGE', 400, false);
    assert.equal(answerDecodeError(e, UAS), null);
  });

  test('quotbal: unterminated quoted string → 400 Malformed To', () => {
    rejected('quotbal', 'SIP_ERR_MALFORMED_TO', 400);
  });

  test('ltgtruri: <> around the Request-URI → 400', () => {
    rejected('ltgtruri', 'SIP_ERR_MALFORMED_REQUEST_URI', 400);
  });

  test('lwsruri: LWS inside the Request-URI → 400', () => {
    rejected('lwsruri', 'SIP_ERR_MALFORMED_REQUEST_LINE', 400);
  });

  test('lwsstart: several SP between Request-Line elements → 400', () => {
    rejected('lwsstart', 'SIP_ERR_MALFORMED_REQUEST_LINE', 400);
  });

  test('trws: SP at the end of the Request-Line → 400', () => {
    rejected('trws', 'SIP_ERR_MALFORMED_REQUEST_LINE', 400);
  });

  test('escruri: escaped headers in the Request-URI → 400, never turned into headers', () => {
    const e = rejected('escruri', 'SIP_ERR_REQUEST_URI_HEADERS', 400);
    assert.equal(e.headers?.has('Route'), false);
  });

  test('baddate: Date does not matter to the lab, so it is kept raw and ignored', () => {
    const m = request('baddate');
    assert.equal(m.headers.get('Date'), 'Fri, 01 Jan 2010 16:00:00 EST');
    assert.equal(validateRequest(m, UAS), null);
  });

  test('regbadct: addr-spec with ? outside <> → 400 Malformed Contact', () => {
    rejected('regbadct', 'SIP_ERR_MALFORMED_CONTACT', 400);
  });

  test('badaspec: spaces within addr-spec → 400 Malformed To', () => {
    rejected('badaspec', 'SIP_ERR_MALFORMED_TO', 400);
  });

  test('baddn: non-token characters in display name → 400 Malformed From', () => {
    const e = rejected('baddn', 'SIP_ERR_MALFORMED_FROM', 400);
    assert.equal(e.headers?.get('Call-ID'), 'baddn.31415@c.example.com');
  });

  test('badvers: SIP/7.0 → 505 Version Not Supported', () => {
    const e = rejected('badvers', 'SIP_ERR_VERSION_NOT_SUPPORTED', 505);
    assert.equal(e.reason, 'Version Not Supported');
    assert.equal(e.method, 'OPTIONS');
  });

  test('mismatch01: CSeq method differs from the Request-Line → 400', () => {
    rejected('mismatch01', 'SIP_ERR_CSEQ_METHOD_MISMATCH', 400);
  });

  test('mismatch02: unknown method with CSeq mismatch → 501 with Allow', () => {
    const e = rejected('mismatch02', 'SIP_ERR_METHOD_NOT_IMPLEMENTED', 501);
    assert.equal(e.method, 'NEWMETHOD');
    const answer = answerDecodeError(e, UAS);
    assert.equal(answer?.status, 501);
    assert.deepEqual(answer?.headers, [['Allow', UAS.allow.join(', ')]]);
  });

  test('bigcode: overlarge status code → response dropped', () => {
    const e = rejected('bigcode', 'SIP_ERR_MALFORMED_STATUS_LINE', 400, false);
    assert.equal(answerDecodeError(e, UAS), null);
  });

  test('badbranch: parses; the bare magic cookie gets 400', () => {
    const m = request('badbranch');
    assert.equal(m.topVia!.params.get('branch'), 'z9hG4bK');
    assert.equal(validateRequest(m, UAS)?.code, 'SIP_ERR_BRANCH_WITHOUT_ID');
    assert.equal(validateRequest(m, UAS)?.status, 400);
  });

  test('test.dat: Request-Line without SIP-Version → 400', () => {
    rejected('test', 'SIP_ERR_MALFORMED_REQUEST_LINE', 400);
  });
});

describe('semantic (RFC 4475 §3.3): decodes, the role answers', () => {
  test('insuf: missing From/To/Call-ID → 400', () => {
    const answer = validateRequest(request('insuf'), UAS);
    assert.equal(answer?.status, 400);
    assert.equal(answer?.code, 'SIP_ERR_MISSING_FROM');
  });

  test('unkscm: unknown Request-URI scheme → 416', () => {
    const m = request('unkscm');
    assert.equal(m.uri.scheme, 'nobodyknowsthisscheme');
    assert.equal(validateRequest(m, UAS)?.status, 416);
  });

  test('novelsc: known but atypical scheme parses; 416 unless the role serves it', () => {
    const m = request('novelsc');
    assert.equal(m.uri.scheme, 'soap.beep');
    assert.equal(validateRequest(m, UAS)?.status, 416);
    assert.equal(validateRequest(m, { ...UAS, uriSchemes: ['sip', 'soap.beep'] }), null);
  });

  test('unksm2: unknown schemes in To/From/Contact parse; a registrar answers 400', () => {
    const m = request('unksm2');
    assert.equal(m.to.uri.scheme, 'isbn');
    assert.equal(m.from.uri.scheme, 'http');
    assert.equal(m.contacts[0]!.uri.scheme, 'name');
    assert.equal(validateRequest(m, PROXY), null);
    assert.equal(validateRequest(m, REGISTRAR)?.code, 'SIP_ERR_REGISTER_TO_NOT_SIP');
    assert.equal(validateRequest(m, REGISTRAR)?.status, 400);
  });

  test('bext01: 420 with Unsupported listing Require (UAS) or Proxy-Require (proxy) tags', () => {
    const m = request('bext01');
    const uas = validateRequest(m, UAS);
    assert.equal(uas?.status, 420);
    assert.deepEqual(uas?.headers, [['Unsupported', 'nothingSupportsThis, nothingSupportsThisEither']]);
    const proxy = validateRequest(m, PROXY);
    assert.equal(proxy?.status, 420);
    assert.deepEqual(proxy?.headers, [['Unsupported', 'noProxiesSupportThis, norDoAnyProxiesSupportThis']]);
  });

  test('invut: unknown Content-Type → 415 with Accept; a proxy forwards', () => {
    const m = request('invut');
    const answer = validateRequest(m, UAS);
    assert.equal(answer?.status, 415);
    assert.deepEqual(answer?.headers, [['Accept', 'application/sdp']]);
    assert.equal(validateRequest(m, PROXY), null);
  });

  test('regaut01: unknown auth scheme kept raw; non-registrar 405, registrar goes on', () => {
    const m = request('regaut01');
    assert.equal(m.headers.get('Authorization'), 'NoOneKnowsThisScheme opaque-data=here');
    const endpoint = validateRequest(m, { ...UAS, allow: ['INVITE', 'ACK', 'BYE', 'OPTIONS'] });
    assert.equal(endpoint?.status, 405);
    assert.deepEqual(endpoint?.headers, [['Allow', 'INVITE, ACK, BYE, OPTIONS']]);
    assert.equal(validateRequest(m, REGISTRAR), null);
  });

  test('multi01: multiple values in single-value headers → 400', () => {
    const answer = validateRequest(request('multi01'), UAS);
    assert.equal(answer?.code, 'SIP_ERR_MULTIPLE_VALUES');
    assert.equal(answer?.status, 400);
  });

  test('mcl01: two Content-Length values → 400 (decode), stream framing error', () => {
    rejected('mcl01', 'SIP_ERR_MULTIPLE_CONTENT_LENGTH', 400);
    const events = new SipStreamFramer().push(torture('mcl01'));
    assert.equal(events[0]?.type === 'error' && events[0].error.code, 'SIP_ERR_MULTIPLE_CONTENT_LENGTH');
  });

  test('bcast: 200 OK with a broadcast Via parses; the Via host is exposed for the drop', () => {
    const m = response('bcast');
    assert.deepEqual(
      m.vias.map((v) => v.host),
      ['192.0.2.198', '255.255.255.255'],
    );
  });

  test('zeromf: Max-Forwards 0 → 483 at a proxy, processed normally at a UAS', () => {
    const m = request('zeromf');
    assert.equal(m.maxForwards, 0);
    assert.equal(validateRequest(m, UAS), null);
    assert.equal(validateRequest(m, PROXY)?.status, 483);
  });

  test('cparam01: unknownparam is a contact (header) parameter', () => {
    const m = request('cparam01');
    const c = m.contacts[0]!;
    assert.equal(c.params.has('unknownparam'), true);
    assert.equal(sip(c.uri).params.has('unknownparam'), false);
    assert.equal(sip(c.uri).user, '+19725552222');
    assert.equal(validateRequest(m, REGISTRAR), null);
  });

  test('cparam02: unknownparam is a URI parameter', () => {
    const m = request('cparam02');
    const c = m.contacts[0]!;
    assert.equal(c.params.has('unknownparam'), false);
    assert.equal(sip(c.uri).params.has('unknownparam'), true);
    assert.equal(validateRequest(m, REGISTRAR), null);
  });

  test('regescrt: the escaped Route header stays inside the contact URI', () => {
    const m = request('regescrt');
    const uri = sip(m.contacts[0]!.uri);
    assert.deepEqual(uri.headers, [['Route', '%3Csip:sip.example.com%3E']]);
    assert.equal(formatUri(uri), 'sip:user@example.com?Route=%3Csip:sip.example.com%3E');
    assert.equal(m.headers.has('Route'), false);
    assert.equal(validateRequest(m, REGISTRAR), null);
  });

  test('sdp01: Accept excludes the only answer type → 406 with Warning 399', () => {
    const m = request('sdp01');
    const answer = validateRequest(m, { ...UAS, responseBodyTypes: { INVITE: ['application/sdp'] } });
    assert.equal(answer?.status, 406);
    assert.match(answer?.headers[0]?.[1] ?? '', /^399 lab "/);
    assert.equal(answer?.headers[0]?.[0], 'Warning');
  });
});

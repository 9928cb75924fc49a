import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { hexDump, inspectMessage, inspectPayload } from '../../../../web-ui/server/inspect.ts';

const VECTORS = new URL('../../../fixtures/imps/imps-samples/wbxml-vectors/', import.meta.url);
const wbxml = Buffer.from(
  readFileSync(new URL('encoder__sendmsgreq1.wbxml.hex', VECTORS), 'utf8').trim().split(/\s+/).join(''),
  'hex',
);

const PIDF =
  '<?xml version="1.0" encoding="UTF-8"?><presence xmlns="urn:ietf:params:xml:ns:pidf" entity="pres:jane@domain2.lab"><tuple id="t"><status><basic>open</basic></status></tuple></presence>';

function sip(body: string, type: string): Buffer {
  return Buffer.from(
    `NOTIFY sip:alice@127.0.2.11:5060 SIP/2.0\r\nTo: <sip:alice@domain2.lab>\r\nContent-Type: ${type}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

test('SIP: head as text, PIDF body re-indented', () => {
  const m = inspectMessage('sip', sip(PIDF, 'application/pidf+xml'));
  assert.match(
    m.head ?? '',
    /^NOTIFY sip:alice@127\.0\.2\.11:5060 SIP\/2\.0\r\nTo: <sip:alice@domain2\.lab>/,
  );
  assert.equal(m.payloads.length, 1);
  const p = m.payloads[0];
  assert.equal(p?.contentType, 'application/pidf+xml');
  assert.equal(p?.text, PIDF);
  assert.match(p?.pretty ?? '', /\n {2}<tuple id="t">\n {4}<status>\n {6}<basic>open<\/basic>/);
});

test('SIP: a multipart body is shown part by part', () => {
  const body = [
    '--b1',
    'Content-Type: application/rlmi+xml',
    '',
    '<list xmlns="urn:ietf:params:xml:ns:rlmi" uri="sip:l@d" version="1" fullState="true"/>',
    '--b1',
    'Content-Type: application/pidf+xml',
    '',
    PIDF,
    '--b1--',
    '',
  ].join('\r\n');
  const m = inspectMessage('sip', sip(body, 'multipart/related;type="application/rlmi+xml";boundary="b1"'));
  assert.deepEqual(
    m.payloads.map((p) => p.contentType),
    ['application/rlmi+xml', 'application/pidf+xml'],
  );
  assert.match(m.payloads[1]?.pretty ?? '', /<basic>open<\/basic>/);
});

test('CSP in WBXML: hex dump beside the decoded XML', () => {
  const m = inspectMessage('csp', wbxml);
  assert.equal(m.head, undefined);
  const p = m.payloads[0];
  assert.ok(p?.hex?.startsWith('000000  03 10 6a 00'));
  assert.match(p?.pretty ?? '', /<SendMessage-Request>/);
  assert.match(p?.pretty ?? '', /<SessionID>AA0BD762\.00000000\.test1<\/SessionID>/);
  assert.equal(p?.text, undefined);
});

test('CSP in XML: pretty-printed; broken XML says why instead of throwing', () => {
  const xml =
    '<WV-CSP-Message xmlns="http://www.openmobilealliance.org/DTD/WV-CSP1.2"><Session><SessionType>Inband</SessionType></Session></WV-CSP-Message>';
  const ok = inspectMessage('csp', Buffer.from(xml)).payloads[0];
  assert.match(ok?.pretty ?? '', /\n {2}<Session>\n {4}<SessionType>Inband<\/SessionType>/);
  const bad = inspectMessage('csp', Buffer.from('<WV-CSP-Message><Session>')).payloads[0];
  assert.equal(bad?.pretty, undefined);
  assert.match(bad?.note ?? '', /not well-formed XML/);
});

test('a WBXML body that does not decode keeps its hex and says why', () => {
  const p = inspectPayload(Buffer.from([0x03, 0x10, 0x6a, 0x00, 0xff, 0xff]), '');
  assert.ok(p.hex);
  assert.match(p.note ?? '', /WBXML did not decode/);
});

test('an entity-laden document is refused, not expanded', () => {
  const p = inspectPayload(
    Buffer.from('<!DOCTYPE a [<!ENTITY x "xxxxxxxx">]><a>&x;&x;</a>'),
    'application/xml',
  );
  assert.equal(p.pretty, undefined);
  assert.ok(p.note);
});

test('JSON payloads are indented; hexDump cuts long input and says how much', () => {
  assert.equal(
    inspectPayload(Buffer.from('{"a":[1]}'), 'application/json').pretty,
    '{\n  "a": [\n    1\n  ]\n}',
  );
  const dump = hexDump(Buffer.alloc(40, 0x41), 32);
  assert.equal(dump.split('\n').length, 3);
  assert.match(dump, /… 8 more bytes$/);
  assert.match(dump, /^000000 {2}41 41 .* {2}AAAAAAAAAAAAAAAA$/m);
});

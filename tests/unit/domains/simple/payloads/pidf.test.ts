import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { child } from '../../../../../common/xml/query.ts';
import { NS } from '../../../../../domains/simple/payloads/namespaces.ts';
import {
  emptyTuple,
  type Pidf,
  parsePidf,
  serializePidf,
} from '../../../../../domains/simple/payloads/pidf.ts';
import { activities } from '../../../../../domains/simple/payloads/rpid.ts';
import { assertSchemaValid } from '../../../../support/xmllint.ts';
import { stripXmlns } from './strip-xmlns.ts';

function ok(input: string): Pidf {
  const r = parsePidf(input);
  assert.ok(r.ok, r.ok ? '' : `${r.error.code}: ${r.error.message}`);
  return r.value;
}

function fails(input: string, code: string, status = 400): string {
  const r = parsePidf(input);
  assert.equal(r.ok, false, 'expected a refusal');
  if (r.ok) return '';
  assert.equal(r.error.code, code, r.error.message);
  assert.equal(r.error.sipStatus, status);
  return r.error.message;
}

// RFC 3863 §6 example (contact, note, timestamp).
const RFC3863 = `<?xml version="1.0" encoding="UTF-8"?>
<impp:presence xmlns:impp="urn:ietf:params:xml:ns:pidf" entity="pres:someone@example.com">
  <impp:tuple id="sg89ae">
    <impp:status><impp:basic>open</impp:basic></impp:status>
    <impp:contact priority="0.8">tel:+09012345678</impp:contact>
  </impp:tuple>
</impp:presence>`;

// Shaped on RFC 4480 §4 and RFC 4479 §4: person/device/service with RPID, CIPID, caps and a foreign extension.
const RICH = `<?xml version="1.0" encoding="UTF-8"?>
<presence xmlns="urn:ietf:params:xml:ns:pidf" xmlns:dm="urn:ietf:params:xml:ns:pidf:data-model"
  xmlns:rpid="urn:ietf:params:xml:ns:pidf:rpid" xmlns:c="urn:ietf:params:xml:ns:pidf:cipid"
  xmlns:caps="urn:ietf:params:xml:ns:pidf:caps" xmlns:ex="urn:example:ext" entity="pres:someone@example.com">
  <tuple id="bs35r9">
    <status><basic>open</basic><ex:geo lat="1" lon="2"/></status>
    <dm:deviceID>urn:device:0003ba4811e3</dm:deviceID>
    <rpid:relationship><rpid:self/></rpid:relationship>
    <rpid:service-class><rpid:electronic/></rpid:service-class>
    <rpid:status-icon>http://example.com/mail.png</rpid:status-icon>
    <caps:servcaps><caps:audio>true</caps:audio><caps:message>true</caps:message>
      <caps:methods><caps:supported><caps:INVITE/><caps:MESSAGE/></caps:supported></caps:methods></caps:servcaps>
    <ex:ringtone>bells</ex:ringtone>
    <contact priority="0.8">im:someone@mobilecarrier.net</contact>
    <note xml:lang="en">Don't Disturb Please!</note>
    <note xml:lang="fr">Ne dérangez pas, s'il vous plait</note>
    <timestamp>2005-10-27T16:49:29Z</timestamp>
  </tuple>
  <tuple id="ty4658"><status><ex:only-extension/></status><contact priority="1.0">mailto:someone@example.com</contact></tuple>
  <note xml:lang="en">Full presence</note>
  <dm:person id="p1">
    <rpid:activities from="2005-05-30T12:00:00+05:00" until="2005-05-30T17:00:00+05:00">
      <rpid:note>Far away</rpid:note><rpid:away/><rpid:meeting/><rpid:other>hiking</rpid:other></rpid:activities>
    <rpid:class>calendar</rpid:class>
    <rpid:mood><rpid:angry/><rpid:other>brooding</rpid:other></rpid:mood>
    <rpid:place-is><rpid:audio><rpid:noisy/></rpid:audio><rpid:video><rpid:dark/></rpid:video></rpid:place-is>
    <rpid:place-type><rpid:other>residence</rpid:other></rpid:place-type>
    <rpid:privacy><rpid:audio/><rpid:text/></rpid:privacy>
    <rpid:sphere><rpid:work/></rpid:sphere>
    <rpid:time-offset description="Tokyo">540</rpid:time-offset>
    <rpid:user-input idle-threshold="600" last-input="2005-05-30T12:00:00Z">idle</rpid:user-input>
    <c:display-name>Some One</c:display-name><c:homepage>http://example.com/~one</c:homepage>
    <c:card>http://example.com/one.vcf</c:card><c:icon>http://example.com/one.png</c:icon>
    <c:map>http://example.com/map</c:map><c:sound>http://example.com/one.wav</c:sound>
    <rpid:activities><rpid:busy/></rpid:activities>
    <dm:note>Scoring 120</dm:note>
    <dm:timestamp>2005-05-30T16:09:44+05:00</dm:timestamp>
  </dm:person>
  <dm:device id="pc122">
    <rpid:user-input>idle</rpid:user-input>
    <caps:devcaps><caps:mobility><caps:supported><caps:mobile/></caps:supported></caps:mobility></caps:devcaps>
    <dm:deviceID>urn:device:0003ba4811e3</dm:deviceID>
    <dm:note>PC</dm:note>
  </dm:device>
  <ex:location>here</ex:location>
</presence>`;

describe('PIDF — RFC examples', () => {
  it('reads the RFC 3863 example written with a prefix', () => {
    const d = ok(RFC3863);
    assert.equal(d.entity, 'pres:someone@example.com');
    assert.equal(d.tuples.length, 1);
    assert.equal(d.tuples[0]?.id, 'sg89ae');
    assert.equal(d.tuples[0]?.status.basic, 'open');
    assert.deepEqual(d.tuples[0]?.contact, { uri: 'tel:+09012345678', priority: 0.8 });
  });

  it('types data-model, RPID, CIPID and caps, and keeps extensions', () => {
    const d = ok(RICH);
    const [t1, t2] = d.tuples;
    assert.ok(t1 && t2);
    assert.deepEqual(t1.deviceIds, ['urn:device:0003ba4811e3']);
    assert.deepEqual(t1.rpid.relationship?.values, ['self']);
    assert.equal(t1.rpid.statusIcon?.uri, 'http://example.com/mail.png');
    assert.equal(t1.servcaps?.booleans.audio, true);
    assert.deepEqual(t1.servcaps?.lists.methods?.supported, ['INVITE', 'MESSAGE']);
    assert.deepEqual(
      t1.notes.map((n) => n.lang),
      ['en', 'fr'],
    );
    assert.equal(t1.timestamp, '2005-10-27T16:49:29Z');
    assert.deepEqual(
      t1.status.extensions.map((e) => e.local),
      ['geo'],
    );
    assert.deepEqual(
      t1.extensions.map((e) => e.local),
      ['ringtone'],
    );
    assert.equal(t2.status.basic, undefined, 'a status may hold only extensions (RFC 3863 §4.1.4)');
    assert.equal(t2.contact?.priority, 1);

    const p = d.persons[0];
    assert.ok(p);
    assert.deepEqual(p.rpid.activities?.values, ['away', 'meeting']);
    assert.deepEqual(p.rpid.activities?.others, [{ text: 'hiking' }]);
    assert.equal(p.rpid.activities?.from, '2005-05-30T12:00:00+05:00');
    assert.equal(p.rpid.class, 'calendar');
    assert.deepEqual(p.rpid.mood?.values, ['angry']);
    assert.equal(p.rpid.placeIs?.audio, 'noisy');
    assert.equal(p.rpid.placeIs?.video, 'dark');
    assert.deepEqual(p.rpid.privacy?.values, ['audio', 'text']);
    assert.deepEqual(p.rpid.sphere?.values, ['work']);
    assert.deepEqual(p.rpid.timeOffset, { minutes: 540, description: 'Tokyo' });
    assert.deepEqual(p.rpid.userInput, {
      value: 'idle',
      idleThreshold: 600,
      lastInput: '2005-05-30T12:00:00Z',
    });
    assert.equal(p.cipid.displayName, 'Some One');
    assert.equal(p.cipid.sound, 'http://example.com/one.wav');
    assert.equal(p.extensions.length, 1, 'a repeated <rpid:activities> is kept verbatim');
    assert.equal(p.timestamp, '2005-05-30T16:09:44+05:00');

    const dev = d.devices[0];
    assert.equal(dev?.deviceId, 'urn:device:0003ba4811e3');
    assert.deepEqual(dev?.devcaps?.mobility?.supported, ['mobile']);
    assert.equal(dev?.rpid.userInput?.value, 'idle');
    assert.deepEqual(
      d.extensions.map((e) => e.local),
      ['location'],
    );
  });
});

describe('PIDF — round trip and schema', () => {
  for (const [name, doc] of [
    ['RFC 3863', RFC3863],
    ['rich', RICH],
  ] as const) {
    it(`${name}: parse → serialize → parse is stable, and the output is schema-valid`, () => {
      const first = ok(doc);
      const xml = serializePidf(first);
      assert.deepEqual(stripXmlns(ok(xml)), stripXmlns(first));
      assert.equal(serializePidf(ok(xml)), xml);
      assertSchemaValid(xml, 'lab-presence.xsd');
    });
  }

  it('the extension elements are re-emitted with their namespaces', () => {
    const xml = serializePidf(ok(RICH));
    assert.match(xml, /<ex:ringtone xmlns:ex="urn:example:ext">bells<\/ex:ringtone>/);
    assert.match(xml, /<ex:location xmlns:ex="urn:example:ext">here<\/ex:location>/);
  });

  it('a built document serializes schema-valid', () => {
    const t = emptyTuple('t1', 'closed');
    t.contact = { uri: 'sip:jane@domain2.example', priority: 0.5 };
    t.notes.push({ text: 'back <soon> & "then"', lang: 'en' });
    const doc: Pidf = {
      entity: 'pres:jane@domain2.example',
      tuples: [t],
      notes: [],
      persons: [
        {
          id: 'p',
          rpid: { activities: activities(['away']) },
          cipid: { displayName: 'Jane' },
          notes: [],
          extensions: [],
        },
      ],
      devices: [],
      extensions: [],
    };
    const xml = serializePidf(doc, { indent: '  ' });
    assertSchemaValid(xml, 'lab-presence.xsd');
    assert.deepEqual(ok(xml), doc);
  });

  it('the schema check is live: a document with a bad RPID token fails it', () => {
    const xml = serializePidf(ok(RICH)).replace('<rpid:angry/>', '<rpid:grumpy-ish/>');
    assert.throws(() => assertSchemaValid(xml, 'lab-presence.xsd'), /grumpy-ish/);
  });
});

describe('PIDF — refusals', () => {
  const pidf = (inner: string, entity = 'entity="pres:a@b"') =>
    `<presence xmlns="urn:ietf:params:xml:ns:pidf" xmlns:dm="${NS.dm}" xmlns:rpid="${NS.rpid}" ${entity}>${inner}</presence>`;

  it('a tuple without <status>', () => {
    assert.match(
      fails(pidf('<tuple id="t"><contact>sip:a@b</contact></tuple>'), 'PAYLOAD_ERR_INVALID'),
      /status/,
    );
  });
  it('a bad <basic>', () => {
    fails(pidf('<tuple id="t"><status><basic>busy</basic></status></tuple>'), 'PAYLOAD_ERR_INVALID');
  });
  it('missing entity, non-URI entity, missing tuple id', () => {
    fails(pidf('', ''), 'PAYLOAD_ERR_INVALID');
    fails(pidf('', 'entity="not a uri"'), 'PAYLOAD_ERR_INVALID');
    fails(pidf('<tuple><status/></tuple>'), 'PAYLOAD_ERR_INVALID');
  });
  it('duplicate ids across tuple and person', () => {
    fails(pidf('<tuple id="x"><status/></tuple><dm:person id="x"/>'), 'PAYLOAD_ERR_INVALID');
  });
  it('a contact priority outside qvalue, a bad timestamp', () => {
    fails(
      pidf('<tuple id="t"><status/><contact priority="1.5">sip:a@b</contact></tuple>'),
      'PAYLOAD_ERR_INVALID',
    );
    fails(pidf('<tuple id="t"><status/><timestamp>yesterday</timestamp></tuple>'), 'PAYLOAD_ERR_INVALID');
  });
  it('unknown PIDF elements, unknown RPID tokens, a device without deviceID', () => {
    fails(pidf('<bogus/>'), 'PAYLOAD_ERR_INVALID');
    fails(
      pidf('<dm:person id="p"><rpid:activities><rpid:dancing/></rpid:activities></dm:person>'),
      'PAYLOAD_ERR_INVALID',
    );
    fails(pidf('<dm:device id="d"/>'), 'PAYLOAD_ERR_INVALID');
  });
  it('an extension marked mustUnderstand (RFC 3863 §4.1.7)', () => {
    fails(
      pidf('<x:e xmlns:x="urn:x" xmlns:pidf="urn:ietf:params:xml:ns:pidf" pidf:mustUnderstand="true"/>'),
      'PAYLOAD_ERR_MUST_UNDERSTAND',
    );
  });
  it('the wrong root, malformed XML, DTDs, oversize', () => {
    fails('<watcherinfo xmlns="urn:ietf:params:xml:ns:watcherinfo"/>', 'PAYLOAD_ERR_WRONG_ROOT');
    fails('<presence xmlns="urn:ietf:params:xml:ns:pidf" entity="pres:a@b">', 'PAYLOAD_ERR_MALFORMED_XML');
    fails(
      '<!DOCTYPE presence [<!ENTITY x SYSTEM "file:///etc/passwd">]><presence xmlns="urn:ietf:params:xml:ns:pidf" entity="pres:a@b">&x;</presence>',
      'PAYLOAD_ERR_FORBIDDEN_MARKUP',
    );
    const big = pidf('<note>x</note>'.repeat(20_000));
    fails(big, 'PAYLOAD_ERR_TOO_LARGE', 413);
    assert.equal(parsePidf(RICH, { maxDepth: 3 }).ok, false);
  });
  it('reads the tree helpers on a parsed extension', () => {
    const d = ok(RICH);
    const geo = d.tuples[0]?.status.extensions[0];
    assert.ok(geo);
    assert.equal(child({ ...geo, children: [geo] }, 'urn:example:ext', 'geo'), geo);
  });
});

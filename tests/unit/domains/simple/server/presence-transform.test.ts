import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type Pidf, parsePidf, serializePidf } from '../../../../../domains/simple/payloads/pidf.ts';
import { emptyProvideSet, emptyTransformations } from '../../../../../domains/simple/payloads/pres-rules.ts';
import { composePresence, neutralPresence } from '../../../../../domains/simple/server/presence-composer.ts';
import { fullTransformations } from '../../../../../domains/simple/server/presence-package.ts';
import { applyTransformations } from '../../../../../domains/simple/server/presence-transform.ts';
import { assertSchemaValid } from '../../../../support/xmllint.ts';

const USER = `<presence xmlns="urn:ietf:params:xml:ns:pidf" xmlns:dm="urn:ietf:params:xml:ns:pidf:data-model"
 xmlns:rpid="urn:ietf:params:xml:ns:pidf:rpid" entity="sip:jane@domain2.lab">
<tuple id="ua"><status><basic>open</basic></status><rpid:class>user</rpid:class><contact>sip:jane@domain2.lab</contact><note>tuple note</note></tuple>
<dm:person id="me"><rpid:activities><rpid:meeting/></rpid:activities><rpid:mood><rpid:happy/></rpid:mood><dm:note>busy</dm:note></dm:person>
</presence>`;
const NETWORK = `<presence xmlns="urn:ietf:params:xml:ns:pidf" xmlns:rpid="urn:ietf:params:xml:ns:pidf:rpid" entity="sip:jane@domain2.lab">
<tuple id="pna"><status><basic>open</basic></status><rpid:class>network</rpid:class></tuple></presence>`;

function doc(xml: string): Pidf {
  const r = parsePidf(xml);
  assert.ok(r.ok, r.ok ? '' : r.error.message);
  return r.value;
}

describe('composePresence (RFC 3903 §2 / RFC 4479 §4.3)', () => {
  it('keeps each source: tuples and persons by id, later sources replacing the same id', () => {
    const composed = composePresence('sip:jane@domain2.lab', [
      { etag: 'a', doc: doc(USER) },
      { etag: 'b', doc: doc(NETWORK) },
    ]);
    assert.deepEqual(
      composed.tuples.map((t) => t.id),
      ['ua', 'pna'],
    );
    assert.equal(composed.persons.length, 1);
    const replaced = composePresence('sip:jane@domain2.lab', [
      { etag: 'a', doc: doc(USER) },
      { etag: 'c', doc: doc(USER.replace('<basic>open', '<basic>closed')) },
    ]);
    assert.equal(replaced.tuples.length, 1);
    assert.equal(replaced.tuples[0]?.status.basic, 'closed');
    assertSchemaValid(serializePidf(composed), 'lab-presence.xsd');
  });

  it('has a neutral document that validates', () => {
    assertSchemaValid(serializePidf(neutralPresence('sip:jane@domain2.lab')), 'lab-presence.xsd');
  });
});

describe('applyTransformations (RFC 5025 §3.3)', () => {
  const composed = composePresence('sip:jane@domain2.lab', [
    { etag: 'a', doc: doc(USER) },
    { etag: 'b', doc: doc(NETWORK) },
  ]);

  it('provides nothing without permissions', () => {
    const out = applyTransformations(composed, emptyTransformations());
    assert.equal(out.tuples.length, 0);
    assert.equal(out.persons.length, 0);
  });

  it('provides everything with the full set', () => {
    const out = applyTransformations(composed, fullTransformations());
    assert.equal(out.tuples.length, 2);
    assert.deepEqual(out.persons[0]?.rpid.activities?.values, ['meeting']);
    assert.equal(out.persons[0]?.notes[0]?.text, 'busy');
  });

  it('selects services by class and strips attributes without their boolean permission', () => {
    const t = emptyTransformations();
    t.provideServices = { ...emptyProvideSet(), classes: ['user'] };
    t.providePersons = emptyProvideSet(true);
    t.booleans['provide-activities'] = true;
    const out = applyTransformations(composed, t);
    assert.deepEqual(
      out.tuples.map((x) => x.id),
      ['ua'],
    );
    assert.equal(out.tuples[0]?.rpid.class, undefined, 'provide-class absent');
    assert.equal(out.tuples[0]?.notes.length, 0, 'provide-note absent');
    assert.deepEqual(out.persons[0]?.rpid.activities?.values, ['meeting']);
    assert.equal(out.persons[0]?.rpid.mood, undefined);
    assertSchemaValid(serializePidf(out), 'lab-presence.xsd');
  });

  it('selects services by occurrence id and by contact scheme', () => {
    const byId = emptyTransformations();
    byId.provideServices = { ...emptyProvideSet(), occurrenceIds: ['pna'] };
    assert.deepEqual(
      applyTransformations(composed, byId).tuples.map((x) => x.id),
      ['pna'],
    );
    const byScheme = emptyTransformations();
    byScheme.provideServices = { ...emptyProvideSet(), serviceUriSchemes: ['SIP'] };
    assert.deepEqual(
      applyTransformations(composed, byScheme).tuples.map((x) => x.id),
      ['ua'],
    );
  });
});

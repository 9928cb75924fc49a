import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseRlmi, type RlmiList, serializeRlmi } from '../../../../../domains/simple/payloads/rlmi.ts';
import { assertSchemaValid } from '../../../../support/xmllint.ts';

// RFC 4662 §6 example (first NOTIFY, full state).
const RFC4662 = `<?xml version="1.0" encoding="UTF-8"?>
<list xmlns="urn:ietf:params:xml:ns:rlmi" uri="sip:adam-friends@pres.vancouver.example.com" version="1" fullState="true">
  <name xml:lang="en">Buddy List at COM</name>
  <name xml:lang="de">Liste der Freunde an COM</name>
  <resource uri="sip:bob@vancouver.example.com">
    <name>Bob Smith</name>
    <instance id="juwigmtboe" state="active" cid="bUZBsM@pres.vancouver.example.com"/>
  </resource>
  <resource uri="sip:dave@vancouver.example.com">
    <name>Dave Jones</name>
    <instance id="hqzsuxtfyq" state="active" cid="ZvSvkz@pres.vancouver.example.com"/>
  </resource>
  <resource uri="sip:ed@dallas.example.net"><name>Ed at NET</name></resource>
  <resource uri="sip:adam-friends@stockholm.example.org">
    <name xml:lang="en">My Friends at ORG</name>
    <name xml:lang="de">Meine Freunde an ORG</name>
  </resource>
  <resource uri="sip:fred@example.org">
    <instance id="x1" state="terminated" reason="rejected"/>
  </resource>
</list>`;

function ok(input: string): RlmiList {
  const r = parseRlmi(input);
  assert.ok(r.ok, r.ok ? '' : `${r.error.code}: ${r.error.message}`);
  return r.value;
}

describe('RLMI', () => {
  it('reads the RFC 4662 example', () => {
    const l = ok(RFC4662);
    assert.equal(l.uri, 'sip:adam-friends@pres.vancouver.example.com');
    assert.equal(l.version, 1);
    assert.equal(l.fullState, true);
    assert.deepEqual(l.names[1], { text: 'Liste der Freunde an COM', lang: 'de' });
    assert.equal(l.resources.length, 5);
    assert.deepEqual(l.resources[0]?.instances[0], {
      id: 'juwigmtboe',
      state: 'active',
      cid: 'bUZBsM@pres.vancouver.example.com',
      extensions: [],
    });
    assert.equal(l.resources[4]?.instances[0]?.reason, 'rejected');
  });

  it('round-trips schema-valid', () => {
    const l = ok(RFC4662);
    const xml = serializeRlmi(l);
    assertSchemaValid(xml, 'rlmi.xsd');
    assert.deepEqual(ok(xml), l);
    const partial: RlmiList = { uri: 'sip:l@x', version: 2, fullState: false, names: [], resources: [] };
    assertSchemaValid(serializeRlmi(partial), 'rlmi.xsd');
    assert.deepEqual(ok(serializeRlmi(partial)), partial);
  });

  it('refuses a bad state, a missing version, a non-boolean fullState', () => {
    for (const bad of [
      RFC4662.replace('state="active"', 'state="open"'),
      RFC4662.replace(' version="1"', ''),
      RFC4662.replace('fullState="true"', 'fullState="yes"'),
    ]) {
      const r = parseRlmi(bad);
      assert.equal(r.ok ? 'ok' : r.error.code, 'PAYLOAD_ERR_INVALID');
    }
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { identityKey } from '../../../../../domains/simple/payloads/common-policy.ts';
import {
  emptyProvideSet,
  emptyTransformations,
  type PresRuleset,
  parsePresRules,
  serializePresRules,
} from '../../../../../domains/simple/payloads/pres-rules.ts';
import { evaluatePresRules } from '../../../../../domains/simple/payloads/pres-rules-evaluate.ts';
import { assertSchemaValid } from '../../../../support/xmllint.ts';
import { stripXmlns } from './strip-xmlns.ts';

function ok(input: string): PresRuleset {
  const r = parsePresRules(input);
  assert.ok(r.ok, r.ok ? '' : `${r.error.code}: ${r.error.message}`);
  return r.value;
}

// RFC 5025 §4 example, extended with the other transformations and conditions.
const DOC = `<?xml version="1.0" encoding="UTF-8"?>
<cr:ruleset xmlns="urn:ietf:params:xml:ns:pres-rules" xmlns:pr="urn:ietf:params:xml:ns:pres-rules"
  xmlns:cr="urn:ietf:params:xml:ns:common-policy">
  <cr:rule id="a">
    <cr:conditions>
      <cr:identity><cr:one id="sip:user@example.com"/></cr:identity>
    </cr:conditions>
    <cr:actions><pr:sub-handling>allow</pr:sub-handling></cr:actions>
    <cr:transformations>
      <pr:provide-services><pr:service-uri-scheme>sip</pr:service-uri-scheme>
        <pr:service-uri-scheme>mailto</pr:service-uri-scheme></pr:provide-services>
      <pr:provide-persons><pr:all-persons/></pr:provide-persons>
      <pr:provide-activities>true</pr:provide-activities>
      <pr:provide-user-input>bare</pr:provide-user-input>
      <pr:provide-unknown-attribute ns="urn:vendor-specific:foo-namespace" name="foo">true</pr:provide-unknown-attribute>
    </cr:transformations>
  </cr:rule>
  <cr:rule id="colleagues">
    <cr:conditions>
      <cr:identity><cr:many domain="example.com"><cr:except id="sip:boss@example.com"/></cr:many></cr:identity>
      <cr:sphere value="work office"/>
      <cr:validity><cr:from>2026-01-01T00:00:00Z</cr:from><cr:until>2027-01-01T00:00:00Z</cr:until></cr:validity>
    </cr:conditions>
    <cr:actions><pr:sub-handling>confirm</pr:sub-handling><x:log xmlns:x="urn:x"/></cr:actions>
    <cr:transformations>
      <pr:provide-devices><pr:deviceID>urn:uuid:1</pr:deviceID><pr:class>work</pr:class></pr:provide-devices>
      <pr:provide-mood>true</pr:provide-mood><pr:provide-note>false</pr:provide-note>
      <pr:provide-user-input>full</pr:provide-user-input>
      <pr:provide-all-attributes/>
    </cr:transformations>
  </cr:rule>
  <cr:rule id="strangers">
    <cr:conditions><cr:identity><cr:many><cr:except domain="spam.example"/></cr:many></cr:identity></cr:conditions>
    <cr:actions><pr:sub-handling>polite-block</pr:sub-handling></cr:actions>
  </cr:rule>
  <cr:rule id="geo-only"><cr:conditions><g:near xmlns:g="urn:geo"/></cr:conditions>
    <cr:actions><pr:sub-handling>allow</pr:sub-handling></cr:actions></cr:rule>
</cr:ruleset>`;

const IN_2026 = Date.parse('2026-06-01T00:00:00Z');

describe('pres-rules codec', () => {
  it('reads conditions, actions and transformations', () => {
    const rs = ok(DOC);
    assert.equal(rs.rules.length, 4);
    const [a, colleagues, strangers] = rs.rules;
    assert.deepEqual(a?.conditions?.identities[0]?.ones, ['sip:user@example.com']);
    assert.equal(a?.subHandling, 'allow');
    assert.deepEqual(a?.transformations.provideServices?.serviceUriSchemes, ['sip', 'mailto']);
    assert.equal(a?.transformations.providePersons?.all, true);
    assert.equal(a?.transformations.booleans['provide-activities'], true);
    assert.equal(a?.transformations.provideUserInput, 'bare');
    assert.deepEqual(a?.transformations.unknownAttributes, [
      { name: 'foo', ns: 'urn:vendor-specific:foo-namespace', value: true },
    ]);
    assert.deepEqual(colleagues?.conditions?.identities[0]?.manys, [
      { domain: 'example.com', excepts: [{ id: 'sip:boss@example.com' }] },
    ]);
    assert.deepEqual(colleagues?.conditions?.spheres, ['work office']);
    assert.equal(colleagues?.actionExtensions[0]?.local, 'log');
    assert.deepEqual(colleagues?.transformations.provideDevices?.deviceIds, ['urn:uuid:1']);
    assert.equal(colleagues?.transformations.provideAllAttributes, true);
    assert.equal(strangers?.conditions?.identities[0]?.manys[0]?.domain, undefined);
  });

  it('round-trips and emits schema-valid documents', () => {
    const rs = ok(DOC);
    const xml = serializePresRules(rs);
    assert.deepEqual(stripXmlns(ok(xml)), stripXmlns(rs));
    assertSchemaValid(xml, 'lab-pres-rules.xsd');
    const built: PresRuleset = {
      rules: [
        {
          id: 'wv-buddies',
          conditions: {
            identities: [{ ones: ['sip:harry@domain1.example'], manys: [], extensions: [] }],
            spheres: [],
            validities: [],
            externalLists: [],
            extensions: [],
          },
          subHandling: 'allow',
          actionExtensions: [],
          transformations: {
            ...emptyTransformations(),
            provideServices: emptyProvideSet(true),
            booleans: { 'provide-note': true, 'provide-status-icon': true, 'provide-place-type': true },
          },
        },
        {
          id: 'default',
          subHandling: 'confirm',
          actionExtensions: [],
          transformations: emptyTransformations(),
        },
      ],
    };
    const bxml = serializePresRules(built);
    assertSchemaValid(bxml, 'lab-pres-rules.xsd');
    assert.deepEqual(ok(bxml), built);
  });

  it('refuses bad sub-handling, unknown pr elements, all-* mixed with selectors, duplicate rule ids', () => {
    for (const bad of [
      DOC.replace('>allow<', '>maybe<'),
      DOC.replace('<pr:provide-mood>', '<pr:provide-aura>true</pr:provide-aura><pr:provide-mood>'),
      DOC.replace('<pr:all-persons/>', '<pr:all-persons/><pr:class>x</pr:class>'),
      DOC.replace('id="colleagues"', 'id="a"'),
      DOC.replace('<cr:until>2027-01-01T00:00:00Z</cr:until>', ''),
    ]) {
      const r = parsePresRules(bad);
      assert.equal(r.ok ? 'ok' : r.error.code, 'PAYLOAD_ERR_INVALID');
    }
  });
});

describe('evaluatePresRules (RFC 4745 §10)', () => {
  const rs = ok(DOC);

  it('a listed identity gets its rule; the wildcard rule adds polite-block, the max is allow', () => {
    const d = evaluatePresRules(rs, 'sip:user@example.com', IN_2026);
    assert.deepEqual(d.matchedRules, ['a', 'strangers']);
    assert.equal(d.subHandling, 'allow');
    assert.equal(d.transformations.booleans['provide-activities'], true);
    assert.equal(d.transformations.provideUserInput, 'bare');
  });

  it('many domain + sphere + validity all must hold', () => {
    const atWork = evaluatePresRules(rs, 'sip:carol@EXAMPLE.com;transport=tcp', IN_2026, { sphere: 'work' });
    assert.deepEqual(atWork.matchedRules, ['colleagues', 'strangers']);
    assert.equal(atWork.subHandling, 'polite-block', 'max(confirm, polite-block)');
    assert.equal(atWork.transformations.provideAllAttributes, true);
    assert.equal(atWork.transformations.provideUserInput, 'full');
    assert.equal(atWork.transformations.booleans['provide-note'], false);
    assert.deepEqual(
      evaluatePresRules(rs, 'sip:carol@example.com', IN_2026, { sphere: 'home' }).matchedRules,
      ['strangers'],
    );
    assert.deepEqual(
      evaluatePresRules(rs, 'sip:carol@example.com', Date.parse('2027-01-01T00:00:00Z'), { sphere: 'work' })
        .matchedRules,
      ['strangers'],
      'until is exclusive',
    );
    assert.deepEqual(
      evaluatePresRules(rs, 'sip:boss@example.com', IN_2026, { sphere: 'work' }).matchedRules,
      ['strangers'],
    );
  });

  it('except domain, anonymous watchers, unknown conditions', () => {
    const spam = evaluatePresRules(rs, 'sip:bot@spam.example', IN_2026);
    assert.deepEqual(spam.matchedRules, []);
    assert.equal(spam.subHandling, 'block', 'no matching rule: most restrictive');
    assert.deepEqual(spam.transformations, emptyTransformations());
    assert.deepEqual(evaluatePresRules(rs, undefined, IN_2026).matchedRules, []);
  });

  it('unions provide sets, ORs booleans and unknown attributes', () => {
    const twoRules = ok(
      DOC.replace('<cr:sphere value="work office"/>', '').replace(
        '<pr:provide-devices><pr:deviceID>urn:uuid:1</pr:deviceID>',
        '<pr:provide-services><pr:service-uri-scheme>tel</pr:service-uri-scheme></pr:provide-services><pr:provide-devices><pr:deviceID>urn:uuid:1</pr:deviceID>',
      ),
    );
    const d = evaluatePresRules(twoRules, 'sip:user@example.com', IN_2026);
    assert.deepEqual(d.matchedRules, ['a', 'colleagues', 'strangers']);
    assert.deepEqual(d.transformations.provideServices?.serviceUriSchemes, ['sip', 'mailto', 'tel']);
    assert.equal(d.transformations.provideUserInput, 'full');
    assert.equal(d.transformations.unknownAttributes[0]?.value, true);
  });

  it('identity keys fold AOR schemes and host case only', () => {
    assert.equal(identityKey('pres:Bob@Example.COM'), identityKey('sip:Bob@example.com'));
    assert.notEqual(identityKey('sip:bob@example.com'), identityKey('sip:Bob@example.com'));
    assert.equal(identityKey('"Bob" <sip:bob@example.com;tag=1>'), 'sip:bob@example.com');
  });
});

describe('OMA common-policy conditions (OMA XDM Core §5.1.2)', () => {
  const OMA = `<cr:ruleset xmlns:cr="urn:ietf:params:xml:ns:common-policy" xmlns:pr="urn:ietf:params:xml:ns:pres-rules"
    xmlns:ocp="urn:oma:xml:xdm:common-policy">
    <cr:rule id="wp_prs_allow_own"><cr:conditions><cr:identity><cr:one id="sip:jane@domain2.example"/></cr:identity></cr:conditions>
      <cr:actions><pr:sub-handling>allow</pr:sub-handling></cr:actions></cr:rule>
    <cr:rule id="rcs_allow_services_anonymous"><cr:conditions><ocp:anonymous-request/></cr:conditions>
      <cr:actions><pr:sub-handling>polite-block</pr:sub-handling></cr:actions></cr:rule>
    <cr:rule id="buddies"><cr:conditions><ocp:external-list>
        <ocp:entry anc="http://xcap.domain2.example/resource-lists/users/sip:jane@domain2.example/index/~~/resource-lists/list%5B@name=%22buddies%22%5D"/>
      </ocp:external-list></cr:conditions>
      <cr:actions><pr:sub-handling>allow</pr:sub-handling></cr:actions>
      <cr:transformations><pr:provide-persons><pr:all-persons/></pr:provide-persons></cr:transformations></cr:rule>
    <cr:rule id="wp_prs_unlisted"><cr:conditions><ocp:other-identity/></cr:conditions>
      <cr:actions><pr:sub-handling>confirm</pr:sub-handling></cr:actions></cr:rule>
  </cr:ruleset>`;
  const rs = ok(OMA);
  const buddies = new Set(['sip:harry@domain1.example']);
  const isListMember = (anchor: string, who: string) => anchor.includes('buddies') && buddies.has(who);

  it('reads, round-trips and validates against the OMA schema', () => {
    assert.equal(rs.rules[1]?.conditions?.anonymousRequest, true);
    assert.equal(rs.rules[2]?.conditions?.externalLists[0]?.length, 1);
    assert.equal(rs.rules[3]?.conditions?.otherIdentity, true);
    const xml = serializePresRules(rs);
    assertSchemaValid(xml, 'lab-pres-rules.xsd');
    assert.deepEqual(stripXmlns(ok(xml)), stripXmlns(rs));
  });

  it('external-list members, other identities and anonymous requests each get their rule', () => {
    const harry = evaluatePresRules(rs, 'sip:harry@domain1.example', IN_2026, { isListMember });
    assert.deepEqual(harry.matchedRules, ['buddies']);
    assert.equal(harry.subHandling, 'allow');
    const stranger = evaluatePresRules(rs, 'sip:ron@domain1.example', IN_2026, { isListMember });
    assert.deepEqual(stranger.matchedRules, ['wp_prs_unlisted']);
    assert.equal(stranger.subHandling, 'confirm');
    const anon = evaluatePresRules(rs, undefined, IN_2026, { isListMember });
    assert.deepEqual(anon.matchedRules, ['rcs_allow_services_anonymous']);
    assert.deepEqual(
      evaluatePresRules(rs, 'sip:harry@domain1.example', IN_2026).matchedRules,
      ['wp_prs_unlisted'],
      'without a list resolver nobody is a member',
    );
  });
});

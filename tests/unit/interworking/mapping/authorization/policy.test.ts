import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PRESENCE_ATTRIBUTE_NAMES } from '../../../../../domains/imps/csp/model/presence-attributes.ts';
import { parsePresRules, serializePresRules } from '../../../../../domains/simple/payloads/pres-rules.ts';
import { evaluatePresRules } from '../../../../../domains/simple/payloads/pres-rules-evaluate.ts';
import { impsToSip } from '../../../../../interworking/mapping/address.ts';
import { transformationsToAttributes } from '../../../../../interworking/mapping/authorization/attribute-permissions.ts';
import {
  emptyPolicy,
  type ImpsDecision,
  type ImpsPresencePolicy,
  resolveImpsDecision,
} from '../../../../../interworking/mapping/authorization/imps-policy.ts';
import {
  impsPolicyToPresRules,
  POLICY_ROWS,
} from '../../../../../interworking/mapping/authorization/imps-policy-to-pres-rules.ts';
import { presRulesToImps } from '../../../../../interworking/mapping/authorization/pres-rules-to-imps.ts';
import { assertSchemaValid } from '../../../../support/xmllint.ts';

// The pres-rules the IWF renders must decide, for every watcher, what IMPS decides: evaluated
// with the payloads' RFC 4745/5025 evaluator, compared with imps.md §3.2's resolution.

const NOW = Date.parse('2026-11-24T04:00:00Z');

function simpleDecision(policy: ImpsPresencePolicy, watcherWv: string): ImpsDecision {
  const rules = impsPolicyToPresRules(policy).value;
  const uri = impsToSip(watcherWv);
  assert.ok(uri.ok);
  const d = evaluatePresRules(rules, uri.value, NOW);
  if (d.subHandling === 'allow')
    return { kind: 'grant', attributes: transformationsToAttributes(d.transformations).value };
  if (d.subHandling === 'polite-block') return { kind: 'grant', attributes: [] };
  if (d.subHandling === 'confirm') return { kind: 'reactive' };
  return { kind: 'block' };
}

const sorted = (d: ImpsDecision) =>
  d.kind === 'grant'
    ? { kind: d.kind, attributes: PRESENCE_ATTRIBUTE_NAMES.filter((n) => d.attributes.includes(n)) }
    : d;

const LOSSLESS = [
  'OnlineStatus',
  'ClientInfo',
  'TimeZone',
  'FreeTextLocation',
  'CommCap',
  'UserAvailability',
  'StatusText',
  'StatusMood',
  'Alias',
  'StatusContent',
  'ContactInfo',
  'InfoLink',
];
const jane = 'wv:jane@domain2.lab';
const bob = 'wv:bob@domain2.lab';
const eve = 'wv:eve@domain2.lab';

function rowsOf(p: ImpsPresencePolicy) {
  return impsPolicyToPresRules(p).rows;
}

describe('IMPS policy → pres-rules rows', () => {
  const ids = new Set(POLICY_ROWS.map((r) => r.id));

  it('AU1: a user grant is an allow rule for that identity with the attributes', () => {
    const p = {
      ...emptyPolicy(),
      userGrants: [{ userId: jane, attributes: ['OnlineStatus', 'StatusText'] }],
    };
    assert.ok(rowsOf(p).includes('AU1'));
    assert.deepEqual(simpleDecision(p, jane), { kind: 'grant', attributes: ['OnlineStatus', 'StatusText'] });
    assert.deepEqual(simpleDecision(p, bob), { kind: 'block' });
  });

  it('AU2 + AU3: user > contact list > default, although RFC 4745 combines by maximum', () => {
    const p: ImpsPresencePolicy = {
      ...emptyPolicy(),
      userGrants: [{ userId: jane, attributes: ['OnlineStatus'] }],
      contactListGrants: [
        {
          contactList: 'wv:harry/friends@domain1.lab',
          members: [jane, bob],
          attributes: ['StatusText', 'Alias'],
        },
      ],
      defaultGrant: ['OnlineStatus', 'StatusMood', 'Alias', 'StatusText'],
    };
    const rows = rowsOf(p);
    assert.ok(rows.includes('AU2') && rows.includes('AU3'));
    assert.deepEqual(simpleDecision(p, jane), { kind: 'grant', attributes: ['OnlineStatus'] });
    assert.deepEqual(simpleDecision(p, bob), { kind: 'grant', attributes: ['StatusText', 'Alias'] });
    assert.deepEqual(sorted(simpleDecision(p, eve)), sorted({ kind: 'grant', attributes: p.defaultGrant! }));
  });

  it('AU4 + AU8: reactive → confirm; a denied watcher is not asked again', () => {
    const p: ImpsPresencePolicy = { ...emptyPolicy(), reactive: true, denied: [bob] };
    const rows = rowsOf(p);
    assert.ok(rows.includes('AU4') && rows.includes('AU8'));
    assert.deepEqual(simpleDecision(p, jane), { kind: 'reactive' });
    assert.deepEqual(simpleDecision(p, bob), { kind: 'block' });
  });

  it('AU5: a blocked identity is blocked even when a default or list grant covers it', () => {
    const p: ImpsPresencePolicy = {
      ...emptyPolicy(),
      contactListGrants: [
        { contactList: 'wv:harry/all@domain1.lab', members: [jane], attributes: ['OnlineStatus'] },
      ],
      defaultGrant: ['OnlineStatus'],
      blocked: [jane],
    };
    assert.ok(rowsOf(p).includes('AU5'));
    assert.deepEqual(simpleDecision(p, jane), { kind: 'block' });
    assert.deepEqual(simpleDecision(p, bob), { kind: 'grant', attributes: ['OnlineStatus'] });
  });

  it('AU6: an in-use grant list confines the default to its members', () => {
    const p: ImpsPresencePolicy = { ...emptyPolicy(), defaultGrant: ['OnlineStatus'], grantList: [jane] };
    assert.ok(rowsOf(p).includes('AU6'));
    assert.deepEqual(simpleDecision(p, jane), { kind: 'grant', attributes: ['OnlineStatus'] });
    assert.deepEqual(simpleDecision(p, bob), { kind: 'block' });
  });

  it('AU9: nobody else is matched by an explicit catch-all block; AU10: non-wv identities are left out', () => {
    const p: ImpsPresencePolicy = {
      ...emptyPolicy(),
      userGrants: [{ userId: 'wv:nodomain', attributes: [] }],
    };
    const r = impsPolicyToPresRules(p);
    assert.ok(r.rows.includes('AU9') && r.rows.includes('AU10'));
    assert.deepEqual(
      r.value.rules.map((x) => x.id),
      ['wv-otherwise'],
    );
    for (const id of r.rows) assert.ok(ids.has(id), id);
  });

  it('renders XSD-valid pres-rules that the codec reads back unchanged', () => {
    const p: ImpsPresencePolicy = {
      ...emptyPolicy(),
      userGrants: [{ userId: jane, attributes: ['OnlineStatus', 'GeoLocation'] }],
      contactListGrants: [{ contactList: 'wv:harry/f@domain1.lab', members: [bob], attributes: ['Alias'] }],
      defaultGrant: PRESENCE_ATTRIBUTE_NAMES.slice(),
      blocked: [eve],
    };
    const xml = serializePresRules(impsPolicyToPresRules(p).value);
    assertSchemaValid(xml, 'lab-pres-rules.xsd');
    const parsed = parsePresRules(xml);
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.value, impsPolicyToPresRules(p).value);
  });

  it('equals the IMPS resolution for every watcher of random policies (seeded)', () => {
    let s = 42;
    const r = () => {
      s = (s * 48271) % 2147483647;
      return s / 2147483647;
    };
    const people = ['wv:a@d2.lab', 'wv:b@d2.lab', 'wv:c@d2.lab', 'wv:d@d2.lab', 'wv:e@d2.lab', 'wv:f@d2.lab'];
    const some = <T>(xs: T[], p: number) => xs.filter(() => r() < p);
    const attrs = () => some(LOSSLESS, 0.3);
    for (let i = 0; i < 400; i++) {
      const p: ImpsPresencePolicy = {
        userGrants: some(people, 0.25).map((userId) => ({ userId, attributes: attrs() })),
        contactListGrants: [0, 1]
          .filter(() => r() < 0.5)
          .map((n) => ({
            contactList: `wv:h/l${n}@d1.lab`,
            members: some(people, 0.4),
            attributes: attrs(),
          })),
        blocked: some(people, 0.15),
        denied: some(people, 0.15),
        reactive: r() < 0.5,
      };
      if (r() < 0.4) p.defaultGrant = attrs();
      if (r() < 0.2) p.grantList = some(people, 0.5);
      for (const w of people) {
        assert.deepEqual(
          sorted(simpleDecision(p, w)),
          sorted(resolveImpsDecision(p, w)),
          `policy ${i}, watcher ${w}: ${JSON.stringify(p)}`,
        );
      }
    }
  });
});

describe('pres-rules → IMPS rows', () => {
  const doc = (rules: string) =>
    parsePresRules(
      `<cp:ruleset xmlns:cp="urn:ietf:params:xml:ns:common-policy" xmlns:pr="urn:ietf:params:xml:ns:pres-rules">${rules}</cp:ruleset>`,
    );

  it('PR1 + PR2 + PR5: allow one / allow many / block one', () => {
    const d = doc(
      '<cp:rule id="a"><cp:conditions><cp:identity><cp:one id="sip:harry@domain1.lab"/></cp:identity></cp:conditions><cp:actions><pr:sub-handling>allow</pr:sub-handling></cp:actions><cp:transformations><pr:provide-persons><pr:all-persons/></pr:provide-persons><pr:provide-mood>true</pr:provide-mood></cp:transformations></cp:rule>' +
        '<cp:rule id="b"><cp:conditions><cp:identity><cp:many><cp:except id="sip:x@domain1.lab"/></cp:many></cp:identity></cp:conditions><cp:actions><pr:sub-handling>allow</pr:sub-handling></cp:actions><cp:transformations><pr:provide-services><pr:all-services/></pr:provide-services></cp:transformations></cp:rule>' +
        '<cp:rule id="c"><cp:conditions><cp:identity><cp:one id="sip:x@domain1.lab"/></cp:identity></cp:conditions><cp:actions><pr:sub-handling>block</pr:sub-handling></cp:actions></cp:rule>',
    );
    assert.ok(d.ok);
    const r = presRulesToImps(d.value);
    assert.deepEqual(r.value.userGrants, [{ userId: 'wv:harry@domain1.lab', attributes: ['StatusMood'] }]);
    assert.deepEqual(r.value.defaultGrant, ['OnlineStatus', 'CommCap']);
    assert.deepEqual(r.value.blocked, ['wv:x@domain1.lab']);
    assert.deepEqual(r.rows.sort(), ['PR1', 'PR2', 'PR5']);
  });

  it('PR3 + PR4 + PR6: confirm for everyone, polite-block, conditions IMPS cannot hold', () => {
    const d = doc(
      '<cp:rule id="a"><cp:actions><pr:sub-handling>confirm</pr:sub-handling></cp:actions></cp:rule>' +
        '<cp:rule id="b"><cp:conditions><cp:identity><cp:one id="sip:bob@domain1.lab"/></cp:identity><cp:sphere value="work"/></cp:conditions><cp:actions><pr:sub-handling>polite-block</pr:sub-handling></cp:actions></cp:rule>',
    );
    assert.ok(d.ok);
    const r = presRulesToImps(d.value);
    assert.equal(r.value.reactive, true);
    assert.deepEqual(r.value.userGrants, [{ userId: 'wv:bob@domain1.lab', attributes: [] }]);
    assert.deepEqual(r.rows.sort(), ['PR3', 'PR4', 'PR6']);
  });

  it("the IWF's own rules read back to a policy with the same decisions", () => {
    const p: ImpsPresencePolicy = {
      ...emptyPolicy(),
      userGrants: [{ userId: jane, attributes: ['OnlineStatus', 'Alias'] }],
      blocked: [eve],
      reactive: true,
    };
    const back = presRulesToImps(impsPolicyToPresRules(p).value).value;
    for (const w of [jane, bob, eve])
      assert.deepEqual(resolveImpsDecision(back, w), resolveImpsDecision(p, w), w);
  });
});

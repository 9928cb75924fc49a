import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parsePidf } from '../../../../../domains/simple/payloads/pidf.ts';
import {
  parseResourceLists,
  serializeResourceLists,
} from '../../../../../domains/simple/payloads/resource-lists.ts';
import { parseRlmi } from '../../../../../domains/simple/payloads/rlmi.ts';
import {
  CONTACT_LIST_ROWS,
  memberChanges,
  planContactListSubscription,
  RLS_ACCEPT,
  rlmiToPresences,
} from '../../../../../interworking/mapping/subscription/contact-list-subscription.ts';
import { assertSchemaValid } from '../../../../support/xmllint.ts';

const LIST = 'wv:harry/friends@domain1.lab';
const MEMBERS = ['wv:ann@domain1.lab', 'wv:jane@domain2.lab', 'wv:Bob@Domain2.lab', 'wv:nodomain'];
const opts = { impsDomains: ['domain1.lab'] };

const RLMI = `<list xmlns="urn:ietf:params:xml:ns:rlmi" uri="sip:harry-friends@domain1.lab" version="2" fullState="false">
  <resource uri="sip:jane@domain2.lab"><instance id="a" state="active" cid="jane@rls"/></resource>
  <resource uri="sip:bob@domain2.lab"><instance id="b" state="pending"/></resource>
  <resource uri="sip:eve@domain2.lab"><instance id="c" state="terminated" reason="rejected"/></resource>
</list>`;
const JANE = `<presence xmlns="urn:ietf:params:xml:ns:pidf" entity="pres:jane@domain2.lab"><tuple id="t"><status><basic>open</basic></status></tuple></presence>`;

const CASES: Record<string, () => string[]> = {
  CL1: () => {
    const p = planContactListSubscription(LIST, MEMBERS, { ...opts, rls: false });
    assert.equal(p.mode, 'per-member');
    assert.deepEqual(p.members, [
      { userId: 'wv:jane@domain2.lab', sipUri: 'sip:jane@domain2.lab' },
      { userId: 'wv:Bob@Domain2.lab', sipUri: 'sip:bob@domain2.lab' },
    ]);
    return p.rows;
  },
  CL2: () => {
    const p = planContactListSubscription(LIST, MEMBERS, { ...opts, rls: true });
    assert.equal(p.mode, 'rls');
    assert.equal(p.listUri, 'sip:harry-friends@domain1.lab');
    const xml = serializeResourceLists(p.resourceLists!);
    assertSchemaValid(xml, 'resourcelists.xsd');
    const back = parseResourceLists(xml);
    assert.ok(back.ok);
    assert.match(RLS_ACCEPT, /application\/rlmi\+xml/);
    return p.rows;
  },
  CL3: () => {
    const p = planContactListSubscription(LIST, MEMBERS, { ...opts, rls: false });
    assert.deepEqual(p.skipped, [{ userId: 'wv:nodomain', code: 531, description: 'Unknown user' }]);
    assert.ok(!p.members.some((m) => m.userId === 'wv:ann@domain1.lab'));
    return p.rows;
  },
  CL4: () => {
    const c = memberChanges(
      ['wv:jane@domain2.lab', 'wv:bob@domain2.lab'],
      ['WV:Jane@domain2.lab', 'wv:eve@domain2.lab'],
    );
    assert.deepEqual(c.subscribe, ['wv:eve@domain2.lab']);
    assert.deepEqual(c.unsubscribe, ['wv:bob@domain2.lab']);
    return [c.row];
  },
  CL5: () => rlmiCase().rows,
  CL6: () => rlmiCase().rows,
  CL7: () => rlmiCase().rows,
  CL8: () => rlmiCase().rows,
};

function rlmiCase() {
  const rlmi = parseRlmi(RLMI);
  const jane = parsePidf(JANE);
  assert.ok(rlmi.ok && jane.ok);
  const r = rlmiToPresences(rlmi.value, new Map([['jane@rls', jane.value]]));
  assert.deepEqual(r.value, [
    {
      userId: 'wv:jane@domain2.lab',
      presenceSubList: {
        onlineStatus: { qualifier: true, presenceValue: 'T' },
        commCap: { qualifier: true, commC: [{ cap: 'IM', status: 'OPEN' }] },
        userAvailability: { qualifier: true, presenceValue: 'AVAILABLE' },
      },
    },
    { userId: 'wv:eve@domain2.lab', effect: { kind: 'end', csp: 532 } },
  ]);
  return r;
}

describe('contact-list subscription rows', () => {
  for (const row of CONTACT_LIST_ROWS) {
    it(`${row.id} ${row.direction}: ${row.imps} ⇄ ${row.simple}`, () => {
      const run = CASES[row.id];
      assert.ok(run, `row ${row.id} has no test case`);
      const rows = run();
      assert.ok(rows.includes(row.id), `row ${row.id} not reported (got ${rows.join(',')})`);
    });
  }
});

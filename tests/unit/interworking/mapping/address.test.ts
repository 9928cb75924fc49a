import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ADDRESS_ROWS, impsToSip, sipToImps } from '../../../../interworking/mapping/address.ts';

// One test per mapping row: each row's example goes through the mapper and must come out as the
// row says, naming the row that produced it.

const options = {
  defaultDomain: 'domain2.lab',
  isListUri: (u: string) => u === 'sip:jane-friends@domain2.lab',
};

describe('address mapping rows', () => {
  for (const row of ADDRESS_ROWS) {
    it(`${row.id} ${row.direction}: ${row.imps} ⇄ ${row.simple}`, () => {
      const result =
        row.direction === 'imps→simple'
          ? impsToSip(row.example.input)
          : sipToImps(row.example.input, options);
      if (row.example.output === null) {
        assert.equal(result.ok, false, `expected a refusal for ${row.example.input}`);
      } else {
        assert.ok(result.ok, `mapping failed: ${'reason' in result ? result.reason : ''}`);
        assert.equal(result.value, row.example.output);
      }
      assert.ok(result.rows.includes(row.id), `row ${row.id} not reported (got ${result.rows.join(',')})`);
    });
  }
});

describe('address mapping round trips', () => {
  for (const wv of ['wv:harry@domain1.lab', 'wv:+358401234567@domain1.lab', 'wv:o.brien@domain1.lab']) {
    it(`wv → sip → wv keeps ${wv}`, () => {
      const sip = impsToSip(wv);
      assert.ok(sip.ok);
      const back = sipToImps(sip.value);
      assert.ok(back.ok);
      assert.equal(back.value, wv);
    });
  }

  it('refuses unsupported schemes and malformed input without throwing', () => {
    for (const bad of ['mailto:x@y', 'http://x', '', 'sip:', 'wv:@', 'wv:a\u0001b@d', 'sip:%ZZ@d']) {
      const r = bad.startsWith('wv:') ? impsToSip(bad) : sipToImps(bad);
      if (bad === 'sip:%ZZ@d') assert.equal(r.ok, true);
      else assert.equal(r.ok, false, bad);
    }
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cspStatusToSip, STATUS_ROWS, sipStatusToCsp } from '../../../../interworking/mapping/status.ts';

// One test per row: the row's input maps to the row's output and names the row.

describe('status mapping rows', () => {
  for (const row of STATUS_ROWS) {
    it(`${row.id} ${row.direction}: SIP ${row.sip} ⇄ CSP ${row.csp}`, () => {
      if (row.direction === 'simple→imps') {
        const sip = row.sip.endsWith('xx') ? Number(row.sip[0]) * 100 + 99 : Number(row.sip);
        const mapped = sipStatusToCsp(sip);
        assert.equal(mapped.code, row.csp);
        assert.equal(mapped.row, row.id);
        assert.equal(mapped.text, row.text);
      } else {
        const mapped = cspStatusToSip(row.csp);
        const first = STATUS_ROWS.find((r) => r.direction === 'imps→simple' && r.csp === row.csp)!;
        assert.equal(mapped.code, Number(first.sip));
        assert.equal(mapped.row, first.id);
        if (first === row) assert.equal(mapped.text, row.text);
      }
    });
  }

  it('maps unlisted codes by class', () => {
    assert.equal(cspStatusToSip(299).code, 200);
    assert.equal(cspStatusToSip(555).code, 500);
    assert.equal(cspStatusToSip(777).code, 400);
    assert.equal(sipStatusToCsp(422).code, 400);
    assert.equal(sipStatusToCsp(580).code, 500);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { aggregate, detail, errorResult, PS1_ERRORS } from '../../../../../domains/imps/server/ps1-status.ts';

describe('PS1 status catalogue and aggregation (imps.md §7)', () => {
  it('every entry has a code and a Description', () => {
    for (const [name, [code, text]] of Object.entries(PS1_ERRORS)) {
      assert.ok(code >= 400 && code < 1000, name);
      assert.ok(text.length > 3, name);
    }
    assert.deepEqual(errorResult('PS1_ERR_NOT_AGREED', 'MDELIV'), {
      code: 506,
      description: 'Service not agreed: MDELIV',
    });
  });
  it('one target failing is its own code; some failing 201; all failing differently 900', () => {
    assert.equal(aggregate(1, []).code, 200);
    assert.equal(aggregate(1, [detail(531, ['x'])]).code, 531);
    assert.equal(aggregate(3, [detail(531, ['x'])]).code, 201);
    assert.equal(aggregate(2, [detail(531, ['x']), detail(516, ['y'])]).code, 900);
    assert.equal(aggregate(2, [detail(531, ['x']), detail(531, ['y'])]).code, 531);
  });
});

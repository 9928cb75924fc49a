import assert from 'node:assert/strict';
import { it } from 'node:test';
import { matrixIsCurrent } from '../../../../interworking/mapping/render-matrix.ts';

it('docs/mapping.md is rendered from the current mapping rows (run npm run docs:mapping)', () => {
  assert.equal(matrixIsCurrent(), true);
});

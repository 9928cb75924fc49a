import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CSP_ERRORS, cspError } from '../../../../../domains/imps/csp/csp-errors.ts';
import {
  CSP_STATUS_CODES,
  describeStatus,
  isSessionTerminating,
} from '../../../../../domains/imps/csp/status-codes.ts';

test('catalogue holds the imps.md §7 codes with their Description', () => {
  for (const [code, text] of [
    [200, 'Successful'],
    [201, 'Partially successful'],
    [400, 'Bad request'],
    [402, 'Bad parameter'],
    [405, 'Service not supported'],
    [501, 'Not implemented'],
    [505, 'Version not supported'],
    [516, 'Domain not supported'],
    [531, 'Unknown user'],
    [604, 'Invalid session / not logged in'],
    [760, 'Automatic subscription/unsubscription is not supported'],
    [900, 'Multiple errors'],
  ] as const) {
    assert.equal(CSP_STATUS_CODES.get(code), text);
  }
  assert.equal(CSP_STATUS_CODES.size, 87);
});

test('unknown codes get a class description', () => {
  assert.equal(describeStatus(299), 'Successful');
  assert.equal(describeStatus(499), 'Client error');
  assert.equal(describeStatus(599), 'Server error');
  assert.equal(describeStatus(777), 'Error');
});

test('600/601/604 end the session (imps.md §7 client handling)', () => {
  assert.deepEqual([600, 601, 602, 604, 200].map(isSessionTerminating), [true, true, false, true, false]);
});

test('every codec error maps to a catalogued code', () => {
  for (const [name, [code]] of Object.entries(CSP_ERRORS)) {
    assert.ok(CSP_STATUS_CODES.has(code), name);
  }
  assert.deepEqual(cspError('CSP_ERR_UNKNOWN_PRIMITIVE', 'Foo'), {
    name: 'CSP_ERR_UNKNOWN_PRIMITIVE',
    code: 405,
    description: 'Service not supported (Foo)',
  });
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { badRequest, ProblemError, problemOf } from '../../../../web-ui/server/problem.ts';

test('a ProblemError becomes an RFC 9457 body; anything else is a 500 without a stack', () => {
  assert.deepEqual(problemOf(badRequest('login: via: invalid'), '/api/v1/users/jane/login'), {
    type: '/problems/bad-request',
    title: 'Malformed request',
    status: 400,
    detail: 'login: via: invalid',
    instance: '/api/v1/users/jane/login',
  });
  const t = problemOf(
    new ProblemError(401, 'terminal-refused', 'TERM_ERR_AUTH_FAILED', 'no', { e: 1 }),
    '/x',
  );
  assert.deepEqual(t.terminal, { e: 1 });
  const internal = problemOf(new TypeError('boom'), '/y');
  assert.equal(internal.status, 500);
  assert.equal(internal.detail, 'boom');
  assert.equal(JSON.stringify(internal).includes('at '), false);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  badRequest,
  CONSOLE_PROBLEMS,
  consoleProblem,
  ProblemError,
  problemOf,
} from '../../../../web-ui/server/problem.ts';

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

test('the catalogue gives each kind one status and title, as docs/console.md lists them', async () => {
  const { readFileSync } = await import('node:fs');
  const doc = readFileSync(new URL('../../../../docs/console.md', import.meta.url), 'utf8');
  for (const [kind, { status, title }] of Object.entries(CONSOLE_PROBLEMS)) {
    const p = problemOf(consoleProblem(kind as keyof typeof CONSOLE_PROBLEMS, 'why'), '/z');
    assert.deepEqual([p.type, p.status, p.title, p.detail], [`/problems/${kind}`, status, title, 'why']);
    assert.ok(doc.includes(`| \`${kind}\` | ${status} | ${title} |`), `docs/console.md lists ${kind}`);
  }
});

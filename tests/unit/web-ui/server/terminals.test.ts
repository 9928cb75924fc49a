import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Topology } from '../../../../lab/topology.ts';
import { ProblemError } from '../../../../web-ui/server/problem.ts';
import { ACTIONS, callTerminal, terminalsOf } from '../../../../web-ui/server/terminals.ts';

const topology: Topology = {
  domains: { 'domain1.lab': { server: 'ps1' } },
  nodes: {
    ps1: { role: 'ps1', address: '127.0.1.1', ports: { http: 8081 } },
    harry: { role: 'harry', address: '127.0.1.10', ports: { control: 8090 }, user: 'wv:Harry@Domain1.lab' },
    sally: {
      role: 'harry',
      address: '127.0.1.11',
      ports: { control: 8093 },
      user: 'wv:sally@domain1.lab',
      csp: { version: '1.3', encoding: 'wbxml' },
    } as Topology['nodes'][string],
    jane: { role: 'jane', address: '127.0.2.10', ports: { control: 8091 }, user: 'sip:jane@domain2.lab' },
  },
};

test('the terminals are the harry/jane nodes, at the control address the topology gives', () => {
  const t = terminalsOf(topology);
  assert.deepEqual(
    t.map((x) => [x.node, x.protocol, x.bare, x.controlUrl, x.csp]),
    [
      [
        'harry',
        'imps',
        'harry@domain1.lab',
        'http://127.0.1.10:8090/api/v1',
        { version: '1.2', encoding: 'xml' },
      ],
      [
        'sally',
        'imps',
        'sally@domain1.lab',
        'http://127.0.1.11:8093/api/v1',
        { version: '1.3', encoding: 'wbxml' },
      ],
      ['jane', 'simple', 'jane@domain2.lab', 'http://127.0.2.10:8091/api/v1', undefined],
    ],
  );
});

test('only the listed lab actions exist, and each body is checked before any call', async () => {
  assert.deepEqual(Object.keys(ACTIONS).sort(), [
    'authorize',
    'login',
    'logout',
    'message',
    'presence',
    'revoke',
    'subscribe',
    'unsubscribe',
  ]);
  // An address nothing listens on: a call that got past the checks would fail as unreachable.
  const jane = { ...terminalsOf(topology)[2]!, controlUrl: 'http://127.0.0.1:9/api/v1' };
  const refusals: Array<[string, unknown, number]> = [
    ['shell', { cmd: 'ls' }, 404],
    ['__proto__', {}, 404],
    ['login', { via: 'moon' }, 400],
    ['presence', { basic: 'maybe' }, 400],
    ['presence', { note: 'x'.repeat(2000) }, 400],
    ['authorize', { watcher: 'sip:a@b', decision: 'maybe' }, 400],
    ['message', { to: 'sip:a@b', text: '' }, 400],
    ['subscribe', { target: 'sip:a@b', url: 'http://elsewhere' }, 400],
    ['login', 'not an object', 400],
  ];
  for (const [action, body, status] of refusals) {
    await assert.rejects(
      callTerminal(jane, action, body),
      (e: unknown) => e instanceof ProblemError && e.status === status,
      `${action} ${JSON.stringify(body)}`,
    );
  }
  await assert.rejects(
    callTerminal(jane, 'logout', {}, 2_000),
    (e: unknown) => e instanceof ProblemError && e.status === 502 && e.kind === 'terminal-unreachable',
  );
});

import assert from 'node:assert/strict';
import { it } from 'node:test';
import { startLab } from './lab.ts';

// Ps2Config.digestAlgorithms: what PS2 offers in its challenges (SIPp 3.6 needs MD5 alone).

for (const [algorithms, expected] of [
  [undefined, ['SHA-256', 'MD5']],
  [['MD5'], ['MD5']],
] as const) {
  it(`PS2 offers ${expected.join(', ')} when configured with ${algorithms ? algorithms.join(',') : 'the default'}`, async () => {
    const lab = await startLab('127.0.9.171', algorithms ? { digestAlgorithms: [...algorithms] } : {});
    try {
      const { ua } = await lab.agent('jane', '127.0.9.172');
      // `credentials: null` sends it unanswered, to see the challenge itself.
      const register = (credentials?: null) =>
        ua.request({
          method: 'REGISTER',
          uri: 'sip:domain2.lab',
          from: 'sip:jane@domain2.lab',
          to: 'sip:jane@domain2.lab',
          headers: [['Expires', '300']],
          ...(credentials === null ? { credentials } : {}),
        });
      const challenged = await register(null);
      assert.equal(challenged.status, 401);
      const offered = challenged.headers
        .getFields('WWW-Authenticate')
        .map((v) => /algorithm=([\w-]+)/.exec(v)?.[1]);
      assert.deepEqual(offered, expected);
      const registered = await register();
      assert.equal(registered.status, 200, 'the agent answers with its credentials');
    } finally {
      await lab.stop();
    }
  });
}

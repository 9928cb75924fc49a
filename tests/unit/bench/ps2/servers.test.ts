import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, it } from 'node:test';
import { processGroupCpuSeconds } from '../../../../bench/ps2/servers.ts';

describe('bench:ps2 processGroupCpuSeconds', () => {
  it('sums the CPU time of every process in a group, and only of that group', async () => {
    // Two busy shells in one new process group (the leader and its child).
    const leader = spawn('sh', ['-c', '(while :; do :; done) & while :; do :; done'], {
      detached: true,
      stdio: 'ignore',
    });
    // An idle group beside it: the busy one's CPU must not show up there.
    const idle = spawn('sleep', ['30'], { detached: true, stdio: 'ignore' });
    const pgid = leader.pid;
    const idlePgid = idle.pid;
    assert.ok(pgid && idlePgid);
    try {
      const before = processGroupCpuSeconds(pgid);
      await new Promise((r) => setTimeout(r, 600));
      const after = processGroupCpuSeconds(pgid);
      assert.ok(after > before, `group CPU ${before} → ${after}`);
      assert.ok(after >= 0.05, `two busy loops for 600 ms used only ${after} s`);
      assert.ok(processGroupCpuSeconds(idlePgid) < 0.05, 'the idle group is charged nothing');
    } finally {
      process.kill(-pgid, 'SIGKILL');
      process.kill(-idlePgid, 'SIGKILL');
      await Promise.all([leader, idle].map((c) => new Promise((r) => c.once('exit', r))));
    }
  });
});

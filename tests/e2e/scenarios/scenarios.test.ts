// The scenarios that run today, each run for real through the runner: the Lab launcher starts
// every node as its own process on loopback, the actors are driven through their terminals'
// control API, and the artifacts are checked. The cross-domain use-case scenarios that pass
// through the IWF run in cross-domain.test.ts.
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseXml } from '../../../common/xml/parse.ts';
import { parseScenario } from '../../../scenarios/scenario-file.ts';
import type { Scenario } from '../../../scenarios/scenario-schema.ts';
import { catalogScenario, relocatedLab, runPassing } from './scenario-harness.ts';

const root = join(import.meta.dirname, '..', '..', '..');

// The lab's own topology on addresses no other suite uses, so a run never meets another test's
// sockets (the scenarios' added users keep their own addresses).
const lab = relocatedLab('scenarios', {
  ps1: '127.0.71.1',
  harry: '127.0.71.10',
  ps2: '127.0.72.1',
  jane: '127.0.72.10',
  iwf: '127.0.73.1',
  visited: '127.0.74.1',
});
const { dir, base } = lab;

/** A file the runner wrote for `scenario` (it writes them into `<artifactsRoot>/<name>/`). */
const artifact = (scenario: Scenario, file: string) => join(dir, scenario.name, file);

const arrows = (mermaid: string) => mermaid.split('\n').filter((l) => /->>|-->>/.test(l));

/** The scenario CLI (`npm run scenario`) run to its end from the repository root. */
const scenarioCli = (args: string[], timeout = 60_000) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'scenarios/cli.ts', ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout,
  });

/** runPassing has checked the JUnit file's test cases and failures; here: it is well-formed XML. */
function checkJUnitWellFormed(junit: string): void {
  assert.ok(parseXml(Buffer.from(junit)).ok, 'junit.xml is well-formed');
}

describe('scenarios that run today', () => {
  it('domain2-presence-basic: PS2 + Jane + Alice, every step passes, artifacts written', async () => {
    const s = catalogScenario('domain2-presence-basic');
    const { mermaid, junit } = await runPassing(s, lab, [
      'jane->>ps2: REGISTER',
      'alice->>ps2: SUBSCRIBE (presence)',
      'ps2->>jane: NOTIFY (presence.winfo)',
      'ps2->>alice: NOTIFY (presence)',
      'alice-->>ps2: 200 OK (NOTIFY)',
      'ps2->>jane: MESSAGE',
    ]);
    assert.match(mermaid, /^sequenceDiagram\n/);
    assert.match(
      mermaid,
      /participant ps2 as PS2\n {2}participant jane as Jane\n {2}participant alice as Alice\n/,
    );
    assert.match(mermaid, /Note over ps2,alice: use case step 2: /);
    checkJUnitWellFormed(junit);
    const pcap = readFileSync(artifact(s, 'trace.pcap'));
    assert.equal(pcap.readUInt32LE(0), 0xa1b2c3d4);
    assert.ok(pcap.length > 24 + 16 * arrows(mermaid).length, 'one record per crossing at least');
    assert.match(
      readFileSync(artifact(s, 'steps.log'), 'utf8'),
      /✓ domain2-presence-basic: \d+\/\d+ steps passed/,
    );
  });

  it('domain1-presence-basic: PS1 + Harry (CSP 1.2 XML) + Sally (CSP 1.3 WBXML)', async () => {
    const { mermaid, junit } = await runPassing(catalogScenario('domain1-presence-basic'), lab, [
      'harry->>ps1: CSP Login-Request',
      'sally->>ps1: CSP SubscribePresence-Request',
      'ps1-->>harry: CSP Status 200',
      'sally->>ps1: CSP SendMessage-Request',
      // A server-initiated transaction (Request mode) inside the poll answer: a solid arrow.
      'ps1->>sally: CSP PresenceNotification-Request',
    ]);
    assert.match(
      mermaid,
      /participant sally as Sally\n {2}participant harry as Harry\n {2}participant ps1 as PS1\n/,
    );
    checkJUnitWellFormed(junit);
  });

  it('a failing expectation fails its step, skips the rest, and the CLI exits 1 with the lab stopped', () => {
    const failing = readFileSync(join(root, 'scenarios', 'domain2-presence-basic.yaml'), 'utf8')
      .replace('name: domain2-presence-basic', 'name: failing-hop')
      .replace(
        'method: PUBLISH, contains: "<basic>open</basic>"',
        'method: PUBLISH, contains: "<basic>nowhere</basic>"',
      )
      .replace(/^timeoutMs: \d+$/m, 'timeoutMs: 1500');
    const parsed = parseScenario(failing);
    assert.ok(parsed.ok, 'still a valid scenario');
    const files = mkdtempSync(join(dir, 'files-'));
    writeFileSync(join(files, 'failing-hop.yaml'), failing);
    const out = join(dir, 'cli-out');
    const cli = scenarioCli(['failing-hop', '--dir', files, '--topology', base, '--out', out], 90_000);
    assert.equal(cli.status, 1, cli.stdout + cli.stderr);
    assert.match(
      cli.stdout,
      /\[ 4\/\d+\] ✗ §3 hop: Jane->PS2 sip PUBLISH contains "<basic>nowhere<\/basic>"/,
    );
    assert.match(cli.stdout, /seen on jane->ps2: .*PUBLISH/);
    assert.match(cli.stdout, /✗ failing-hop: step 4 failed — 3\/\d+ steps passed/);
    const junit = readFileSync(join(out, 'failing-hop', 'junit.xml'), 'utf8');
    assert.match(junit, /failures="1"/);
    assert.match(junit, /<skipped /);
    assert.ok(existsSync(join(out, 'failing-hop', 'trace.pcap')));
  });

  it('scenarios needing a missing capability are listed as not runnable yet, with the reason', () => {
    // Every scenario of scenarios/ runs today: a copy that requires a capability the lab lacks.
    const files = mkdtempSync(join(dir, 'blocked-'));
    const blockedYaml = readFileSync(join(root, 'scenarios', 'domain2-presence-basic.yaml'), 'utf8')
      .replace('name: domain2-presence-basic', 'name: needs-teleport')
      .replace(/^steps:$/m, 'requires: [teleport]\nsteps:');
    assert.ok(parseScenario(blockedYaml).ok, 'still a valid scenario');
    writeFileSync(join(files, 'needs-teleport.yaml'), blockedYaml);
    writeFileSync(
      join(files, 'domain2-presence-basic.yaml'),
      readFileSync(join(root, 'scenarios', 'domain2-presence-basic.yaml'), 'utf8'),
    );
    const cli = scenarioCli(['--list', '--dir', files]);
    assert.equal(cli.status, 0, cli.stderr);
    assert.match(cli.stdout, /^runnable\s+domain2-presence-basic/m);
    assert.match(cli.stdout, /^not yet\s+needs-teleport\s+needs teleport/m);
    const blocked = scenarioCli(['needs-teleport', '--dir', files]);
    assert.equal(blocked.status, 3);
    assert.match(blocked.stderr, /needs-teleport: needs teleport/);
  });

  it('Ctrl-C stops the run and every node process, and still writes the artifacts', async () => {
    const out = join(dir, 'interrupted');
    const cli = spawn(
      process.execPath,
      ['--import', 'tsx', 'scenarios/cli.ts', 'domain2-presence-basic', '--topology', base, '--out', out],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    cli.stdout.on('data', (d) => {
      stdout += String(d);
    });
    const exited = new Promise<number | null>((resolve) => cli.once('exit', (code) => resolve(code)));
    const deadline = Date.now() + 60_000;
    while (!/lab: .* ready in/.test(stdout) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    assert.match(stdout, /lab: .* ready in/);
    cli.kill('SIGINT');
    assert.equal(await exited, 130, stdout);
    assert.match(stdout, /interrupted: stopping the lab/);
    // The node processes were started with the run's own topology file: none may be left.
    const topology = join(out, 'domain2-presence-basic', 'topology.yaml');
    const left = (() => {
      try {
        return execFileSync('pgrep', ['-f', topology], { encoding: 'utf8' }).trim();
      } catch {
        return '';
      }
    })();
    assert.equal(left, '', 'no node process left running');
    assert.ok(existsSync(join(out, 'domain2-presence-basic', 'junit.xml')));
  });
});

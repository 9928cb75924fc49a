// `npm run scenario -- [name ...] [--list]`: runs scenarios headless (all runnable ones when no
// name is given), prints the step log, writes artifacts/scenarios/<name>/, and exits non-zero
// when a scenario fails (1), a file is invalid or a name unknown (2), or a named scenario cannot
// run in the lab as built (3). Ctrl-C ends the current step; the lab is always stopped.
import { Command } from 'commander';
import { loadTopology } from '../lab/topology.ts';
import { runnability, runScenario } from './runner.ts';
import { formatProblems, loadCatalog } from './scenario-catalog.ts';
import type { Scenario } from './scenario-schema.ts';

const program = new Command('scenario')
  .description('run the lab’s YAML scenarios headless (docs/scenarios.md)')
  .argument('[names...]', 'scenario names (default: every runnable scenario)')
  .option('-l, --list', 'list the scenarios and whether each can run today')
  .option('-t, --topology <file>', 'base topology file (default lab/topology.yaml)')
  .option('-o, --out <dir>', 'artifacts root', 'artifacts/scenarios')
  .option('--dir <dir>', 'directory of scenario files (default scenarios/)')
  .action(async (names: string[], opts: { list?: boolean; topology?: string; out: string; dir?: string }) => {
    const catalog = loadCatalog(opts.dir);
    const base = loadTopology(opts.topology);
    let invalid = 0;
    for (const e of catalog)
      if (!e.ok) {
        invalid++;
        console.error(formatProblems(e));
      }
    const valid = catalog.flatMap((e) => (e.ok ? [e.scenario] : []));
    if (opts.list) {
      for (const s of valid) {
        const r = runnability(s, base);
        const mark = r.runnable ? 'runnable     ' : 'not yet      ';
        console.log(
          `${mark}${s.name.padEnd(40)} ${r.runnable ? (s.description?.trim().split('\n')[0] ?? '') : r.reason}`,
        );
      }
      process.exitCode = invalid > 0 ? 2 : 0;
      return;
    }
    let chosen: Scenario[];
    if (names.length > 0) {
      const unknown = names.filter((n) => !valid.some((s) => s.name === n));
      if (unknown.length > 0) {
        console.error(`unknown scenario(s): ${unknown.join(', ')} (see --list)`);
        process.exitCode = 2;
        return;
      }
      chosen = names.map((n) => valid.find((s) => s.name === n) as Scenario);
      const blocked = chosen.flatMap((s) => {
        const r = runnability(s, base);
        return r.runnable ? [] : [`${s.name}: ${r.reason}`];
      });
      if (blocked.length > 0) {
        console.error(`not runnable yet:\n  ${blocked.join('\n  ')}`);
        process.exitCode = 3;
        return;
      }
    } else {
      chosen = [];
      for (const s of valid) {
        const r = runnability(s, base);
        if (r.runnable) chosen.push(s);
        else console.log(`· ${s.name}: not runnable yet (${r.reason})`);
      }
    }
    const abort = new AbortController();
    const interrupt = () => {
      console.log('\ninterrupted: stopping the lab…');
      abort.abort();
    };
    process.once('SIGINT', interrupt);
    process.once('SIGTERM', interrupt);
    let failed = 0;
    for (const s of chosen) {
      if (abort.signal.aborted) break;
      const run = await runScenario(s, {
        ...(opts.topology ? { baseTopologyPath: opts.topology } : {}),
        artifactsRoot: opts.out,
        log: (line) => console.log(line),
        signal: abort.signal,
      });
      if (run.result.status !== 'passed') failed++;
      console.log(`  artifacts: ${run.artifacts.dir}/ (sequence.mmd, junit.xml, trace.pcap, steps.log)\n`);
    }
    if (chosen.length > 1) console.log(`${chosen.length - failed}/${chosen.length} scenario(s) passed`);
    process.exitCode = abort.signal.aborted ? 130 : failed > 0 ? 1 : invalid > 0 ? 2 : 0;
  });

await program.parseAsync();

// The lab's command line: `npm start` runs `lab/cli.ts start`.
import { Command } from 'commander';
import { Lab } from './launcher.ts';
import { loadTopology } from './topology.ts';

const program = new Command('lab').description('IMPS ⇄ SIP/SIMPLE interworking lab');

program
  .command('start', { isDefault: true })
  .description('start every node of the topology on loopback, until Ctrl-C')
  .option('-t, --topology <file>', 'topology file', undefined)
  .option('--pcap <file>', 'write the run’s trace as pcap on exit', 'artifacts/lab-trace.pcap')
  .action(async (opts: { topology?: string; pcap: string }) => {
    const lab = new Lab({
      ...(opts.topology ? { topologyPath: opts.topology } : {}),
      log: (l) => console.log(l),
    });
    const stop = async () => {
      console.log('\nlab: stopping…');
      await lab.stop();
      lab.writePcap(opts.pcap);
      console.log(`lab: stopped; trace written to ${opts.pcap} (${lab.trace.length} events)`);
      process.exit(0);
    };
    process.once('SIGINT', () => void stop());
    process.once('SIGTERM', () => void stop());
    try {
      await lab.start();
    } catch (error) {
      console.error(`lab: ${(error as Error).message}`);
      process.exit(1);
    }
    console.log('lab: ready — where each node listens:');
    for (const n of lab.nodes) {
      console.log(
        `  ${n.name.padEnd(8)} ${n.role.padEnd(8)} ${Object.entries(n.endpoints)
          .map(([k, v]) => `${k} ${v}`)
          .join('   ')}`,
      );
    }
    for (const s of lab.skipped)
      console.log(`  ${s.name.padEnd(8)} ${s.role.padEnd(8)} (not part of this build yet)`);
    console.log('lab: Ctrl-C stops every node.');
  });

program
  .command('topology')
  .description('print the topology as loaded and validated')
  .option('-t, --topology <file>', 'topology file')
  .action((opts: { topology?: string }) => {
    console.log(JSON.stringify(loadTopology(opts.topology), null, 2));
  });

await program.parseAsync();

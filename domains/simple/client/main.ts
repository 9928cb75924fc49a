// Jane's terminal as a process, for the launcher: `tsx domains/simple/client/main.ts [config.json]`.
// The config holds a SimpleTerminalConfig plus `controlPort`; the defaults are DESIGN's (Jane on
// 127.0.2.10, PS2 127.0.2.1, visited proxy 127.0.4.1, control API on :8090).
import { readFileSync } from 'node:fs';
import { startControlServer } from './control-server.ts';
import { SimpleTerminal, type SimpleTerminalConfig } from './simple-terminal.ts';

type Config = SimpleTerminalConfig & { controlPort?: number };

const defaults: Config = {
  user: 'jane',
  domain: 'domain2.lab',
  password: 'jane-secret',
  address: '127.0.2.10',
  sipPort: 5060,
  home: { address: '127.0.2.1', port: 5060 },
  visited: { address: '127.0.4.1', port: 5060 },
  xcapRoot: 'http://127.0.2.1:5080/xcap',
  controlPort: 8090,
};
const path = process.argv[2] ?? process.env.TERMINAL_CONFIG;
const config: Config = path
  ? { ...defaults, ...(JSON.parse(readFileSync(path, 'utf8')) as Partial<Config>) }
  : defaults;
const terminal = new SimpleTerminal(config);
await terminal.start();
const control = await startControlServer(terminal, {
  address: config.address,
  port: config.controlPort ?? 8090,
});
console.log(
  `${terminal.aor}: SIP ${config.address}:${config.sipPort ?? 5060}, control http://${control.address}:${control.port}/api/v1`,
);
const shutdown = () => {
  void control
    .close()
    .then(() => terminal.stop())
    .then(() => process.exit(0));
};
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);

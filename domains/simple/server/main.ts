// PS2 as a process, for the launcher: `tsx domains/simple/server/main.ts [config.json]`. The
// config file holds a Ps2Config (users, routes, trusted peers …); without one, the lab defaults
// of DESIGN (127.0.2.1, domain1.lab → IWF 127.0.3.1, visited network 127.0.4.1) with Jane.
import { readFileSync } from 'node:fs';
import { startPs2 } from './ps2.ts';
import { DEFAULT_PS2_CONFIG, type Ps2Config } from './ps2-config.ts';

function loadConfig(path: string | undefined): Ps2Config {
  const base: Ps2Config = {
    ...DEFAULT_PS2_CONFIG,
    routes: { ...DEFAULT_PS2_CONFIG.routes },
    trustedPeers: { ...DEFAULT_PS2_CONFIG.trustedPeers },
    visitedNetworks: [...DEFAULT_PS2_CONFIG.visitedNetworks],
    users: { jane: 'jane-secret' },
  };
  if (!path) return base;
  const file = JSON.parse(readFileSync(path, 'utf8')) as Partial<Ps2Config>;
  return { ...base, ...file };
}

const ps2 = await startPs2(loadConfig(process.argv[2] ?? process.env.PS2_CONFIG));
console.log(
  `PS2 ${ps2.config.domain}: SIP ${ps2.sip.address}:${ps2.sip.port} (udp+tcp), XCAP ${ps2.xcap.rootUri}`,
);
const shutdown = () => {
  void ps2.stop().then(() => process.exit(0));
};
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);

// The two presence servers bench:ps2 drives with the same workload: PS2 (in this process) and
// Kamailio in presence mode (its own process group, lab/kamailio/kamailio-presence.cfg:
// force_active=1, so every watcher is authorised, like PS2's allow-all pres-rules below). Each
// comes with its own publisher user agent, so a server is reached only through its own router.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { startPs2 } from '../../domains/simple/server/ps2.ts';
import { SipUserAgent, StaticRouter } from '../../domains/simple/sip/core/index.ts';
import { startBenchKamailio } from './kamailio-bench.ts';

export const DOMAIN = 'bench.lab';

export interface BenchServer {
  name: 'PS2' | 'Kamailio';
  address: string;
  /** Sends PUBLISH number `round` of presentity `i` (RFC 3903 §4.4: modifies the one publication). */
  publish(i: number, round: number): Promise<void>;
  /** CPU seconds the server has used so far (PS2: this process, publishers included). */
  cpuSeconds(): number;
  /** PUBLISHes the server refused 500 and the bench sent again. */
  publishRetries(): number;
  stop(): Promise<void>;
}

/** A PIDF whose basic status flips every round, so every PUBLISH is a change worth notifying. */
const body = (i: number, round: number) =>
  `<?xml version="1.0" encoding="UTF-8"?><presence xmlns="urn:ietf:params:xml:ns:pidf" entity="sip:p${i}@${DOMAIN}"><tuple id="t"><status><basic>${round % 2 ? 'closed' : 'open'}</basic></status><note>round ${round}</note></tuple></presence>`;

async function publisherFor(serverAddress: string, ownAddress: string) {
  const ua = new SipUserAgent({
    node: `pub-${ownAddress}`,
    address: ownAddress,
    port: 5060,
    router: new StaticRouter({ [DOMAIN]: { address: serverAddress, port: 5060 } }),
  });
  await ua.start();
  const etags: Array<string | undefined> = [];
  let retries = 0;
  const publish = async (i: number, round: number) => {
    for (let attempt = 0; ; attempt++) {
      const etag = etags[i];
      const r = await ua.request({
        method: 'PUBLISH',
        uri: `sip:p${i}@${DOMAIN}`,
        from: `sip:p${i}@${DOMAIN}`,
        headers: [
          ['Event', 'presence'],
          ['Expires', '3600'],
          ...(etag ? ([['SIP-If-Match', etag]] as Array<[string, string]>) : []),
        ],
        body: body(i, round),
        contentType: 'application/pidf+xml',
        // One TCP connection per server: Kamailio then reads every PUBLISH in one TCP worker, so
        // its SQLite writes do not race between children (see the retries below).
        protocol: 'tcp',
      });
      if (r.status === 200) {
        etags[i] = r.headers.get('SIP-ETag');
        return;
      }
      // Kamailio's SQLite backend answers 500 "database is locked" when two of its children
      // write at once (WAL or not, SQLite has one writer): sent again after a pause, counted.
      if (r.status !== 500 || attempt >= 20)
        throw new Error(`PUBLISH p${i} → ${serverAddress}: ${r.status} ${r.reason}`);
      retries++;
      await new Promise((resolve) => setTimeout(resolve, 5 + attempt * 5));
    }
  };
  const publishRetries = () => retries;
  return { ua, publish, publishRetries };
}

export async function startPs2Server(
  address: string,
  publisherAddress: string,
  presentities: number,
): Promise<BenchServer> {
  const users: Record<string, string> = {};
  for (let i = 0; i < presentities; i++) users[`p${i}`] = 'pw';
  const ps2 = await startPs2({
    domain: DOMAIN,
    address,
    sipPort: 5060,
    xcapPort: 0,
    users,
    requireAuth: false, // Kamailio's presence config has no auth either
    notifyMinIntervalMs: 0, // RFC 3856 §6.4 rate limiting off: the bench measures fan-out
  });
  // Every presentity allows every bench.lab watcher (RFC 5025 sub-handling allow).
  const allowAll = `<?xml version="1.0" encoding="UTF-8"?>
<cp:ruleset xmlns:cp="urn:ietf:params:xml:ns:common-policy" xmlns:pr="urn:ietf:params:xml:ns:pres-rules">
<cp:rule id="all"><cp:conditions><cp:identity><cp:many domain="${DOMAIN}"/></cp:identity></cp:conditions>
<cp:actions><pr:sub-handling>allow</pr:sub-handling></cp:actions>
<cp:transformations><pr:provide-services><pr:all-services/></pr:provide-services><pr:provide-persons><pr:all-persons/></pr:provide-persons><pr:provide-note>true</pr:provide-note></cp:transformations>
</cp:rule></cp:ruleset>`;
  for (let i = 0; i < presentities; i++)
    ps2.xcapStore.put('pres-rules', `sip:p${i}@${DOMAIN}`, 'index', allowAll);
  const { ua, publish, publishRetries } = await publisherFor(address, publisherAddress);
  return {
    name: 'PS2',
    address,
    publish,
    publishRetries,
    cpuSeconds: () => {
      const u = process.cpuUsage();
      return (u.user + u.system) / 1e6;
    },
    async stop() {
      await ua.stop();
      await ps2.stop();
    },
  };
}

export async function startKamailioServer(address: string, publisherAddress: string): Promise<BenchServer> {
  const kamailio = await startBenchKamailio(address);
  try {
    const { ua, publish: send, publishRetries } = await publisherFor(address, publisherAddress);
    const publish = async (i: number, round: number) => {
      try {
        await send(i, round);
      } catch (error) {
        const log = kamailio
          .log()
          .split('\n')
          .filter((l) => /ERROR|WARN|CRIT/.test(l));
        throw new Error(`${(error as Error).message}\n--- kamailio log ---\n${log.slice(-15).join('\n')}`);
      }
    };
    return {
      name: 'Kamailio',
      address,
      publish,
      publishRetries,
      cpuSeconds: () => processGroupCpuSeconds(kamailio.pid),
      async stop() {
        await ua.stop();
        await kamailio.stop();
      },
    };
  } catch (error) {
    await kamailio.stop();
    throw error;
  }
}

let ticksPerSecond: number | undefined;

/**
 * utime + stime of every live process in a process group (Kamailio's main process and its
 * forked children share the group the harness created), from /proc/<pid>/stat (proc(5)).
 */
export function processGroupCpuSeconds(pgid: number): number {
  ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  let ticks = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    // Fields after "(comm)": state ppid pgrp … utime (14th field overall) stime (15th).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[2]) !== pgid) continue;
    ticks += Number(fields[11]) + Number(fields[12]);
  }
  return ticks / ticksPerSecond;
}

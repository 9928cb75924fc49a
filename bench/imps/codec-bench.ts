// CSP codec benchmark: decode + encode of a typical CSP 1.2 PresenceNotification-Request (two
// presentities, a few attributes each) in XML and in WBXML, each beside a baseline measured in
// the same run: JSON.parse + JSON.stringify of the equivalent decoded message (what a JSON API
// would pay for the same object). Run standalone:
//   node --import tsx bench/imps/codec-bench.ts
import { pathToFileURL } from 'node:url';
import { decodeCsp, encodeCsp } from '../../domains/imps/csp/csp-codec.ts';

export interface BenchResult {
  name: string;
  opsPerSec: number;
  baselineOpsPerSec: number;
  note: string;
}

const PA = 'http://www.openmobilealliance.org/DTD/WV-PA1.2';

function presence(user: string, status: string, mood: string, text: string): string {
  return (
    `<Presence><UserID>${user}</UserID><PresenceSubList xmlns="${PA}">` +
    '<OnlineStatus><Qualifier>T</Qualifier><PresenceValue>T</PresenceValue></OnlineStatus>' +
    '<ClientInfo><Qualifier>T</Qualifier><ClientType>MOBILE_PHONE</ClientType><DevManufacturer>Nokia</DevManufacturer><Model>6630</Model></ClientInfo>' +
    '<CommCap><Qualifier>T</Qualifier><CommC><Cap>IM</Cap><Status>OPEN</Status></CommC></CommCap>' +
    `<UserAvailability><Qualifier>T</Qualifier><PresenceValue>${status}</PresenceValue></UserAvailability>` +
    `<StatusText><Qualifier>T</Qualifier><PresenceValue>${text}</PresenceValue></StatusText>` +
    `<StatusMood><Qualifier>T</Qualifier><PresenceValue>${mood}</PresenceValue></StatusMood>` +
    '</PresenceSubList></Presence>'
  );
}

export function samplePresenceNotification(): Buffer {
  const xml =
    '<?xml version="1.0" encoding="UTF-8"?>' +
    '<WV-CSP-Message xmlns="http://www.openmobilealliance.org/DTD/WV-CSP1.2"><Session>' +
    '<SessionDescriptor><SessionType>Inband</SessionType><SessionID>a1b2c3d4e5f6.domain1.lab</SessionID></SessionDescriptor>' +
    '<Transaction><TransactionDescriptor><TransactionMode>Request</TransactionMode><TransactionID>srv-4711</TransactionID></TransactionDescriptor>' +
    '<TransactionContent xmlns="http://www.openmobilealliance.org/DTD/WV-TRC1.2"><PresenceNotification-Request>' +
    presence('wv:jane@domain2.lab', 'AVAILABLE', 'HAPPY', 'In the lab until noon') +
    presence('wv:bob@domain2.lab', 'DISCREET', 'SLEEPY', 'Do not disturb') +
    '</PresenceNotification-Request></TransactionContent></Transaction><Poll>F</Poll></Session></WV-CSP-Message>';
  return Buffer.from(xml, 'utf8');
}

/**
 * Runs fn in batches until `ms` of CPU time were spent; returns operations per CPU-second
 * (process.cpuUsage, so other processes on the shared cores do not count against the codec).
 */
function measure(fn: () => void, ms: number): number {
  for (let i = 0; i < 2000; i++) fn(); // warm-up: let the JIT settle
  let ops = 0;
  const budget = ms * 1000;
  const start = process.cpuUsage();
  let spent = 0;
  while (spent < budget) {
    for (let i = 0; i < 200; i++) fn();
    ops += 200;
    const used = process.cpuUsage(start);
    spent = used.user + used.system;
  }
  return (ops * 1e6) / spent;
}

let sink = 0;

export async function codecBench(durationMs = 1500): Promise<BenchResult[]> {
  const xml = samplePresenceNotification();
  const first = decodeCsp(xml, 'application/vnd.wv.csp.xml');
  if (!first.ok) throw new Error(`sample does not decode: ${first.status.description}`);
  const wbxml = encodeCsp(first.message, { version: '1.2', encoding: 'wbxml' }).body;
  const w = decodeCsp(wbxml, 'application/vnd.wv.csp.wbxml');
  if (!w.ok) throw new Error(`sample WBXML does not decode: ${w.status.description}`);
  const json = JSON.stringify(first.message);

  const baseline = measure(() => {
    sink += JSON.stringify(JSON.parse(json)).length;
  }, durationMs);
  const xmlRate = measure(() => {
    const r = decodeCsp(xml, 'application/vnd.wv.csp.xml');
    if (r.ok) sink += encodeCsp(r.message, { version: '1.2', encoding: 'xml' }).body.length;
  }, durationMs);
  const wbxmlRate = measure(() => {
    const r = decodeCsp(wbxml, 'application/vnd.wv.csp.wbxml');
    if (r.ok) sink += encodeCsp(r.message, { version: '1.2', encoding: 'wbxml' }).body.length;
  }, durationMs);

  const what = 'CSP 1.2 PresenceNotification-Request, 2 presentities × 6 attributes';
  return [
    {
      name: 'imps csp XML decode+encode',
      opsPerSec: xmlRate,
      baselineOpsPerSec: baseline,
      note: `${what}, ${xml.length} bytes XML; target ≥ 30000/s; baseline JSON.parse+stringify of the ${json.length}-byte decoded message`,
    },
    {
      name: 'imps csp WBXML decode+encode',
      opsPerSec: wbxmlRate,
      baselineOpsPerSec: baseline,
      note: `${what}, ${wbxml.length} bytes WBXML; target ≥ 100000/s; same JSON baseline`,
    },
  ];
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const r of await codecBench()) {
    console.log(
      `${r.name.padEnd(30)} ${Math.round(r.opsPerSec).toLocaleString('en').padStart(9)} ops/s` +
        `  baseline ${Math.round(r.baselineOpsPerSec).toLocaleString('en').padStart(9)} ops/s` +
        `  ratio ${(r.opsPerSec / r.baselineOpsPerSec).toFixed(2)}  (${r.note})`,
    );
  }
  if (sink === -1) console.log(sink);
}

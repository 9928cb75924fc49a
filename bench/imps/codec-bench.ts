// CSP codec benchmark: decode + encode of a typical CSP 1.2 PresenceNotification-Request (two
// presentities, a few attributes each) in XML and in WBXML, each beside a baseline measured in
// the same run: JSON.parse + JSON.stringify of the equivalent decoded message (what a JSON API
// would pay for the same object). Run standalone:
//   node --import tsx bench/imps/codec-bench.ts
import { pathToFileURL } from 'node:url';
import { parseXml } from '../../common/xml/parse.ts';
import { serializeXml } from '../../common/xml/serialize.ts';
import { decodeCsp, encodeCsp } from '../../domains/imps/csp/csp-codec.ts';
import { readCspMessage, writeCspMessage } from '../../domains/imps/csp/csp-message-tree.ts';
import { decodeWbxml } from '../../domains/imps/csp/wbxml/wbxml-decoder.ts';
import { encodeWbxml } from '../../domains/imps/csp/wbxml/wbxml-encoder.ts';
import { measureAll } from '../report.ts';

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

let sink = 0;

export async function codecBench(durationMs = 1500): Promise<BenchResult[]> {
  const xml = samplePresenceNotification();
  const first = decodeCsp(xml, 'application/vnd.wv.csp.xml');
  if (!first.ok) throw new Error(`sample does not decode: ${first.status.description}`);
  const wbxml = encodeCsp(first.message, { version: '1.2', encoding: 'wbxml' }).body;
  const w = decodeCsp(wbxml, 'application/vnd.wv.csp.wbxml');
  if (!w.ok) throw new Error(`sample WBXML does not decode: ${w.status.description}`);
  const json = JSON.stringify(first.message);

  const tree = decodeWbxml(wbxml);
  if (!tree.ok) throw new Error('sample WBXML tree does not decode');
  const rates = measureAll(
    {
      baseline: () => {
        sink += JSON.stringify(JSON.parse(json)).length;
      },
      xml: () => {
        const r = decodeCsp(xml, 'application/vnd.wv.csp.xml');
        if (r.ok) sink += encodeCsp(r.message, { version: '1.2', encoding: 'xml' }).body.length;
      },
      wbxml: () => {
        const r = decodeCsp(wbxml, 'application/vnd.wv.csp.wbxml');
        if (r.ok) sink += encodeCsp(r.message, { version: '1.2', encoding: 'wbxml' }).body.length;
      },
      // Each half alone, to tell where the time goes.
      wbxmlDecode: () => {
        const r = decodeCsp(wbxml, 'application/vnd.wv.csp.wbxml');
        if (r.ok) sink++;
      },
      wbxmlEncode: () => {
        sink += encodeCsp(w.message, { version: '1.2', encoding: 'wbxml' }).body.length;
      },
      wbxmlTree: () => {
        const r = decodeWbxml(wbxml);
        if (r.ok) sink += encodeWbxml(r.document.root, { version: '1.2' }).length;
      },
      // The tree paths the fast paths replace (every element as an XmlElement both ways): the
      // speed-up of decodeCsp/encodeCsp is measured against them in the same run.
      xmlTreePath: () => {
        const t = parseXml(xml);
        if (!t.ok) return;
        const r = readCspMessage(t.root, 'xml');
        if (r.ok) sink += Buffer.from(serializeXml(writeCspMessage(r.message, '1.2')), 'utf8').length;
      },
      wbxmlTreePath: () => {
        const t = decodeWbxml(wbxml);
        if (!t.ok) return;
        const r = readCspMessage(t.document.root, 'wbxml', t.document.version);
        if (r.ok) sink += encodeWbxml(writeCspMessage(r.message, '1.2'), { version: '1.2' }).length;
      },
      xmlParse: () => {
        const r = parseXml(xml);
        if (r.ok) sink += r.root.children.length;
      },
    },
    durationMs,
    { batch: 100 },
  );
  const baseline = rates.baseline!;
  const us = (rate: number) => (1e6 / rate).toFixed(2);

  const what = 'CSP 1.2 PresenceNotification-Request, 2 presentities × 6 attributes';
  return [
    {
      name: 'imps csp XML decode+encode',
      opsPerSec: rates.xml!,
      baselineOpsPerSec: baseline,
      note: `${what}, ${xml.length} bytes XML; target ≥ 30000/s; baseline JSON.parse+stringify of the ${json.length}-byte decoded message; common/xml parseXml alone: ${Math.round(rates.xmlParse!)}/s; tree path (parseXml → XmlElement → model → XmlElement → serializeXml): ${Math.round(rates.xmlTreePath!)}/s, fast path ×${(rates.xml! / rates.xmlTreePath!).toFixed(2)}`,
    },
    {
      name: 'imps csp WBXML decode+encode',
      opsPerSec: rates.wbxml!,
      baselineOpsPerSec: baseline,
      note: `${what}, ${wbxml.length} bytes WBXML, typed model both ways; target ≥ 100000/s; same JSON baseline; tree path (bytes → XmlElement → model → XmlElement → bytes): ${Math.round(rates.wbxmlTreePath!)}/s, fast path ×${(rates.wbxml! / rates.wbxmlTreePath!).toFixed(2)}; decodeCsp alone ${us(rates.wbxmlDecode!)} µs, encodeCsp alone ${us(rates.wbxmlEncode!)} µs per message`,
    },
    {
      name: 'imps wbxml tree decode+encode',
      opsPerSec: rates.wbxmlTree!,
      baselineOpsPerSec: baseline,
      note: 'WBXML bytes -> XmlElement tree -> bytes, without the typed model; same JSON baseline',
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

// XML layer benchmark: parse (+ serialize) of a real 1.5 KB CSP 1.2 request and of a 0.5 KB PIDF
// with the three candidates of the decision recorded in docs/benchmarks.md, all measured in the
// same run beside one baseline per document: JSON.parse + JSON.stringify of the same XmlElement
// tree (what a JSON API would pay for the same object). The machine is shared and noisy, so
// compare ratios, not absolute figures. Run standalone:
//   node --import tsx bench/xml/xml-bench.ts
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { SaxesParser } from 'saxes';
import { parseXml } from '../../common/xml/parse.ts';
import { serializeXml } from '../../common/xml/serialize.ts';
import type { XmlElement } from '../../common/xml/xml-node.ts';
import { type BenchRow, header, measureAll, printRows } from '../report.ts';
import { parseXmlFxp } from './fxp-parse.ts';
import { parseXmlSaxes } from './saxes-parse.ts';

export type { BenchRow };

const CSP_SAMPLE = fileURLToPath(
  new URL(
    '../../tests/fixtures/imps/imps-samples/real-client-csp12-colibria/01-ClientCapability-Request.xml',
    import.meta.url,
  ),
);

/** A PIDF as PS2 sends one per watcher: one tuple, a person with RPID activities and mood, a note. */
export const SAMPLE_PIDF =
  '<?xml version="1.0" encoding="UTF-8"?>\n' +
  '<presence xmlns="urn:ietf:params:xml:ns:pidf" xmlns:dm="urn:ietf:params:xml:ns:pidf:data-model"' +
  ' xmlns:rpid="urn:ietf:params:xml:ns:pidf:rpid" entity="sip:jane@domain2.lab">\n' +
  ' <tuple id="t8a2f"><status><basic>open</basic></status><contact priority="0.8">sip:jane@127.0.0.2:5070</contact>' +
  '<timestamp>2026-11-24T03:20:16Z</timestamp></tuple>\n' +
  ' <dm:person id="p1"><rpid:activities><rpid:meeting/></rpid:activities><rpid:mood><rpid:happy/></rpid:mood>' +
  '<dm:note xml:lang="en">In the lab &amp; busy</dm:note></dm:person>\n' +
  '</presence>';

let sink = 0;

function mustParse(bytes: Buffer): XmlElement {
  const r = parseXml(bytes);
  if (!r.ok) throw new Error(`sample does not parse: ${r.error.message}`);
  return r.root;
}

function documentBench(label: string, bytes: Buffer, target: number, ms: number): BenchRow[] {
  const tree = mustParse(bytes);
  const text = bytes.toString('utf8');
  // Same tree from every candidate, or the comparison is not fair.
  for (const [who, r] of [
    ['saxes', parseXmlSaxes(bytes)],
    ['fast-xml-parser', parseXmlFxp(bytes)],
    ['fast-xml-parser + validator', parseXmlFxp(bytes, {}, { validate: true })],
  ] as const) {
    if (!r.ok || !isDeepStrictEqual(r.root, tree)) throw new Error(`${who} gives another tree for ${label}`);
  }
  const json = JSON.stringify(tree);
  const roundTrip = (r: ReturnType<typeof parseXml>): void => {
    if (r.ok) sink += serializeXml(r.root).length;
  };
  const rates = measureAll(
    {
      baseline: () => {
        sink += JSON.stringify(JSON.parse(json)).length;
      },
      scanner: () => roundTrip(parseXml(bytes)),
      scannerParse: () => {
        const r = parseXml(bytes);
        if (r.ok) sink += r.root.children.length;
      },
      serialize: () => {
        sink += serializeXml(tree).length;
      },
      saxes: () => roundTrip(parseXmlSaxes(bytes)),
      saxesBare: () => {
        // Ceiling of option (a): saxes alone, no handlers, no tree, no limits.
        const p = new SaxesParser({ xmlns: true });
        p.write(text);
        p.close();
      },
      fxp: () => roundTrip(parseXmlFxp(bytes)),
      fxpValidated: () => roundTrip(parseXmlFxp(bytes, {}, { validate: true })),
    },
    ms,
  );
  const base = rates.baseline!;
  const scanner = rates.scanner!;
  const vs = (k: string) => `${(rates[k]! / scanner).toFixed(2)}× the scanner`;
  const size = `${bytes.length} B`;
  return [
    {
      name: `${label} parse+serialize — (c) hand-written scanner`,
      opsPerSec: scanner,
      baselineOpsPerSec: base,
      note: `${size}; common/xml parseXml + serializeXml; target ≥ ${target}/s on a quiet core`,
    },
    {
      name: `${label} parse+serialize — former saxes parseXml`,
      opsPerSec: rates.saxes!,
      baselineOpsPerSec: base,
      note: `${size}; ${vs('saxes')}; same serializer`,
    },
    {
      name: `${label} parse only — (a) saxes bare`,
      opsPerSec: rates.saxesBare!,
      baselineOpsPerSec: base,
      note: `${size}; ${vs('saxesBare')}; no handlers, no tree: no fix of our wrapper can beat it`,
    },
    {
      name: `${label} parse+serialize — (b) fast-xml-parser`,
      opsPerSec: rates.fxp!,
      baselineOpsPerSec: base,
      note: `${size}; ${vs('fxp')}; preserveOrder, processEntities off, own namespaces/entities; not strict`,
    },
    {
      name: `${label} parse+serialize — (b) fast-xml-parser + XMLValidator`,
      opsPerSec: rates.fxpValidated!,
      baselineOpsPerSec: base,
      note: `${size}; ${vs('fxpValidated')}; the validator pass brings most well-formedness checks`,
    },
    {
      name: `${label} parse only — (c) scanner`,
      opsPerSec: rates.scannerParse!,
      baselineOpsPerSec: base,
      note: `${size}; parseXml alone`,
    },
    {
      name: `${label} serialize only`,
      opsPerSec: rates.serialize!,
      baselineOpsPerSec: base,
      note: `${size}; serializeXml of the parsed tree`,
    },
  ];
}

/** All rows; baseline per document = JSON.parse + JSON.stringify of its XmlElement tree. */
export function xmlBench(durationMs = 1000): BenchRow[] {
  return [
    ...documentBench('CSP 1.2', readFileSync(CSP_SAMPLE), 40_000, durationMs),
    ...documentBench('PIDF', Buffer.from(SAMPLE_PIDF, 'utf8'), 60_000, durationMs),
  ];
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  header('bench:xml');
  printRows(xmlBench(), [
    { match: 'CSP 1.2 parse+serialize — (c)', min: 40_000 },
    { match: 'PIDF parse+serialize — (c)', min: 60_000 },
  ]);
  if (sink === -1) console.log(sink);
}

// Cross-check of the WBXML codec against Debian's libwbxml 0.11.8 (`xml2wbxml`, `wbxml2xml`) on
// the CSP 1.1 and 1.2 samples, in both directions, compared as trees (imps.md §9: libwbxml writes
// no xmlns and, for 1.2, a string-table public id, so whole bytes cannot match).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { parseXml } from '../../../../../common/xml/parse.ts';
import type { XmlElement } from '../../../../../common/xml/xml-node.ts';
import { decodeCsp, encodeCsp } from '../../../../../domains/imps/csp/csp-codec.ts';
import { decodeWbxml } from '../../../../../domains/imps/csp/wbxml/wbxml-decoder.ts';
import { diffXmlTrees } from '../../../../../domains/imps/csp/xml-tree-diff.ts';
import { withoutDoctype, xmlSamples } from './samples.ts';

const work = mkdtempSync(join(tmpdir(), 'imps-libwbxml-'));
after(() => rmSync(work, { recursive: true, force: true }));

const DOCTYPE = {
  '1.1':
    '<!DOCTYPE WV-CSP-Message PUBLIC "-//OMA//DTD WV-CSP 1.1//EN" "http://www.openmobilealliance.org/DTD/WV-CSP.XML">',
  '1.2':
    '<!DOCTYPE WV-CSP-Message PUBLIC "-//OMA//DTD WV-CSP 1.2//EN" "http://www.openmobilealliance.org/DTD/WV-CSP.DTD">',
} as const;

// Known libwbxml 0.11.8 deviations (imps.md §9), each checked below to still be a deviation:
// its 1.2 table spells AutoSubscribe "Auto-Subscribe", and it cannot encode elements outside
// its table (Colibria's ColibriaExtensions, a foreign-namespace PA extension) without a string table.
const LIBWBXML_REFUSES = new Set([
  'real-client-csp12-colibria/01-ClientCapability-Request.xml',
  'real-client-csp12-colibria/03-UpdatePresence-Request.xml',
  'real-client-csp12-colibria/08-SubscribePresence-Request.xml',
]);

// Values libwbxml's encoder rewrites when it types them (it parses integers with base 0, so the
// hex-looking SearchID becomes a number; it pads a date-time without seconds). Decoding its bytes
// must give exactly these texts; each entry is asserted to still be needed.
const LIBWBXML_ENCODER_REWRITES: Record<string, ReadonlyArray<readonly [string, string, string]>> = {
  'csp11-spec-examples/021-Search-Response-Response.xml': [['SearchID', '0x23829381', '595760001']],
  'csp11-spec-examples/022-Search-Request-Request.xml': [['SearchID', '0x23829381', '595760001']],
  'csp11-spec-examples/023-Search-Response-Response.xml': [['SearchID', '0x23829381', '595760001']],
  'csp11-spec-examples/024-StopSearch-Request-Request.xml': [['SearchID', '0x23829381', '595760001']],
  'csp11-spec-examples/106-MessageNotification-Request.xml': [
    ['DateTime', '20010925T1340', '20010925T134000'],
  ],
};

// libwbxml's decoder always appends the zone letter Z to an OPAQUE date-time, even when the
// zone byte is 0 (no zone), as our encoder writes `20010925T134013`.
const LIBWBXML_DECODER_REWRITES: Record<string, ReadonlyArray<readonly [string, string, string]>> = {
  'csp11-spec-examples/107-MessageNotification-Request.xml': [
    ['DateTime', '20010925T134013', '20010925T134013Z'],
  ],
};

function applyRewrites(
  root: XmlElement,
  rewrites: ReadonlyArray<readonly [string, string, string]> = [],
): XmlElement {
  let out = root;
  for (const [local, from, to] of rewrites) {
    const hits = { n: 0 };
    out = rewrite(out, local, from, to, hits);
    assert.ok(hits.n > 0, `rewrite ${local} ${from} applies`);
  }
  return out;
}

/** Copy of `el` with the text of `local` elements rewritten; counts the rewrites made. */
function rewrite(el: XmlElement, local: string, from: string, to: string, hits: { n: number }): XmlElement {
  const children = el.children.map((c) => {
    if (typeof c !== 'string') return rewrite(c, local, from, to, hits);
    if (el.local === local && c.trim() === from) {
      hits.n++;
      return to;
    }
    return c;
  });
  return { ...el, children };
}

// libwbxml cannot encode the unused xmlns:xsd / xmlns:xsi declarations of the Colibria client
// without a string table; they carry no element, so they are dropped from its input only.
function forLibwbxml(xml: string): string {
  return xml.replace(/ xmlns:(?:xsd|xsi)="[^"]*"/g, '');
}

function run(tool: string, args: string[]): { ok: boolean; stderr: string } {
  try {
    execFileSync(tool, args, { timeout: 10_000, stdio: ['ignore', 'pipe', 'pipe'] });
    return { ok: true, stderr: '' };
  } catch (e) {
    return { ok: false, stderr: String((e as { stderr?: Buffer }).stderr ?? e) };
  }
}

const samples = xmlSamples(['csp11-spec-examples', 'real-client-csp11', 'real-client-csp12-colibria']);

describe('libwbxml cross-check (CSP 1.1 and 1.2)', () => {
  for (const [i, sample] of samples.entries()) {
    const decoded = decodeCsp(sample.bytes, 'application/vnd.wv.csp.xml');
    test(sample.id, () => {
      assert.ok(decoded.ok, `sample decodes: ${decoded.ok ? '' : decoded.status.description}`);
      const version = decoded.message.version;
      assert.ok(version === '1.1' || version === '1.2');
      const parsed = parseXml(withoutDoctype(sample.bytes));
      assert.ok(parsed.ok);
      const input = join(work, `${i}.xml`);
      const theirs = join(work, `${i}.theirs.wbxml`);
      const body = forLibwbxml(withoutDoctype(sample.bytes).replace(/^<\?xml[^>]*\?>/, ''));
      writeFileSync(input, `<?xml version="1.0"?>\n${DOCTYPE[version]}\n${body}`);
      const enc = run('xml2wbxml', ['-o', theirs, input]);
      if (LIBWBXML_REFUSES.has(sample.id)) {
        assert.equal(enc.ok, false, 'libwbxml still refuses this sample (known deviation)');
        return;
      }
      assert.ok(enc.ok, `xml2wbxml: ${enc.stderr}`);
      // Their bytes -> our decoder: same tree as the source (they write no xmlns).
      const ours = decodeWbxml(readFileSync(theirs));
      assert.ok(ours.ok, ours.ok ? '' : ours.error.message);
      const expected = applyRewrites(parsed.root, LIBWBXML_ENCODER_REWRITES[sample.id]);
      assert.equal(
        diffXmlTrees(expected, ours.document.root, { trimText: true, ignoreNamespaces: true }),
        undefined,
      );
      // And our decodeCsp accepts their namespace-less message, taking the version from the public id.
      const viaCsp = decodeCsp(readFileSync(theirs), 'application/vnd.wv.csp.wbxml');
      if (version === '1.1') assert.ok(viaCsp.ok && viaCsp.message.version === '1.1');
      // Our bytes -> their decoder: same tree again.
      const mine = join(work, `${i}.mine.wbxml`);
      const back = join(work, `${i}.back.xml`);
      // imps.md §9: libwbxml knows CSP 1.2 only by its string-table public id, not by 0x11.
      const wbxml = version === '1.2' ? { publicIdText: '-//OMA//DTD WV-CSP 1.2//EN' } : {};
      writeFileSync(mine, encodeCsp(decoded.message, { version, encoding: 'wbxml', wbxml }).body);
      const dec = run('wbxml2xml', ['-o', back, mine]);
      assert.ok(dec.ok, `wbxml2xml: ${dec.stderr}`);
      const theirTree = parseXml(withoutDoctype(readFileSync(back)));
      assert.ok(theirTree.ok, theirTree.ok ? '' : theirTree.error.message);
      const expectedBack = applyRewrites(parsed.root, LIBWBXML_DECODER_REWRITES[sample.id]);
      assert.equal(
        diffXmlTrees(expectedBack, theirTree.root, { trimText: true, ignoreNamespaces: true }),
        undefined,
      );
    });
  }
});

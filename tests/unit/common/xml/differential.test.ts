// Differential tests: the hand-written scanner against the former saxes-based parser, and the
// flat-scope serializer against the former Map-based one, on every XML fixture of the lab and on
// seeded mutations of them. Same trees, same error codes, same bytes — except the divergences
// listed in DELIBERATE, each a place where the scanner is stricter on purpose.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { serializeXmlFormer } from '../../../../bench/xml/former-serialize.ts';
import { parseXmlSaxes } from '../../../../bench/xml/saxes-parse.ts';
import { type ParseXmlResult, parseXml } from '../../../../common/xml/parse.ts';
import { attribute, el, leaf } from '../../../../common/xml/query.ts';
import { type SerializeOptions, serializeXml } from '../../../../common/xml/serialize.ts';
import type { XmlElement } from '../../../../common/xml/xml-node.ts';

const FIXTURES = fileURLToPath(new URL('../../../fixtures', import.meta.url));

function xmlFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const path = `${dir}/${name}`;
    if (statSync(path).isDirectory()) xmlFiles(path, out);
    else if (/\.(xml|xsd)$/.test(name)) out.push(path);
  }
  return out;
}

const files = xmlFiles(FIXTURES);

/**
 * Where the scanner answers differently on purpose:
 * - a DOCTYPE is refused where it starts, before any of it is read, so a fault inside the DTD
 *   (which saxes reads first) is reported as XML_ERR_DTD rather than XML_ERR_MALFORMED;
 * - XML 1.0 §2.6 [16]: a PI target must be followed by white space or `?>` — saxes lets
 *   `<?xm? …?>` through.
 */
function deliberate(input: Buffer, ours: ParseXmlResult, saxes: ParseXmlResult): boolean {
  if (ours.ok) return false;
  const text = input.toString('latin1');
  if (ours.error.code === 'XML_ERR_DTD') return !saxes.ok && text.includes('<!DOCTYPE');
  return ours.error.message.includes('processing instruction name') && /<\?[^\s?>]*\?[^>]/.test(text);
}

function same(a: ParseXmlResult, b: ParseXmlResult): boolean {
  if (a.ok && b.ok) {
    try {
      assert.deepStrictEqual(a.root, b.root);
      return true;
    } catch {
      return false;
    }
  }
  return !a.ok && !b.ok && a.error.code === b.error.code;
}

function describeResult(r: ParseXmlResult): string {
  return r.ok ? 'ok' : `${r.error.code} (${r.error.message})`;
}

const SERIALIZE_OPTIONS: SerializeOptions[] = [{}, { declaration: false }, { indent: '  ' }];

describe('parseXml vs the former saxes parser — every XML fixture', () => {
  it('finds the fixtures', () => {
    assert.ok(files.length >= 200, `only ${files.length} XML fixtures found under ${FIXTURES}`);
  });

  it('gives the same tree or the same error code, from a Buffer and from a string', () => {
    let accepted = 0;
    for (const file of files) {
      const bytes = readFileSync(file);
      for (const input of [bytes, bytes.toString('utf8')]) {
        const ours = parseXml(input);
        const theirs = parseXmlSaxes(input);
        if (ours.ok) accepted++;
        assert.ok(
          same(ours, theirs) || deliberate(bytes, ours, theirs),
          `${file}: ours ${describeResult(ours)}, saxes ${describeResult(theirs)}`,
        );
      }
    }
    assert.ok(accepted >= 100, `most fixtures without a DOCTYPE parse (${accepted})`);
  });

  it('enforces tight limits on every fixture where the saxes parser did, with the same code', () => {
    const tight = [
      { maxDepth: 4 },
      { maxNodes: 25 },
      { maxAttributes: 1 },
      { maxBytes: 700 },
      { maxDepth: 6, maxNodes: 60, maxAttributes: 2 },
    ];
    const codes = new Set<string>();
    for (const file of files) {
      const bytes = readFileSync(file);
      for (const limits of tight) {
        const ours = parseXml(bytes, limits);
        const theirs = parseXmlSaxes(bytes, limits);
        if (!ours.ok) codes.add(ours.error.code);
        assert.ok(
          same(ours, theirs) || deliberate(bytes, ours, theirs),
          `${file} ${JSON.stringify(limits)}: ours ${describeResult(ours)}, saxes ${describeResult(theirs)}`,
        );
      }
    }
    for (const code of [
      'XML_ERR_TOO_DEEP',
      'XML_ERR_TOO_MANY_NODES',
      'XML_ERR_TOO_MANY_ATTRIBUTES',
      'XML_ERR_TOO_LARGE',
    ]) {
      assert.ok(codes.has(code), `some fixture trips ${code}`);
    }
  });

  it('serializes every parsed fixture exactly as the former serializer did', () => {
    for (const file of files) {
      const r = parseXml(readFileSync(file));
      if (!r.ok) continue;
      for (const options of SERIALIZE_OPTIONS) {
        assert.equal(serializeXml(r.root, options), serializeXmlFormer(r.root, options), file);
      }
    }
  });
});

describe('parseXml vs the former saxes parser — seeded mutations', () => {
  it('agrees on 6000 mutated fixtures (accept/refuse, tree, error code)', () => {
    const seeds = files.map((f) => readFileSync(f)).filter((b) => b.length < 6000);
    let s = 0x1bad5eed;
    const rnd = (n: number): number => {
      s ^= s << 13;
      s ^= s >>> 17;
      s ^= s << 5;
      return (s >>> 0) % n;
    };
    const alphabet = Buffer.from('<>/&;:="\'![]?#x \n\r\t\u0000abc-DOCTYPE');
    let accepted = 0;
    let refused = 0;
    for (let k = 0; k < 6000; k++) {
      const buf = Buffer.from(seeds[rnd(seeds.length)]!);
      const edits = 1 + rnd(3);
      for (let e = 0; e < edits; e++) {
        const at = rnd(buf.length);
        buf[at] = rnd(5) === 0 ? rnd(256) : alphabet[rnd(alphabet.length)]!;
      }
      const input = rnd(10) === 0 ? buf.subarray(0, rnd(buf.length)) : buf;
      const ours = parseXml(input);
      const theirs = parseXmlSaxes(input);
      if (ours.ok) accepted++;
      else refused++;
      assert.ok(
        same(ours, theirs) || deliberate(input, ours, theirs),
        `mutation ${k}: ours ${describeResult(ours)}, saxes ${describeResult(theirs)}\n${JSON.stringify(input.toString('latin1'))}`,
      );
    }
    assert.ok(accepted > 100 && refused > 1000, `accepted ${accepted}, refused ${refused}`);
  });
});

describe('serializeXml vs the former serializer — built trees', () => {
  const NS = 'urn:ietf:params:xml:ns:pidf';
  const DM = 'urn:ietf:params:xml:ns:pidf:data-model';
  const trees: XmlElement[] = [
    el(NS, 'presence', { entity: 'pres:a@b' }, [
      el(DM, 'dm:person', { id: 'p1' }, [leaf(DM, 'dm:timestamp', '2026-01-01T00:00:00Z')]),
      el('urn:x', 'x:ext', [attribute('x:flag', '1', 'urn:x'), attribute('xml:lang', 'en')]),
      el('', 'plain'),
      el(DM, 'dm:person', {}, [el('urn:y', 'dm:shadow', {}, ['prefix rebound to another namespace'])]),
    ]),
    // Declared by an attribute of the element itself, then overridden by a child.
    el(
      'urn:a',
      'a',
      [attribute('xmlns', 'urn:a'), attribute('xmlns:p', 'urn:p')],
      [
        el('urn:p', 'p:b', [attribute('p:c', 'v', 'urn:q')]),
        el('urn:b', 'b', [attribute('xmlns', 'urn:b')], [el('', 'c')]),
      ],
    ),
    el('', 'mixed', {}, ['t\r\n<&>"', el('', 'i', { v: '\t\n\r"<&>]]>' }, ['\u0001x\uFFFE']), ' tail ']),
  ];
  for (const [i, tree] of trees.entries()) {
    it(`built tree ${i} is written byte for byte as before`, () => {
      for (const options of SERIALIZE_OPTIONS) {
        assert.equal(serializeXml(tree, options), serializeXmlFormer(tree, options));
      }
      const back = parseXml(serializeXml(tree));
      assert.ok(back.ok, back.ok ? '' : back.error.message);
    });
  }
});

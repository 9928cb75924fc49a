import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCpim } from '../../../../../domains/simple/payloads/cpim.ts';
import { parseImdn } from '../../../../../domains/simple/payloads/imdn.ts';
import { parseMultipartRelated } from '../../../../../domains/simple/payloads/multipart-related.ts';
import { PAYLOAD_ERRORS, type PayloadResult } from '../../../../../domains/simple/payloads/payload-error.ts';
import { parsePidf } from '../../../../../domains/simple/payloads/pidf.ts';
import { parsePidfDiff } from '../../../../../domains/simple/payloads/pidf-diff.ts';
import { parsePresRules } from '../../../../../domains/simple/payloads/pres-rules.ts';
import { parseResourceLists } from '../../../../../domains/simple/payloads/resource-lists.ts';
import { parseRlmi } from '../../../../../domains/simple/payloads/rlmi.ts';
import { parseRlsServices } from '../../../../../domains/simple/payloads/rls-services.ts';
import { parseFilterSet } from '../../../../../domains/simple/payloads/simple-filter.ts';
import { parseWatcherInfo } from '../../../../../domains/simple/payloads/watcherinfo.ts';

type Parser = (b: Buffer, limits?: { maxBytes?: number }) => PayloadResult<unknown>;

const SEEDS: Array<[string, Parser, string]> = [
  [
    'pidf',
    parsePidf,
    '<presence xmlns="urn:ietf:params:xml:ns:pidf" xmlns:dm="urn:ietf:params:xml:ns:pidf:data-model" xmlns:rpid="urn:ietf:params:xml:ns:pidf:rpid" entity="pres:a@b"><tuple id="t"><status><basic>open</basic></status><contact priority="0.5">sip:a@b</contact><timestamp>2026-01-01T00:00:00Z</timestamp></tuple><dm:person id="p"><rpid:activities><rpid:away/></rpid:activities></dm:person></presence>',
  ],
  [
    'watcherinfo',
    parseWatcherInfo,
    '<watcherinfo xmlns="urn:ietf:params:xml:ns:watcherinfo" version="0" state="full"><watcher-list resource="sip:a@b" package="presence"><watcher id="w" status="pending" event="subscribe">sip:c@d</watcher></watcher-list></watcherinfo>',
  ],
  [
    'pres-rules',
    parsePresRules,
    '<cp:ruleset xmlns:cp="urn:ietf:params:xml:ns:common-policy" xmlns:pr="urn:ietf:params:xml:ns:pres-rules"><cp:rule id="r"><cp:conditions><cp:identity><cp:one id="sip:a@b"/></cp:identity></cp:conditions><cp:actions><pr:sub-handling>allow</pr:sub-handling></cp:actions></cp:rule></cp:ruleset>',
  ],
  [
    'resource-lists',
    parseResourceLists,
    '<resource-lists xmlns="urn:ietf:params:xml:ns:resource-lists"><list name="l"><entry uri="sip:a@b"><display-name>A</display-name></entry></list></resource-lists>',
  ],
  [
    'rls-services',
    parseRlsServices,
    '<rls-services xmlns="urn:ietf:params:xml:ns:rls-services"><service uri="sip:l@b"><resource-list>http://x/y</resource-list></service></rls-services>',
  ],
  [
    'rlmi',
    parseRlmi,
    '<list xmlns="urn:ietf:params:xml:ns:rlmi" uri="sip:l@b" version="1" fullState="true"><resource uri="sip:a@b"><instance id="i" state="active"/></resource></list>',
  ],
  [
    'simple-filter',
    parseFilterSet,
    '<filter-set xmlns="urn:ietf:params:xml:ns:simple-filter"><ns-bindings><ns-binding prefix="p" urn="urn:ietf:params:xml:ns:pidf"/></ns-bindings><filter id="f"><what><include>/p:presence/p:tuple[@id="t"]</include></what></filter></filter-set>',
  ],
  [
    'pidf-diff',
    parsePidfDiff,
    '<p:patch xmlns="urn:ietf:params:xml:ns:pidf" xmlns:p="urn:ietf:params:xml:ns:pidf-diff" version="2"><p:replace sel="presence/tuple[@id=\'t\']/status/basic/text()">closed</p:replace></p:patch>',
  ],
  [
    'imdn',
    parseImdn,
    '<imdn xmlns="urn:ietf:params:xml:ns:imdn"><message-id>m</message-id><datetime>2026-01-01T00:00:00Z</datetime><display-notification><status><displayed/></status></display-notification></imdn>',
  ],
  [
    'cpim',
    parseCpim,
    'From: <im:a@b>\r\nTo: <im:c@d>\r\nNS: imdn <urn:ietf:params:imdn>\r\nimdn.Message-ID: 1\r\n\r\nContent-Type: text/plain\r\n\r\nhi',
  ],
  [
    'multipart',
    (b, limits) =>
      parseMultipartRelated('multipart/related;boundary=b;type="application/rlmi+xml"', b, limits),
    '--b\r\nContent-Type: text/plain\r\nContent-ID: <x>\r\n\r\nbody\r\n--b--\r\n',
  ],
];

describe('payload parsers never throw and always answer with a catalogued error', () => {
  for (const [name, parse, seed] of SEEDS) {
    it(`${name}: the seed parses, 2000 mutations never throw`, () => {
      const first = parse(Buffer.from(seed));
      assert.ok(first.ok, first.ok ? '' : `${name} seed: ${first.error.message}`);
      let s = 0x9e3779b9 ^ name.length;
      const rnd = (n: number) => {
        s ^= s << 13;
        s ^= s >>> 17;
        s ^= s << 5;
        return (s >>> 0) % n;
      };
      const alphabet = Buffer.from('<>/&;:="\'![]?#@*.-_ \r\n\u0000xyz019');
      let refused = 0;
      for (let i = 0; i < 2000; i++) {
        const buf = Buffer.from(seed);
        for (let e = 1 + rnd(3); e > 0; e--)
          buf[rnd(buf.length)] = rnd(5) === 0 ? rnd(256) : alphabet[rnd(alphabet.length)]!;
        const input = rnd(6) === 0 ? buf.subarray(0, rnd(buf.length)) : buf;
        const r = parse(input);
        if (r.ok) continue;
        refused++;
        const entry = PAYLOAD_ERRORS[r.error.code];
        assert.ok(entry, `uncatalogued code ${r.error.code}`);
        assert.equal(r.error.sipStatus, entry.sipStatus);
        assert.ok(r.error.sipStatus >= 400 && r.error.sipStatus < 500);
      }
      assert.ok(refused > 0);
    });
  }
});

describe('every XML payload parser refuses DTDs, oversize, malformed XML and foreign roots the same way', () => {
  const xmlSeeds = SEEDS.filter(([name]) => name !== 'cpim' && name !== 'multipart');
  for (const [name, parse, seed] of xmlSeeds) {
    it(name, () => {
      const code = (input: string, limits?: { maxBytes?: number }) => {
        const r = parse(Buffer.from(input), limits);
        return r.ok ? 'ok' : `${r.error.code} ${r.error.sipStatus}`;
      };
      const rootName = /^<([\w:-]+)/.exec(seed)![1]!;
      const xxe = `<?xml version="1.0"?><!DOCTYPE ${rootName} [<!ENTITY x SYSTEM "file:///etc/passwd">]>${seed}`;
      assert.equal(code(xxe), 'PAYLOAD_ERR_FORBIDDEN_MARKUP 400');
      assert.equal(code(seed.replace('>', '>&unknown;')), 'PAYLOAD_ERR_FORBIDDEN_MARKUP 400');
      assert.equal(code(seed, { maxBytes: seed.length - 1 }), 'PAYLOAD_ERR_TOO_LARGE 413');
      assert.equal(code(seed.slice(0, -3)), 'PAYLOAD_ERR_MALFORMED_XML 400');
      assert.equal(code('<other xmlns="urn:example:other"/>'), 'PAYLOAD_ERR_WRONG_ROOT 400');
    });
  }
  it('CPIM and multipart refuse oversize with 413', () => {
    for (const [name, parse, seed] of SEEDS.filter(([n]) => n === 'cpim' || n === 'multipart')) {
      const r = parse(Buffer.from(seed), { maxBytes: 10 });
      assert.equal(r.ok ? 'ok' : r.error.sipStatus, 413, name);
    }
  });
});

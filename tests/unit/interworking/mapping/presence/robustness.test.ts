import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type PresenceSubList,
  PresenceSubListSchema,
} from '../../../../../domains/imps/csp/model/presence-attributes.ts';
import { parsePidf } from '../../../../../domains/simple/payloads/pidf.ts';
import { impsToPidf } from '../../../../../interworking/mapping/presence/imps-to-pidf.ts';
import { pidfToImps } from '../../../../../interworking/mapping/presence/pidf-to-imps.ts';
import {
  EXTRA_PREFIXES,
  renderPidf,
} from '../../../../../interworking/mapping/presence/presence-namespaces.ts';
import { PRESENCE_ROWS } from '../../../../../interworking/mapping/presence/presence-rows.ts';

// Hostile values: every text field of every attribute gets random strings with control
// characters, lone surrogates, markup and huge lengths. The mappers must not throw, and what
// they render must parse back as PIDF (the codec refuses anything malformed).

const NASTY = [
  '\u0000\u0001',
  '\uD800',
  '\uDC00x',
  '<a>&amp;</a>',
  ']]>',
  '"\'',
  ' ',
  '',
  'x'.repeat(5000),
  '+',
  '%E0%A4%A',
  'data:,',
  '@@',
  'wv:',
  '12 99 99Z',
];

function rng(seed: number) {
  let s = seed;
  return () => {
    s = (s * 16807) % 2147483647;
    return s / 2147483647;
  };
}

function fill(
  r: () => number,
  schema: Record<string, { kind: unknown; many?: boolean }>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(schema)) {
    if (r() < 0.3) continue;
    const one = (): unknown => {
      if (field.kind === 'bool') return r() < 0.8;
      if (field.kind === 'int') return Math.floor(r() * 1e6) - 5e5;
      if (typeof field.kind === 'object') return fill(r, field.kind as never);
      return (
        NASTY[Math.floor(r() * NASTY.length)]! + (r() < 0.5 ? NASTY[Math.floor(r() * NASTY.length)]! : '')
      );
    };
    out[key] = field.many ? Array.from({ length: Math.floor(r() * 3) }, one) : one();
  }
  return out;
}

describe('presence mapping robustness (seeded)', () => {
  it('hostile PresenceSubLists map, render and parse back without a throw (300 seeds)', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const sub = fill(rng(seed), PresenceSubListSchema as never) as PresenceSubList;
      const mapped = impsToPidf(sub, 'pres:harry@domain1.lab');
      assert.ok(mapped.ok);
      const xml = renderPidf(mapped.value);
      const parsed = parsePidf(xml);
      assert.ok(parsed.ok, `seed ${seed}: ${parsed.ok ? '' : parsed.error.message}`);
      pidfToImps(parsed.value);
    }
  });
});

/** One lossy round: what the IWF makes of a document, as IMPS sees it again after IMPS → PIDF → IMPS. */
function round(sub: PresenceSubList, entity: string): PresenceSubList {
  const mapped = impsToPidf(sub, entity);
  assert.ok(mapped.ok);
  const parsed = parsePidf(renderPidf(mapped.value));
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.error.message);
  return pidfToImps(parsed.value).value;
}

describe('foreign PIDF robustness (seeded)', () => {
  const decls = [
    ['dm', 'urn:ietf:params:xml:ns:pidf:data-model'],
    ['rpid', 'urn:ietf:params:xml:ns:pidf:rpid'],
    ['c', 'urn:ietf:params:xml:ns:pidf:cipid'],
    ['caps', 'urn:ietf:params:xml:ns:pidf:caps'],
    ...EXTRA_PREFIXES,
  ]
    .map(([p, ns]) => `xmlns:${p}="${ns}"`)
    .join(' ');
  const frags = PRESENCE_ROWS.filter((r) => r.direction === 'simple→imps').map((r) => r.example.pidf);

  it('random mixes of the SIMPLE → IMPS row fragments read without a throw and are stable after one round', () => {
    let read = 0;
    for (let seed = 1; seed <= 200; seed++) {
      const r = rng(seed);
      let n = 0;
      // Fresh ids keep the mix a valid document (xs:ID is unique per document); wv-* ids keep their prefix.
      const body = frags
        .filter(() => r() < 0.3)
        .map((f) =>
          f.replace(/id="(wv-[a-z]+-?)?[^"]*"/g, (_m, wv: string | undefined) => `id="${wv ?? 'i'}${++n}"`),
        )
        .join('');
      const parsed = parsePidf(
        `<presence xmlns="urn:ietf:params:xml:ns:pidf" ${decls} entity="pres:jane@domain2.lab">${body}</presence>`,
      );
      assert.ok(parsed.ok, parsed.ok ? '' : `seed ${seed}: ${parsed.error.message}`);
      read++;
      const once = pidfToImps(parsed.value).value;
      const twice = round(once, 'pres:jane@domain2.lab');
      assert.deepEqual(round(twice, 'pres:jane@domain2.lab'), twice, `seed ${seed}`);
    }
    assert.equal(read, 200);
  });
});

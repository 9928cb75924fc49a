import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parsePidf } from '../../../../../domains/simple/payloads/pidf.ts';
import { impsToPidf } from '../../../../../interworking/mapping/presence/imps-to-pidf.ts';
import { pidfToImps } from '../../../../../interworking/mapping/presence/pidf-to-imps.ts';
import {
  EXTRA_PREFIXES,
  renderPidf,
} from '../../../../../interworking/mapping/presence/presence-namespaces.ts';
import { PRESENCE_ROWS } from '../../../../../interworking/mapping/presence/presence-rows.ts';
import { assertSchemaValid } from '../../../../support/xmllint.ts';

// One test per presence row: IMPS → SIMPLE rows render their example and must contain the row's
// fragment (and stay XSD-valid); SIMPLE → IMPS rows parse their fragment inside a <presence> and
// must give exactly the row's PresenceSubList. Either way the row must be reported.

const ENTITY = 'pres:harry@domain1.lab';
const DECLS = [
  ['dm', 'urn:ietf:params:xml:ns:pidf:data-model'],
  ['rpid', 'urn:ietf:params:xml:ns:pidf:rpid'],
  ['c', 'urn:ietf:params:xml:ns:pidf:cipid'],
  ['caps', 'urn:ietf:params:xml:ns:pidf:caps'],
  ...EXTRA_PREFIXES,
]
  .map(([p, ns]) => `xmlns:${p}="${ns}"`)
  .join(' ');

function wrap(fragment: string, entity = 'pres:jane@domain2.lab'): string {
  return `<presence xmlns="urn:ietf:params:xml:ns:pidf" ${DECLS} entity="${entity}">${fragment}</presence>`;
}

describe('presence mapping rows', () => {
  for (const row of PRESENCE_ROWS) {
    it(`${row.id} ${row.direction}: ${row.attribute} — ${row.imps} ⇄ ${row.simple}`, () => {
      if (row.direction === 'imps→simple') {
        const mapped = impsToPidf(row.example.imps, ENTITY);
        assert.ok(mapped.ok, 'mapping failed');
        const xml = renderPidf(mapped.value);
        assert.ok(xml.includes(row.example.pidf), `expected ${row.example.pidf}\nin ${xml}`);
        assert.ok(mapped.rows.includes(row.id), `row ${row.id} not reported (got ${mapped.rows.join(',')})`);
        assertSchemaValid(xml, 'lab-presence.xsd');
        if (row.fidelity === 'lossless') {
          const parsed = parsePidf(xml);
          assert.ok(parsed.ok);
          assert.deepEqual(
            pidfToImps(parsed.value).value,
            row.example.imps,
            'lossless row must come back equal',
          );
        }
      } else {
        const parsed = parsePidf(wrap(row.example.pidf));
        assert.ok(parsed.ok, parsed.ok ? '' : parsed.error.message);
        const mapped = pidfToImps(parsed.value);
        assert.deepEqual(mapped.value, row.example.imps);
        assert.ok(mapped.rows.includes(row.id), `row ${row.id} not reported (got ${mapped.rows.join(',')})`);
      }
    });
  }

  it('reports only row ids that exist, and every row id is unique', () => {
    const ids = new Set(PRESENCE_ROWS.map((r) => r.id));
    assert.equal(ids.size, PRESENCE_ROWS.length);
    for (const row of PRESENCE_ROWS) {
      const rows =
        row.direction === 'imps→simple'
          ? impsToPidf(row.example.imps, ENTITY).rows
          : (() => {
              const p = parsePidf(wrap(row.example.pidf));
              return p.ok ? pidfToImps(p.value).rows : [];
            })();
      for (const id of rows) assert.ok(ids.has(id), `${row.id}: mapper reported unknown row ${id}`);
    }
  });

  it('refuses an entity that is not a URI', () => {
    const r = impsToPidf({}, 'harry at domain1');
    assert.equal(r.ok, false);
  });
});

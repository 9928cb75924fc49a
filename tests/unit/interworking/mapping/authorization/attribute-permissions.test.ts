import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PRESENCE_ATTRIBUTE_NAMES } from '../../../../../domains/imps/csp/model/presence-attributes.ts';
import { parsePresRules, serializePresRules } from '../../../../../domains/simple/payloads/pres-rules.ts';
import {
  attributesToTransformations,
  PERMISSION_ROWS,
  transformationsToAttributes,
} from '../../../../../interworking/mapping/authorization/attribute-permissions.ts';
import { assertSchemaValid } from '../../../../support/xmllint.ts';

// One test per permission row: the attribute's transformations name the row, survive the
// pres-rules codec and the XSD, and read back as the attribute (with its sharers when lossy).

describe('attribute permission rows', () => {
  for (const row of PERMISSION_ROWS) {
    it(`${row.id}: ${row.attribute} ⇄ ${typeof row.component === 'string' ? row.component : `services class ${row.component.services}`}`, () => {
      const t = attributesToTransformations([row.attribute]);
      assert.deepEqual(t.rows, [row.id]);
      const xml = serializePresRules({
        rules: [{ id: 'r1', subHandling: 'allow', actionExtensions: [], transformations: t.value }],
      });
      assertSchemaValid(xml, 'lab-pres-rules.xsd');
      const parsed = parsePresRules(xml);
      assert.ok(parsed.ok);
      const back = transformationsToAttributes(parsed.value.rules[0]!.transformations);
      assert.ok(back.value.includes(row.attribute), `got ${back.value.join(',')}`);
      assert.ok(back.rows.includes(row.id));
      if (row.fidelity === 'lossless') assert.deepEqual(back.value, [row.attribute]);
      else
        assert.equal(back.value.length, 2, 'a lossy row shares its element with exactly one other attribute');
    });
  }

  it('AZ0: all attributes ⇄ provide-all-attributes with every component', () => {
    const t = attributesToTransformations(PRESENCE_ATTRIBUTE_NAMES);
    assert.deepEqual(t.rows, ['AZ0']);
    assert.equal(t.value.provideAllAttributes, true);
    assert.deepEqual(transformationsToAttributes(t.value).value, [...PRESENCE_ATTRIBUTE_NAMES]);
  });

  it('subsets round-trip (every pair of lossless attributes)', () => {
    const lossless = PERMISSION_ROWS.filter((r) => r.fidelity === 'lossless').map((r) => r.attribute);
    for (const a of lossless) {
      for (const b of lossless) {
        const names = PRESENCE_ATTRIBUTE_NAMES.filter((n) => n === a || n === b);
        assert.deepEqual(transformationsToAttributes(attributesToTransformations(names).value).value, names);
      }
    }
  });

  it('no transformations = nothing visible (RFC 5025 §3.3: absent permission is not provided)', () => {
    assert.deepEqual(transformationsToAttributes(attributesToTransformations([]).value).value, []);
  });
});

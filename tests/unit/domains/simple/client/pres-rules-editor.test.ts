import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  emptyRulesDocument,
  ruleElementXml,
  ruleFor,
  ruleId,
  ruleSelector,
} from '../../../../../domains/simple/client/pres-rules-editor.ts';
import { parsePresRules, serializePresRules } from '../../../../../domains/simple/payloads/pres-rules.ts';
import { evaluatePresRules } from '../../../../../domains/simple/payloads/pres-rules-evaluate.ts';
import { assertSchemaValid } from '../../../../support/xmllint.ts';

describe('pres-rules editor', () => {
  const rules = {
    rules: [
      ruleFor('sip:bob@domain2.lab', 'approve', { mood: false }),
      ruleFor('sip:carol@domain2.lab', 'deny'),
      ruleFor('sip:harry@domain1.lab', 'polite-block'),
    ],
  };

  it('writes rules that evaluate to the decision and validate against pres-rules.xsd', () => {
    const xml = serializePresRules(rules);
    assertSchemaValid(xml, 'lab-pres-rules.xsd');
    const parsed = parsePresRules(xml);
    assert.ok(parsed.ok);
    const bob = evaluatePresRules(parsed.value, 'sip:bob@domain2.lab', Date.now());
    assert.equal(bob.subHandling, 'allow');
    assert.equal(bob.transformations.booleans['provide-mood'], false);
    assert.equal(bob.transformations.booleans['provide-activities'], true);
    assert.equal(bob.transformations.provideServices?.all, true);
    assert.equal(evaluatePresRules(parsed.value, 'sip:carol@domain2.lab', 0).subHandling, 'block');
    assert.equal(evaluatePresRules(parsed.value, 'sip:harry@domain1.lab', 0).subHandling, 'polite-block');
    assert.deepEqual(evaluatePresRules(parsed.value, 'sip:eve@domain2.lab', 0).matchedRules, []);
  });

  it('gives one element per watcher, addressed by its rule id', () => {
    assert.equal(ruleId('sip:bob@domain2.lab'), 'w-bob_domain2.lab');
    const el = ruleElementXml(ruleFor('sip:bob@domain2.lab', 'approve'));
    assert.match(el, /^<cp:rule [^>]*id="w-bob_domain2.lab"/);
    assert.match(ruleSelector('sip:bob@domain2.lab'), /cp:rule%5b@id=%22w-bob_domain2.lab%22%5d\?xmlns\(cp=/);
    const empty = parsePresRules(emptyRulesDocument());
    assert.ok(empty.ok);
    assert.equal(empty.value.rules.length, 0);
  });
});

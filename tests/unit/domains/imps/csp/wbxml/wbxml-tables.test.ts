import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tablesFor } from '../../../../../../domains/imps/csp/wbxml/wbxml-tables.ts';

const tag = (v: '1.1' | '1.2' | '1.3', page: number, token: number) =>
  tablesFor(v).tagNames[page * 64 + token];

test('tokens reused across versions decode by version (imps.md §9)', () => {
  assert.equal(tag('1.2', 0x09, 0x0b), 'ReactiveAuthState');
  assert.equal(tag('1.3', 0x09, 0x0b), 'AnswerOptionText');
  assert.equal(tag('1.2', 0x03, 0x14), 'CIRURL');
  assert.equal(tag('1.3', 0x03, 0x14), 'CIRHTTPAddress');
  assert.equal(tag('1.1', 0x05, 0x26), 'PreferredContent');
  assert.equal(tag('1.3', 0x05, 0x26), 'ReferredContent');
  assert.equal(tag('1.1', 0x00, 0x09), 'WV-CSP-Message');
});

test('both spellings encode to the same token', () => {
  assert.equal(
    tablesFor('1.2').tagTokens.get('PreferredContent'),
    tablesFor('1.3').tagTokens.get('ReferredContent'),
  );
  assert.equal(tablesFor('1.2').tagTokens.get('CIRURL'), (0x03 << 8) | 0x14);
});

test('value tokens: T/F, enumerations, presence-context duplicates', () => {
  const t = tablesFor('1.2');
  assert.equal(t.extTokens.get('T'), 0x2c);
  assert.equal(t.extTokens.get('F'), 0x0b);
  assert.equal(t.extTokens.get('Inband'), 0x11);
  assert.equal(t.extTokens.get('IM'), 0x12);
  assert.equal(t.extTokensPresence.get('IM'), 0x68);
  assert.equal(t.extTokens.get('SMS'), 0x43);
  assert.equal(t.extTokensPresence.get('SMS'), 0x75);
  assert.equal(t.extValues[0x68], 'IM');
  assert.equal(tablesFor('1.3').extValues[0x68], 'AP');
  // 1.3-only tokens fill 1.2's free slots (the Android encoder sends SSMS = 0xA4 in 1.2).
  assert.equal(t.extTokens.get('SSMS'), 0xa4);
});

test('integer elements per version', () => {
  assert.ok(tablesFor('1.1').integerTags.has('SearchID'));
  assert.ok(!tablesFor('1.3').integerTags.has('SearchID'));
  assert.ok(tablesFor('1.3').integerTags.has('WatcherCount'));
});

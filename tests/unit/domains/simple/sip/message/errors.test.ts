import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  renderSipErrorTable,
  SIP_ERRORS,
  SipSyntaxError,
} from '../../../../../../domains/simple/sip/message/errors.ts';

test('every entry has a 4xx/5xx status and a reason naming the fault', () => {
  for (const [code, e] of Object.entries(SIP_ERRORS)) {
    assert.match(code, /^SIP_ERR_[A-Z0-9_]+$/);
    assert.ok(e.status >= 400 && e.status <= 599, code);
    if (e.status === 400) assert.match(e.reason, /^Bad Request - \S/, code);
    assert.ok(e.clause.startsWith('RFC '), code);
  }
});

test('SipSyntaxError carries the catalogue answer', () => {
  const e = new SipSyntaxError('SIP_ERR_VERSION_NOT_SUPPORTED', 'SIP/7.0');
  assert.equal(e.status, 505);
  assert.equal(e.reason, 'Version Not Supported');
  assert.equal(e.code, 'SIP_ERR_VERSION_NOT_SUPPORTED');
});

/** A Markdown table row with cell padding and separator dashes normalised (the formatter aligns them). */
function normalise(line: string): string {
  return line
    .trim()
    .split('|')
    .map((cell) => cell.trim().replace(/^-+$/, '---'))
    .join('|');
}

test('docs/sip-errors.md renders the catalogue', () => {
  const doc = readFileSync(join(import.meta.dirname, '../../../../../../docs/sip-errors.md'), 'utf8');
  const docRows = doc.split('\n').map(normalise).join('\n');
  const table = renderSipErrorTable().split('\n').map(normalise).join('\n');
  assert.ok(docRows.includes(table), 'regenerate the table in docs/sip-errors.md');
});

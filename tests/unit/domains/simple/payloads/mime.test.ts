import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  formatMediaType,
  headerValue,
  parseHeaderBlock,
  parseMediaType,
} from '../../../../../domains/simple/payloads/mime.ts';

describe('mime helpers', () => {
  it('parses media types with quoted and token parameters', () => {
    assert.deepEqual(
      parseMediaType('Multipart/Related; type="application/rlmi+xml";start="<a@b>" ; boundary=xyz'),
      {
        type: 'multipart/related',
        params: { type: 'application/rlmi+xml', start: '<a@b>', boundary: 'xyz' },
      },
    );
    assert.deepEqual(parseMediaType('text/plain;charset="a\\"b"')?.params, { charset: 'a"b' });
    for (const bad of ['', 'text', 'text/plain;charset', 'text/plain;charset="open', 'text/plain x']) {
      assert.equal(parseMediaType(bad), undefined, bad);
    }
  });

  it('formats media types, quoting only when needed', () => {
    assert.equal(
      formatMediaType({
        type: 'multipart/related',
        params: { type: 'application/rlmi+xml', boundary: 'abc' },
      }),
      'multipart/related;type="application/rlmi+xml";boundary=abc',
    );
  });

  it('parses header blocks with folding and keeps name case', () => {
    const h = parseHeaderBlock(
      'From: Alice <im:alice@example.com>\r\nSubject: long\r\n  folded\r\nimdn.Message-ID: 1',
    );
    assert.deepEqual(h, [
      ['From', 'Alice <im:alice@example.com>'],
      ['Subject', 'long folded'],
      ['imdn.Message-ID', '1'],
    ]);
    assert.ok(h);
    assert.equal(headerValue(h, 'subject'), 'long folded');
    assert.equal(parseHeaderBlock('no colon here'), undefined);
    assert.equal(parseHeaderBlock('a: 1\nb: 2\nc: 3', 2), undefined);
  });
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeDateTime, encodeDateTime } from '../../../../../../domains/imps/csp/wbxml/wbxml-datetime.ts';

test('imps.md §9 example: 20010925T165859Z -> 1F 46 73 0E BB 5A', () => {
  assert.deepEqual(encodeDateTime('20010925T165859Z'), [0x1f, 0x46, 0x73, 0x0e, 0xbb, 0x5a]);
  assert.equal(
    decodeDateTime(Uint8Array.from([0x1f, 0x46, 0x73, 0x0e, 0xbb, 0x5a]), 0, 6),
    '20010925T165859Z',
  );
});

test('round trip over a spread of dates, with and without zone', () => {
  for (const s of [
    '19991231T235959Z',
    '20070625T055652Z',
    '20380119T031407A',
    '00010101T000000',
    '40951231T235959Z',
  ]) {
    const b = encodeDateTime(s);
    assert.ok(b, s);
    assert.equal(decodeDateTime(Uint8Array.from(b), 0, 6), s);
  }
});

test('other forms stay strings; bad bytes are refused', () => {
  for (const s of [
    '20010925T1340',
    '2001-09-25T13:40:13Z',
    '20011325T000000Z',
    '20010925T246000Z',
    '20010925T134013+01',
  ]) {
    assert.equal(encodeDateTime(s), undefined, s);
  }
  assert.equal(decodeDateTime(Uint8Array.from([0xff, 0, 0, 0, 0, 0]), 0, 6), undefined);
  assert.equal(decodeDateTime(Uint8Array.from([0x1f, 0x46, 0x73, 0x0e, 0xbb]), 0, 5), undefined);
  assert.equal(decodeDateTime(Uint8Array.from([0x1f, 0x46, 0x73, 0x0e, 0xbb, 0x31]), 0, 6), undefined);
});

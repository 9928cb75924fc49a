import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  contentTypeFor,
  encodingFromContentType,
  parseCspNamespace,
  versionFromPublicId,
} from '../../../../../domains/imps/csp/csp-version.ts';

test('namespaces of imps.md §1.2 give kind and version', () => {
  assert.deepEqual(parseCspNamespace('http://www.wireless-village.org/CSP1.1'), {
    kind: 'csp',
    versionText: '1.1',
    version: '1.1',
  });
  assert.deepEqual(parseCspNamespace('http://www.openmobilealliance.org/DTD/WV-TRC1.2'), {
    kind: 'trc',
    versionText: '1.2',
    version: '1.2',
  });
  assert.deepEqual(parseCspNamespace('http://www.openmobilealliance.org/DTD/IMPS-PA1.3'), {
    kind: 'pa',
    versionText: '1.3',
    version: '1.3',
  });
  assert.equal(parseCspNamespace('http://www.openmobilealliance.org/DTD/IMPS-CSP1.4')?.version, undefined);
  assert.equal(parseCspNamespace('http://imps.colibria.com/PA-ext-1.2'), undefined);
  assert.equal(parseCspNamespace('http://www.wireless-village.org/CSPx'), undefined);
});

test('WBXML public ids', () => {
  assert.deepEqual([0x10, 0x11, 0x12, 0x13, 0].map(versionFromPublicId), [
    '1.1',
    '1.2',
    '1.3',
    undefined,
    undefined,
  ]);
});

test('content types per version and lenient dispatch', () => {
  assert.equal(contentTypeFor('1.1', 'xml'), 'application/vnd.wv.csp.xml');
  assert.equal(contentTypeFor('1.2', 'wbxml'), 'application/vnd.wv.csp.wbxml');
  assert.equal(contentTypeFor('1.3', 'xml'), 'application/vnd.wv.csp+xml');
  assert.equal(contentTypeFor('1.3', 'wbxml'), 'application/vnd.wv.csp+wbxml');
  assert.equal(encodingFromContentType('application/vnd.wv.csp.wbxml; charset=utf-8'), 'wbxml');
  assert.equal(encodingFromContentType('text/xml'), 'xml');
  assert.equal(encodingFromContentType('application/json'), undefined);
  assert.equal(encodingFromContentType(undefined), undefined);
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  listMembers,
  listNameOf,
  resourceListRef,
  withListMembers,
  withService,
} from '../../../../../domains/simple/client/buddy-list-documents.ts';
import {
  entry,
  list,
  parseResourceLists,
  serializeResourceLists,
} from '../../../../../domains/simple/payloads/resource-lists.ts';
import {
  parseRlsServices,
  serializeRlsServices,
} from '../../../../../domains/simple/payloads/rls-services.ts';

describe("Jane's buddy list as resource-lists + rls-services (RFC 4826)", () => {
  it('names the list after the service URI user part', () => {
    assert.equal(listNameOf('sip:jane-buddies@domain2.lab'), 'jane-buddies');
    assert.equal(listNameOf('sip:a"b@domain2.lab'), 'a_b', 'nothing that would break the node selector');
  });

  it('points at the list with an XCAP node selector URI PS2 resolves', () => {
    const ref = resourceListRef('http://127.0.2.1:5080/xcap', 'sip:jane@domain2.lab', 'jane-buddies');
    assert.equal(
      ref,
      'http://127.0.2.1:5080/xcap/resource-lists/users/sip%3Ajane%40domain2.lab/index/~~/resource-lists/list%5B%40name%3D%22jane-buddies%22%5D',
    );
    const m = /\/resource-lists\/users\/([^/]+)\/([^/]+)\/~~\/(.*)$/.exec(ref);
    assert.equal(decodeURIComponent(m?.[1] ?? ''), 'sip:jane@domain2.lab');
    assert.equal(decodeURIComponent(m?.[3] ?? ''), 'resource-lists/list[@name="jane-buddies"]');
  });

  it('replaces only its own list and round-trips through the codec', () => {
    const other = list('work', [entry('sip:boss@domain2.lab')]);
    const old = list('jane-buddies', [entry('sip:old@domain2.lab')]);
    const doc = withListMembers({ lists: [other, old] }, 'jane-buddies', [
      'sip:harry@domain1.lab',
      'sip:alice@domain2.lab',
    ]);
    const parsed = parseResourceLists(serializeResourceLists(doc));
    assert.ok(parsed.ok);
    assert.deepEqual(listMembers(parsed.value, 'jane-buddies'), [
      'sip:harry@domain1.lab',
      'sip:alice@domain2.lab',
    ]);
    assert.deepEqual(listMembers(parsed.value, 'work'), ['sip:boss@domain2.lab']);
    assert.equal(listMembers(parsed.value, 'nothing'), undefined);
    assert.deepEqual(listMembers(undefined, 'jane-buddies'), undefined);
  });

  it('adds one presence service per list URI, replacing an earlier one', () => {
    const first = withService(undefined, 'sip:jane-buddies@domain2.lab', 'http://x/1');
    const again = withService(first, 'sip:jane-buddies@domain2.lab', 'http://x/2');
    const both = withService(again, 'sip:jane-work@domain2.lab', 'http://x/3');
    const parsed = parseRlsServices(serializeRlsServices(both));
    assert.ok(parsed.ok, parsed.ok ? '' : parsed.error.message);
    assert.deepEqual(
      parsed.value.services.map((s) => [s.uri, s.resourceList, s.packages]),
      [
        ['sip:jane-buddies@domain2.lab', 'http://x/2', ['presence']],
        ['sip:jane-work@domain2.lab', 'http://x/3', ['presence']],
      ],
    );
  });
});

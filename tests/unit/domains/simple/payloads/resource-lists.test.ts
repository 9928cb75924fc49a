import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  collectMembers,
  entry,
  list,
  parseResourceLists,
  type ResourceLists,
  serializeResourceLists,
} from '../../../../../domains/simple/payloads/resource-lists.ts';
import { assertSchemaValid } from '../../../../support/xmllint.ts';
import { stripXmlns } from './strip-xmlns.ts';

// RFC 4826 §3.3 example.
const RL = `<?xml version="1.0" encoding="UTF-8"?>
<resource-lists xmlns="urn:ietf:params:xml:ns:resource-lists" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <list name="friends">
    <entry uri="sip:bill@example.com"><display-name>Bill Doe</display-name></entry>
    <entry-ref ref="resource-lists/users/sip:bill@example.com/index/~~/resource-lists/list%5b@name=%22list1%22%5d/entry%5b@uri=%22sip:petri@example.com%22%5d"/>
    <list name="close-friends">
      <display-name>Close Friends</display-name>
      <entry uri="sip:joe@example.com"><display-name>Joe Smith</display-name></entry>
      <entry uri="sip:nancy@example.com"><display-name>Nancy Gross</display-name></entry>
      <external anchor="http://xcap.example.org/resource-lists/users/sip:a@example.org/index/~~/resource-lists/list%5b@name=%22mkting%22%5d">
        <display-name xml:lang="en">Marketing</display-name>
      </external>
    </list>
  </list>
</resource-lists>`;

function rl(input: string): ResourceLists {
  const r = parseResourceLists(input);
  assert.ok(r.ok, r.ok ? '' : `${r.error.code}: ${r.error.message}`);
  return r.value;
}
describe('resource-lists', () => {
  it('reads the RFC 4826 example', () => {
    const doc = rl(RL);
    const friends = doc.lists[0];
    assert.equal(friends?.name, 'friends');
    assert.deepEqual(
      friends?.items.map((i) => i.kind),
      ['entry', 'entry-ref', 'list'],
    );
    const first = friends?.items[0];
    assert.ok(first?.kind === 'entry');
    assert.equal(first.displayName?.text, 'Bill Doe');
    const close = friends?.items[2];
    assert.ok(close?.kind === 'list');
    assert.equal(close.displayName?.text, 'Close Friends');
    const ext = close.items[2];
    assert.ok(ext?.kind === 'external');
    assert.equal(ext.displayName?.lang, 'en');
    assert.ok(friends);
    assert.deepEqual(collectMembers(friends), {
      uris: ['sip:bill@example.com', 'sip:joe@example.com', 'sip:nancy@example.com'],
      entryRefs: [(friends.items[1] as { ref: string }).ref],
      externals: [ext.anchor],
    });
  });

  it('round-trips schema-valid, with extension elements and attributes kept', () => {
    const withExt = RL.replace(
      '<entry uri="sip:bill@example.com">',
      '<entry uri="sip:bill@example.com" x:pri="1" xmlns:x="urn:x">',
    ).replace(
      '</list>\n</resource-lists>',
      '<x:note xmlns:x="urn:x">kept</x:note></list>\n</resource-lists>',
    );
    const doc = rl(withExt);
    const xml = serializeResourceLists(doc);
    assertSchemaValid(xml, 'resourcelists.xsd');
    assert.deepEqual(stripXmlns(rl(xml)), stripXmlns(doc));
    assert.match(xml, /x:pri="1"/);
    assert.match(xml, /<x:note xmlns:x="urn:x">kept<\/x:note>/);
    const built: ResourceLists = {
      lists: [
        list('buddies', [entry('sip:harry@domain1.example', 'Harry'), list('work', [entry('sip:x@y')])]),
      ],
    };
    const bxml = serializeResourceLists(built);
    assertSchemaValid(bxml, 'resourcelists.xsd');
    assert.deepEqual(rl(bxml), built);
  });

  it('refuses duplicate entry uris, duplicate sibling names, missing uri, unknown elements', () => {
    for (const bad of [
      RL.replace('sip:nancy@example.com', 'sip:joe@example.com'),
      RL.replace('name="close-friends"', 'name="friends"').replace(
        '<list name="friends">',
        '<list name="f"><list name="friends"/>',
      ),
      RL.replace('<entry uri="sip:bill@example.com">', '<entry>'),
      RL.replace('<display-name>Close Friends</display-name>', '<title>x</title>'),
    ]) {
      const r = parseResourceLists(bad);
      assert.equal(r.ok ? 'ok' : r.error.code, 'PAYLOAD_ERR_INVALID', bad);
    }
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  applyPartialWatcherInfo,
  parseWatcherInfo,
  serializeWatcherInfo,
  type WatcherInfo,
} from '../../../../../domains/simple/payloads/watcherinfo.ts';
import { assertSchemaValid } from '../../../../support/xmllint.ts';
import { stripXmlns } from './strip-xmlns.ts';

function ok(input: string): WatcherInfo {
  const r = parseWatcherInfo(input);
  assert.ok(r.ok, r.ok ? '' : `${r.error.code}: ${r.error.message}`);
  return r.value;
}

// RFC 3858 §5 example.
const RFC3858 = `<?xml version="1.0"?>
<watcherinfo xmlns="urn:ietf:params:xml:ns:watcherinfo" version="0" state="full">
  <watcher-list resource="sip:professor@example.net" package="presence">
    <watcher status="active" id="8ajksjda7s" duration-subscribed="509" event="approved">sip:userA@example.net</watcher>
    <watcher status="pending" id="hh8juja87s997-ass7" display-name="Mr. Subscriber" event="subscribe"
      expiration="3600" xml:lang="en">sip:userB@example.org</watcher>
  </watcher-list>
</watcherinfo>`;

describe('watcherinfo', () => {
  it('reads the RFC 3858 example', () => {
    const w = ok(RFC3858);
    assert.equal(w.version, 0);
    assert.equal(w.state, 'full');
    const list = w.watcherLists[0];
    assert.equal(list?.resource, 'sip:professor@example.net');
    assert.equal(list?.package, 'presence');
    assert.deepEqual(list?.watchers[0], {
      id: '8ajksjda7s',
      uri: 'sip:userA@example.net',
      status: 'active',
      event: 'approved',
      durationSubscribed: 509,
    });
    assert.deepEqual(list?.watchers[1], {
      id: 'hh8juja87s997-ass7',
      uri: 'sip:userB@example.org',
      status: 'pending',
      event: 'subscribe',
      displayName: 'Mr. Subscriber',
      expiration: 3600,
      lang: 'en',
    });
  });

  it('round-trips, keeps extensions, and emits schema-valid documents for every status and event', () => {
    const statuses = ['pending', 'active', 'waiting', 'terminated'] as const;
    const events = [
      'subscribe',
      'approved',
      'deactivated',
      'probation',
      'rejected',
      'timeout',
      'giveup',
      'noresource',
    ] as const;
    const info: WatcherInfo = {
      version: 7,
      state: 'partial',
      watcherLists: [
        {
          resource: 'sip:jane@domain2.example',
          package: 'presence',
          watchers: events.map((event, i) => ({
            id: `w${i}`,
            uri: `sip:watcher${i}@domain1.example`,
            status: statuses[i % 4]!,
            event,
            displayName: `W & <${i}>`,
          })),
          extensions: [],
        },
      ],
      extensions: [],
    };
    const xml = serializeWatcherInfo(info);
    assertSchemaValid(xml, 'watcherinfo.xsd');
    assert.deepEqual(ok(xml), info);
    const withExt = RFC3858.replace('</watcher-list>', '</watcher-list><x:y xmlns:x="urn:x">z</x:y>');
    const again = ok(serializeWatcherInfo(ok(withExt)));
    assert.deepEqual(stripXmlns(again), stripXmlns(ok(withExt)));
    assert.equal(again.extensions[0]?.name, 'x:y');
    assertSchemaValid(serializeWatcherInfo(again), 'watcherinfo.xsd');
  });

  it('refuses bad status, bad event, missing attributes, duplicate ids, wrong root', () => {
    const bad = [
      RFC3858.replace('status="active"', 'status="online"'),
      RFC3858.replace('event="approved"', 'event="liked"'),
      RFC3858.replace(' state="full"', ''),
      RFC3858.replace(' package="presence"', ''),
      RFC3858.replace('id="hh8juja87s997-ass7"', 'id="8ajksjda7s"'),
      RFC3858.replace('version="0"', 'version="-1"'),
    ];
    for (const doc of bad) {
      const r = parseWatcherInfo(doc);
      assert.equal(r.ok, false, doc);
      if (!r.ok) assert.equal(r.error.code, 'PAYLOAD_ERR_INVALID');
    }
    const r = parseWatcherInfo('<presence xmlns="urn:ietf:params:xml:ns:pidf" entity="pres:a@b"/>');
    assert.equal(r.ok ? '' : r.error.code, 'PAYLOAD_ERR_WRONG_ROOT');
  });

  it('applies a partial update by watcher id and detects version gaps (RFC 3858 §4.3)', () => {
    const full = ok(RFC3858);
    const partial = ok(
      RFC3858.replace('version="0" state="full"', 'version="1" state="partial"').replace(
        /<watcher status="active"[\s\S]*?<\/watcher>/,
        '<watcher status="terminated" id="8ajksjda7s" event="timeout">sip:userA@example.net</watcher>',
      ),
    );
    const merged = applyPartialWatcherInfo(full, partial);
    assert.ok(merged);
    assert.equal(merged.version, 1);
    assert.equal(merged.watcherLists[0]?.watchers.length, 2);
    assert.equal(merged.watcherLists[0]?.watchers[0]?.status, 'terminated');
    assert.equal(applyPartialWatcherInfo(full, { ...partial, version: 3 }), undefined);
  });
});

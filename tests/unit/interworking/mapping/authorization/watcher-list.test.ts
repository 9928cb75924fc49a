import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  parseWatcherInfo,
  serializeWatcherInfo,
} from '../../../../../domains/simple/payloads/watcherinfo.ts';
import {
  WATCHER_LIST_ROWS,
  watcherInfoToWatcherList,
  watcherListToWatcherInfo,
} from '../../../../../interworking/mapping/authorization/watcher-list.ts';
import { assertSchemaValid } from '../../../../support/xmllint.ts';

const WINFO = `<watcherinfo xmlns="urn:ietf:params:xml:ns:watcherinfo" version="0" state="full">
  <watcher-list resource="sip:jane@domain2.lab" package="presence">
    <watcher id="1" event="approved" status="active" display-name="Harry H.">sip:harry@domain1.lab</watcher>
    <watcher id="2" event="subscribe" status="pending">sip:ann@domain1.lab</watcher>
    <watcher id="3" event="timeout" status="terminated">sip:old@domain1.lab</watcher>
    <watcher id="4" event="subscribe" status="active">tel:+358401234567</watcher>
  </watcher-list>
</watcherinfo>`;

function info() {
  const r = parseWatcherInfo(WINFO);
  assert.ok(r.ok, r.ok ? '' : r.error.message);
  return r.value;
}

const CASES: Record<string, () => string[]> = {
  WL1: () => {
    const r = watcherInfoToWatcherList(info(), '1.3');
    assert.deepEqual(r.value, {
      watchers: [
        { user: { userId: 'wv:harry@domain1.lab', friendlyName: 'Harry H.' }, watcherStatus: 'active' },
        { user: { userId: 'wv:ann@domain1.lab' }, watcherStatus: 'pending' },
      ],
      watcherCount: 2,
    });
    const v12 = watcherInfoToWatcherList(info(), '1.2').value;
    assert.deepEqual(v12.watchers?.[0], {
      user: { userId: 'wv:harry@domain1.lab' },
      watcherStatus: 'active',
    });
    return r.rows;
  },
  WL2: () => {
    const r = watcherInfoToWatcherList(info(), '1.1');
    assert.deepEqual(r.value, {
      users: [{ userId: 'wv:harry@domain1.lab' }, { userId: 'wv:ann@domain1.lab' }],
    });
    return r.rows;
  },
  WL3: () => watcherInfoToWatcherList(info(), '1.2').rows,
  WL4: () => {
    const r = watcherListToWatcherInfo(
      'sip:harry@domain1.lab',
      {
        watchers: [{ user: { userId: 'wv:jane@domain2.lab' }, watcherStatus: 'x' }],
        users: [{ userId: 'wv:jane@domain2.lab' }],
      },
      4,
    );
    const xml = serializeWatcherInfo(r.value);
    assertSchemaValid(xml, 'watcherinfo.xsd');
    const back = parseWatcherInfo(xml);
    assert.ok(back.ok);
    assert.deepEqual(
      back.value.watcherLists[0]?.watchers.map((w) => [w.uri, w.status]),
      [['sip:jane@domain2.lab', 'active']],
    );
    return [r.row];
  },
};

describe('watcher list rows', () => {
  for (const row of WATCHER_LIST_ROWS) {
    it(`${row.id} ${row.direction}: ${row.imps} ⇄ ${row.simple}`, () => {
      const run = CASES[row.id];
      assert.ok(run, `row ${row.id} has no test case`);
      const rows = run();
      assert.ok(rows.includes(row.id), `row ${row.id} not reported (got ${rows.join(',')})`);
    });
  }
});

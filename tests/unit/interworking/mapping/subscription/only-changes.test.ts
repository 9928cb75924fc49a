import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PresenceSubList } from '../../../../../domains/imps/csp/model/presence-attributes.ts';
import {
  diffPresence,
  mergePresence,
  notifyBodyType,
  ONLY_CHANGES_ROWS,
  PRESENCE_SUBSCRIBE_ACCEPT,
} from '../../../../../interworking/mapping/subscription/only-changes.ts';

const T = true;
const before: PresenceSubList = {
  onlineStatus: { qualifier: T, presenceValue: 'T' },
  statusText: { qualifier: T, presenceValue: 'Working' },
  statusMood: { qualifier: T, presenceValue: 'HAPPY' },
  commCap: { qualifier: T, commC: [{ cap: 'IM', status: 'OPEN' }] },
};

describe('only changes', () => {
  it('O1: the SUBSCRIBE accepts pidf-diff beside pidf', () => {
    const o1 = ONLY_CHANGES_ROWS.find((r) => r.id === 'O1')!;
    assert.match(o1.simple, /application\/pidf\+xml, application\/pidf-diff\+xml/);
    assert.equal(PRESENCE_SUBSCRIBE_ACCEPT, 'application/pidf+xml, application/pidf-diff+xml');
  });

  it('O8 + O9: a SIMPLE watcher gets full PIDF whatever it accepts beside it; no PIDF at all → 406', () => {
    assert.deepEqual(notifyBodyType(undefined), { value: 'application/pidf+xml', row: 'O8' });
    assert.deepEqual(notifyBodyType('application/pidf-diff+xml, application/pidf+xml;q=0.5'), {
      value: 'application/pidf+xml',
      row: 'O8',
    });
    assert.deepEqual(notifyBodyType('application/*'), { value: 'application/pidf+xml', row: 'O8' });
    assert.deepEqual(notifyBodyType('application/xpidf+xml'), { refuse: 406, row: 'O9' });
  });

  it('O4: changed and added attributes are in the delta, unchanged ones are not', () => {
    const next: PresenceSubList = {
      ...before,
      statusText: { qualifier: T, presenceValue: 'Lunch' },
      alias: { qualifier: T, presenceValue: 'H' },
      commCap: { qualifier: T, commC: [{ cap: 'IM', status: 'CLOSED' }] },
    };
    const d = diffPresence(before, next);
    assert.deepEqual(d.changed, ['CommCap', 'StatusText', 'Alias']);
    assert.deepEqual(d.value, {
      commCap: next.commCap,
      statusText: next.statusText,
      alias: next.alias,
    });
    assert.deepEqual(d.rows, ['O4']);
  });

  it('O5: nothing changed → empty delta', () => {
    const d = diffPresence(before, structuredClone(before));
    assert.deepEqual(d, { value: {}, changed: [], rows: ['O5'] });
  });

  it('O6: a removed attribute is sent with Qualifier F', () => {
    const { statusMood: _gone, ...next } = before;
    const d = diffPresence(before, next);
    assert.deepEqual(d.value, { statusMood: { qualifier: false } });
    assert.deepEqual(d.rows, ['O6']);
  });

  it('O8: merging the delta into the previous state gives the next state (seeded)', () => {
    let seed = 7;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    const values = ['A', 'B', 'C'];
    const gen = (): PresenceSubList => {
      const s: Record<string, unknown> = {};
      for (const k of ['onlineStatus', 'statusText', 'statusMood', 'alias', 'plmn', 'freeTextLocation']) {
        if (rnd() < 0.6) s[k] = { qualifier: T, presenceValue: values[Math.floor(rnd() * 3)] };
      }
      if (rnd() < 0.5) s.timeZone = { qualifier: T, zone: rnd() < 0.5 ? '+02' : '-05' };
      return s as PresenceSubList;
    };
    for (let i = 0; i < 500; i++) {
      const a = gen();
      const b = gen();
      assert.deepEqual(mergePresence(a, diffPresence(a, b).value), b, `case ${i}`);
    }
  });
});

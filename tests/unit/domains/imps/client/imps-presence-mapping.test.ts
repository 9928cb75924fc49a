import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  fromImpsPresence,
  grantedAttributes,
  subscribedAttributes,
  toImpsPresence,
  toWvAddress,
} from '../../../../../domains/imps/client/imps-presence-mapping.ts';

describe('control presence <-> IMPS attributes', () => {
  it('maps availability, basic, note, mood, place and icon to IMPS', () => {
    const p = toImpsPresence({
      basic: 'open',
      availability: 'discreet',
      note: 'busy',
      mood: ['happy'],
      placeType: 'office',
      statusIcon: 'http://127.0.1.1/i.png',
    });
    assert.equal(p.userAvailability?.presenceValue, 'DISCREET');
    assert.deepEqual(p.commCap?.commC, [{ cap: 'IM', status: 'OPEN' }]);
    assert.equal(p.statusText?.presenceValue, 'busy');
    assert.equal(p.statusMood?.presenceValue, 'HAPPY');
    assert.equal(p.freeTextLocation?.presenceValue, 'office');
    assert.equal(p.statusContent?.referredContent, 'http://127.0.1.1/i.png');
    assert.equal(p.onlineStatus, undefined, 'OnlineStatus is server-maintained');
    assert.equal(toImpsPresence({ basic: 'closed' }).userAvailability?.presenceValue, 'NOT_AVAILABLE');
  });
  it('maps IMPS attributes back; Qualifier F means absent', () => {
    const c = fromImpsPresence({
      onlineStatus: { qualifier: true, presenceValue: 'T' },
      userAvailability: { qualifier: true, presenceValue: 'AVAILABLE' },
      statusText: { qualifier: false, presenceValue: 'stale' },
      statusMood: { qualifier: true, presenceValue: 'SLEEPY' },
      plmn: { qualifier: true, presenceValue: 'MNO-Visited' },
      registration: { qualifier: true, presenceValue: 'T' },
    });
    assert.deepEqual(c, {
      availability: 'available',
      basic: 'open',
      mood: ['sleepy'],
      network: { registered: true, visited: 'MNO-Visited' },
    });
    assert.equal(fromImpsPresence({ onlineStatus: { qualifier: true, presenceValue: 'F' } }).basic, 'closed');
  });
  it('grants follow the provide switches', () => {
    assert.ok(grantedAttributes(undefined).includes('StatusText'));
    assert.ok(!grantedAttributes({ notes: false, network: false }).includes('StatusText'));
    assert.ok(!grantedAttributes({ network: false }).includes('PLMN'));
  });
  it('converts peer addresses to wv:', () => {
    assert.equal(toWvAddress('sip:Jane@domain2.lab'), 'wv:jane@domain2.lab');
    assert.equal(toWvAddress('wv:harry@domain1.lab'), 'wv:harry@domain1.lab');
    assert.equal(toWvAddress('bob@d'), 'wv:bob@d');
  });

  it('a subset of the common model names the IMPS attributes it is read from', () => {
    assert.deepEqual(subscribedAttributes(['availability', 'note']), ['UserAvailability', 'StatusText']);
    assert.deepEqual(subscribedAttributes(['basic', 'network', 'basic']), [
      'OnlineStatus',
      'CommCap',
      'Registration',
      'PLMN',
    ]);
    assert.deepEqual(subscribedAttributes(['activities']), [], 'no IMPS attribute carries activities');
    // Every attribute named is one fromImpsPresence reads back into the asked field.
    const back = fromImpsPresence(
      toImpsPresence({
        basic: 'open',
        availability: 'available',
        note: 'n',
        mood: ['happy'],
        placeType: 'office',
      }),
    );
    for (const f of ['availability', 'note', 'mood', 'placeType'] as const)
      assert.ok(back[f] !== undefined, f);
  });
});

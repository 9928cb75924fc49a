import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManualClock } from '../../../../../../common/manual-clock.ts';
import { parseNameAddr } from '../../../../../../domains/simple/sip/message/header-values.ts';
import { formatUri } from '../../../../../../domains/simple/sip/message/uri-codec.ts';
import {
  type Binding,
  type BindingEvent,
  formatBindingContact,
  LocationService,
  remainingSeconds,
} from '../../../../../../domains/simple/sip/registrar/location-service.ts';

function binding(contact: string, expiresAt: number, extra: Partial<Binding> = {}): Binding {
  return {
    aor: 'sip:jane@domain2.lab',
    contact: parseNameAddr(contact),
    q: undefined,
    expiresAt,
    callId: 'c',
    cseq: 1,
    path: [],
    source: undefined,
    instanceId: undefined,
    ...extra,
  };
}

describe('LocationService', () => {
  it('adds, refreshes (same Contact URI by §19.1.4), removes, with events and remaining counts', () => {
    const clock = new ManualClock();
    const store = new LocationService({ clock });
    const events: BindingEvent[] = [];
    const off = store.onBindingEvent((e) => events.push(e));
    store.put(binding('<sip:jane@127.0.2.10:5060>', 60_000));
    // a parameter in one URI only is ignored (§19.1.4; transport= would not be)
    store.put(binding('<sip:jane@127.0.2.10:5060;unknownparam>', 90_000, { cseq: 2 }));
    store.put(binding('<sip:jane@127.0.2.11>', 60_000));
    assert.equal(store.lookup('sip:jane@domain2.lab').length, 2);
    assert.equal(
      store.find('sip:jane@domain2.lab', parseNameAddr('<sip:JANE@127.0.2.11>')),
      undefined,
      'user is case-sensitive',
    );
    assert.ok(store.find('sip:jane@domain2.lab', parseNameAddr('<sip:jane@127.0.2.11>')));
    store.remove('sip:jane@domain2.lab', parseNameAddr('<sip:jane@127.0.2.11>'));
    off();
    store.removeAll('sip:jane@domain2.lab');
    assert.deepEqual(
      events.map((e) => [e.type, e.remaining]),
      [
        ['added', 1],
        ['refreshed', 1],
        ['added', 2],
        ['removed', 1],
      ],
    );
    assert.equal(store.aorCount, 0);
    assert.equal(clock.armed, 0, 'timers of removed bindings are cancelled');
  });

  it('expires each binding on its own timer; a refresh re-arms it', () => {
    const clock = new ManualClock();
    const store = new LocationService({ clock });
    const events: string[] = [];
    store.onBindingEvent((e) => events.push(`${e.type}:${formatUri(e.binding.contact.uri)}`));
    store.put(binding('<sip:a@127.0.2.10>', 10_000));
    store.put(binding('<sip:b@127.0.2.11>', 20_000));
    clock.advance(5_000);
    store.put(binding('<sip:a@127.0.2.10>', 30_000));
    clock.advance(15_000);
    assert.deepEqual(
      store.lookup('sip:jane@domain2.lab').map((b) => b.expiresAt),
      [30_000],
    );
    clock.advance(10_000);
    assert.deepEqual(events, [
      'added:sip:a@127.0.2.10',
      'added:sip:b@127.0.2.11',
      'refreshed:sip:a@127.0.2.10',
      'expired:sip:b@127.0.2.11',
      'expired:sip:a@127.0.2.10',
    ]);
    assert.equal(clock.armed, 0);
  });

  it('lookup hides bindings already past expiry and sorts by q; sweep drops them', () => {
    const clock = new ManualClock();
    const store = new LocationService({ clock });
    store.put(binding('<sip:a@127.0.2.10>', 100_000, { q: 0.1 }));
    store.put(binding('<sip:b@127.0.2.10>', 100_000));
    store.put(binding('<sip:c@127.0.2.10>', 100_000, { q: 0.7 }));
    assert.deepEqual(
      store.lookup('sip:jane@domain2.lab').map((b) => b.q),
      [undefined, 0.7, 0.1],
    );
    assert.equal(store.lookup('sip:jane@domain2.lab', 100_000).length, 0);
    store.sweep(100_000);
    assert.equal(store.aorCount, 0);
    store.close();
  });

  it('formats a binding for the 200 with its remaining expiry, replacing any expires param', () => {
    const b = binding(
      '"Jane \\"J\\"" <sip:jane@127.0.2.10;transport=tcp>;q=0.5;expires=9;+sip.instance="<urn:uuid:1>"',
      61_500,
    );
    assert.equal(remainingSeconds(b, 0), 62);
    assert.equal(
      formatBindingContact(b, 62),
      '"Jane \\"J\\"" <sip:jane@127.0.2.10;transport=tcp>;q=0.5;+sip.instance="<urn:uuid:1>";expires=62',
    );
  });
});

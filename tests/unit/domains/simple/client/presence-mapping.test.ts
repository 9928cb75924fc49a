import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pidfToPresence, presenceToPidf } from '../../../../../domains/simple/client/presence-mapping.ts';
import { normalizeTarget } from '../../../../../domains/simple/client/simple-terminal.ts';
import { assertSchemaValid } from '../../../../support/xmllint.ts';

describe('control presence ⇄ PIDF', () => {
  it('round-trips basic, activities, mood, note, place-type and status icon', () => {
    const presence = {
      basic: 'open' as const,
      activities: ['meeting'],
      mood: ['happy'],
      note: 'In Paris',
      placeType: 'office',
      statusIcon: 'http://127.0.2.1/icon.png',
    };
    const xml = presenceToPidf('sip:jane@domain2.lab', presence);
    assertSchemaValid(xml, 'lab-presence.xsd');
    assert.deepEqual(pidfToPresence(xml), { ...presence, availability: 'discreet' });
  });

  it('derives availability and reads the network-provided element', () => {
    const closed = pidfToPresence(presenceToPidf('sip:jane@domain2.lab', { basic: 'closed' }));
    assert.equal(closed?.availability, 'not-available');
    const xml = `<presence xmlns="urn:ietf:params:xml:ns:pidf" xmlns:rpid="urn:ietf:params:xml:ns:pidf:rpid" entity="sip:jane@domain2.lab">
<tuple id="pna"><status><basic>open</basic></status><rpid:class>network</rpid:class>
<np:network-provided xmlns:np="urn:x-lab:params:xml:ns:pidf:network-provided"><np:registered>true</np:registered><np:access-type>roaming</np:access-type><np:visited-network>visited.lab</np:visited-network></np:network-provided>
</tuple></presence>`;
    assert.deepEqual(pidfToPresence(xml)?.network, {
      registered: true,
      accessType: 'roaming',
      visited: 'visited.lab',
    });
    assert.equal(pidfToPresence('<not-pidf/>'), undefined);
  });

  it('normalizes targets to SIP URIs', () => {
    assert.equal(normalizeTarget('bob@domain2.lab'), 'sip:bob@domain2.lab');
    assert.equal(normalizeTarget('wv:harry@domain1.lab'), 'sip:harry@domain1.lab');
    assert.equal(normalizeTarget('sip:x@y'), 'sip:x@y');
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SequentialIdSource } from '../../../../../common/ids.ts';
import { ManualClock } from '../../../../../common/manual-clock.ts';
import { serializeXml } from '../../../../../common/xml/serialize.ts';
import {
  networkDocument,
  PresenceNetworkAgent,
} from '../../../../../domains/simple/server/presence-network-agent.ts';
import { PublicationService } from '../../../../../domains/simple/server/publication-service.ts';
import { parseNameAddr } from '../../../../../domains/simple/sip/message/header-values.ts';
import { LocationService } from '../../../../../domains/simple/sip/registrar/index.ts';
import { sipRequest } from '../../../../support/sip-text.ts';
import { assertSchemaValid } from '../../../../support/xmllint.ts';

const ENTITY = 'sip:jane@domain2.lab';
const pidf = (basic: string, id = 't1') =>
  `<presence xmlns="urn:ietf:params:xml:ns:pidf" entity="${ENTITY}"><tuple id="${id}"><status><basic>${basic}</basic></status></tuple></presence>`;

function service(changes: string[] = []) {
  const clock = new ManualClock();
  const svc = new PublicationService({ clock, ids: new SequentialIdSource('e'), maxBodyBytes: 2048 }, (r) =>
    changes.push(r),
  );
  return { clock, svc };
}

describe('PublicationService body checks', () => {
  const { svc } = service();
  it('accepts a good PIDF and refuses the bad ones with the right status', () => {
    assert.equal(svc.checkBody(Buffer.from(pidf('open')), 'application/pidf+xml', ENTITY), undefined);
    assert.equal(svc.checkBody(Buffer.from(pidf('open')), 'text/plain', ENTITY)?.status, 415);
    assert.equal(svc.checkBody(Buffer.from('<presence'), 'application/pidf+xml', ENTITY)?.status, 400);
    const noBasic = `<presence xmlns="urn:ietf:params:xml:ns:pidf" entity="${ENTITY}"><tuple id="a"><status/></tuple></presence>`;
    assert.equal(svc.checkBody(Buffer.from(noBasic), 'application/pidf+xml', ENTITY)?.status, 400);
    assert.equal(svc.checkBody(Buffer.alloc(3000, 32), 'application/pidf+xml', ENTITY)?.status, 413);
    assert.equal(
      svc.checkBody(Buffer.from(pidf('open')), 'application/pidf+xml', 'sip:bob@domain2.lab')?.status,
      400,
    );
    // pres: and sip: name the same presentity (RFC 3859).
    assert.equal(
      svc.checkBody(Buffer.from(pidf('open').replace('sip:', 'pres:')), 'application/pidf+xml', ENTITY),
      undefined,
    );
  });
});

describe('PublicationService composition and expiry per source', () => {
  it('composes two sources and lets each expire on its own', () => {
    const changes: string[] = [];
    const { clock, svc } = service(changes);
    const publish = (body: string, expires: number) =>
      svc.publish(
        sipRequest(
          [
            `PUBLISH ${ENTITY} SIP/2.0`,
            'Via: SIP/2.0/UDP 127.0.0.9;branch=z9hG4bK1',
            `From: <${ENTITY}>;tag=a`,
            `To: <${ENTITY}>`,
            'Call-ID: c1',
            'CSeq: 1 PUBLISH',
            'Max-Forwards: 70',
            'Event: presence',
            `Expires: ${expires}`,
            'Content-Type: application/pidf+xml',
          ],
          body,
        ),
        ENTITY,
      );
    assert.equal(publish(pidf('open', 'ua'), 120).status, 200);
    assert.equal(svc.publishLocal(ENTITY, pidf('open', 'pna'), undefined, 600).status, 200);
    assert.deepEqual(
      svc.composed(ENTITY)?.tuples.map((t) => t.id),
      ['ua', 'pna'],
    );
    clock.advance(121_000);
    assert.deepEqual(
      svc.composed(ENTITY)?.tuples.map((t) => t.id),
      ['pna'],
    );
    assert.ok(changes.length >= 3);
    clock.advance(600_000);
    assert.equal(svc.composed(ENTITY), undefined);
  });
});

describe('PresenceNetworkAgent', () => {
  it('publishes registration, roaming and de-registration as network-provided presence', () => {
    const clock = new ManualClock();
    const svc = new PublicationService({ clock, ids: new SequentialIdSource('e') }, () => {});
    const location = new LocationService({ clock });
    const pna = new PresenceNetworkAgent(location, svc, [{ address: '127.0.4.1', name: 'visited.lab' }]);
    const register = sipRequest([
      'REGISTER sip:domain2.lab SIP/2.0',
      'Via: SIP/2.0/UDP 127.0.2.10;branch=z9hG4bKa',
      'Via: SIP/2.0/UDP 127.0.4.1;branch=z9hG4bKb',
      `From: <${ENTITY}>;tag=a`,
      `To: <${ENTITY}>`,
      'Call-ID: r1',
      'CSeq: 1 REGISTER',
      'Max-Forwards: 70',
    ]);
    pna.noteRegister(ENTITY, register, { transport: 'udp', address: '127.0.4.1', port: 5060 });
    location.put({
      aor: ENTITY,
      contact: parseNameAddr('<sip:jane@127.0.2.10>'),
      q: undefined,
      expiresAt: clock.now() + 60_000,
      callId: 'r1',
      cseq: 1,
      path: [],
      source: { transport: 'udp', address: '127.0.4.1', port: 5060 },
      instanceId: undefined,
    });
    const tuple = svc.composed(ENTITY)?.tuples.find((t) => t.id === 'pna');
    assert.equal(tuple?.status.basic, 'open');
    const xml = serializeXml(networkDocument(ENTITY, pna.info(ENTITY)));
    assert.match(xml, /<np:access-type>roaming<\/np:access-type>/);
    assert.match(xml, /<np:visited-network>visited\.lab<\/np:visited-network>/);
    assertSchemaValid(xml, 'lab-presence.xsd');
    // Expiry of the binding: the network says closed.
    clock.advance(61_000);
    assert.equal(svc.composed(ENTITY)?.tuples.find((t) => t.id === 'pna')?.status.basic, 'closed');
    assert.equal(pna.info(ENTITY).registered, false);
    pna.close();
  });

  it('keeps the network publication alive while the registration is refreshed', () => {
    const clock = new ManualClock();
    const svc = new PublicationService({ clock, ids: new SequentialIdSource('e') }, () => {});
    const location = new LocationService({ clock });
    const pna = new PresenceNetworkAgent(location, svc, [], 120);
    const binding = (cseq: number) => ({
      aor: ENTITY,
      contact: parseNameAddr('<sip:jane@127.0.2.10>'),
      q: undefined,
      expiresAt: clock.now() + 300_000,
      callId: 'r1',
      cseq,
      path: [],
      source: { transport: 'udp', address: '127.0.2.10', port: 5060 },
      instanceId: undefined,
    });
    location.put(binding(1));
    clock.advance(100_000);
    location.put(binding(2));
    clock.advance(100_000);
    assert.equal(svc.composed(ENTITY)?.tuples.find((t) => t.id === 'pna')?.status.basic, 'open');
    assert.equal(pna.info(ENTITY).accessType, 'home');
    pna.close();
  });
});

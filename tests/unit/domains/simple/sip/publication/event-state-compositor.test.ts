import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SequentialIdSource } from '../../../../../../common/ids.ts';
import { ManualClock } from '../../../../../../common/manual-clock.ts';
import { SipHeaders, SipRequest } from '../../../../../../domains/simple/sip/message/sip-message.ts';
import { parseUri } from '../../../../../../domains/simple/sip/message/uri-codec.ts';
import {
  EventStateCompositor,
  type PublicationChange,
} from '../../../../../../domains/simple/sip/publication/event-state-compositor.ts';
import { handlePublishRequest } from '../../../../../../domains/simple/sip/publication/publish-request.ts';

const PIDF = 'application/pidf+xml';
const JANE = 'sip:jane@domain2.lab';
const doc = (note: string) => Buffer.from(`<presence><note>${note}</note></presence>`);

function setup(options: Partial<ConstructorParameters<typeof EventStateCompositor>[0]> = {}) {
  const clock = new ManualClock();
  const esc = new EventStateCompositor({ clock, ids: new SequentialIdSource('e'), ...options });
  const changes: PublicationChange[] = [];
  esc.onChange((c) => changes.push(c));
  return { clock, esc, changes };
}

describe('EventStateCompositor', () => {
  it('initial PUBLISH → 200 with SIP-ETag and Expires, a published change', () => {
    const { esc, clock, changes } = setup();
    const r = esc.handlePublish(JANE, 'presence', undefined, 600, doc('hi'), PIDF, clock.now());
    assert.deepEqual(r, {
      status: 200,
      reason: 'OK',
      etag: 'e1',
      expires: 600,
      headers: [
        { name: 'SIP-ETag', value: 'e1' },
        { name: 'Expires', value: '600' },
      ],
    });
    assert.equal(changes.length, 1);
    assert.equal(changes[0]!.cause, 'published');
    assert.deepEqual(
      changes[0]!.publications.map((p) => [p.etag, p.body.toString()]),
      [['e1', '<presence><note>hi</note></presence>']],
    );
  });

  it('refresh without body and modify with body each issue a new entity-tag; the old one is dead', () => {
    const { esc, clock, changes } = setup();
    esc.handlePublish(JANE, 'presence', undefined, 600, doc('a'), PIDF, clock.now());
    const refresh = esc.handlePublish(JANE, 'presence', 'e1', 600, undefined, undefined, clock.now());
    assert.equal(refresh.status, 200);
    assert.equal(refresh.etag, 'e2');
    assert.equal(
      esc.publications(JANE, 'presence')[0]!.body.toString(),
      '<presence><note>a</note></presence>',
    );
    assert.equal(
      esc.handlePublish(JANE, 'presence', 'e1', 600, undefined, undefined, clock.now()).status,
      412,
    );
    const modify = esc.handlePublish(JANE, 'presence', 'e2', 600, doc('b'), PIDF, clock.now());
    assert.equal(modify.etag, 'e3', 'a refused PUBLISH consumes no entity-tag');
    assert.equal(
      esc.publications(JANE, 'presence')[0]!.body.toString(),
      '<presence><note>b</note></presence>',
    );
    assert.deepEqual(
      changes.map((c) => [c.cause, c.etag]),
      [
        ['published', 'e1'],
        ['refreshed', 'e2'],
        ['modified', 'e3'],
      ],
    );
  });

  it('removes with Expires 0 and reports the remaining publications', () => {
    const { esc, clock, changes } = setup();
    esc.handlePublish(JANE, 'presence', undefined, 600, doc('ua'), PIDF, clock.now());
    esc.handlePublish(JANE, 'presence', undefined, 600, doc('pna'), PIDF, clock.now());
    const r = esc.handlePublish(JANE, 'presence', 'e1', 0, undefined, undefined, clock.now());
    assert.equal(r.status, 200);
    assert.equal(r.expires, 0);
    const last = changes.at(-1)!;
    assert.equal(last.cause, 'removed');
    assert.equal(last.etag, 'e1');
    assert.deepEqual(
      last.publications.map((p) => p.etag),
      ['e2'],
    );
    assert.equal(
      esc.handlePublish(JANE, 'presence', 'e1', 600, undefined, undefined, clock.now()).status,
      412,
    );
  });

  it('expires each source on its own through the Clock', () => {
    const { esc, clock, changes } = setup();
    esc.handlePublish(JANE, 'presence', undefined, 120, doc('ua'), PIDF, clock.now());
    clock.advance(60_000);
    esc.handlePublish(JANE, 'presence', undefined, 120, doc('pna'), PIDF, clock.now());
    clock.advance(60_000);
    assert.deepEqual(
      esc.publications(JANE, 'presence').map((p) => p.body.toString()),
      ['<presence><note>pna</note></presence>'],
    );
    assert.deepEqual(
      changes.map((c) => [c.cause, c.etag, c.publications.length]),
      [
        ['published', 'e1', 1],
        ['published', 'e2', 2],
        ['expired', 'e1', 1],
      ],
    );
    // a refresh keeps the second alive past its first expiry
    esc.handlePublish(JANE, 'presence', 'e2', 120, undefined, undefined, clock.now());
    clock.advance(100_000);
    assert.equal(esc.publications(JANE, 'presence').length, 1);
    clock.advance(20_000);
    assert.equal(esc.publications(JANE, 'presence').length, 0);
    assert.equal(changes.at(-1)!.cause, 'expired');
    assert.equal(clock.armed, 0);
    assert.equal(
      esc.handlePublish(JANE, 'presence', 'e3', 120, undefined, undefined, clock.now()).status,
      412,
    );
  });

  it('400 without body and SIP-If-Match; 423 with Min-Expires; caps at max; default expiry', () => {
    const { esc, clock, changes } = setup({ minExpires: 60, maxExpires: 1800, defaultExpires: 900 });
    assert.equal(
      esc.handlePublish(JANE, 'presence', undefined, 600, undefined, undefined, clock.now()).status,
      400,
    );
    assert.equal(
      esc.handlePublish(JANE, 'presence', undefined, 600, Buffer.alloc(0), PIDF, clock.now()).status,
      400,
    );
    const brief = esc.handlePublish(JANE, 'presence', undefined, 30, doc('x'), PIDF, clock.now());
    assert.equal(brief.status, 423);
    assert.equal(brief.minExpires, 60);
    assert.deepEqual(brief.headers, [{ name: 'Min-Expires', value: '60' }]);
    assert.equal(
      esc.handlePublish(JANE, 'presence', undefined, 99999, doc('x'), PIDF, clock.now()).expires,
      1800,
    );
    assert.equal(
      esc.handlePublish(JANE, 'presence', undefined, undefined, doc('x'), PIDF, clock.now()).expires,
      900,
    );
    assert.equal(changes.length, 2);
  });

  it('keeps resources and events apart', () => {
    const { esc, clock } = setup();
    esc.handlePublish(JANE, 'presence', undefined, 600, doc('x'), PIDF, clock.now());
    assert.equal(
      esc.handlePublish('sip:kim@domain2.lab', 'presence', 'e1', 600, undefined, undefined, clock.now())
        .status,
      412,
    );
    assert.equal(esc.handlePublish(JANE, 'dialog', 'e1', 600, undefined, undefined, clock.now()).status, 412);
  });

  it('489 with Allow-Events, 415 with Accept, 413 for a large body, 403 beyond the per-resource cap', () => {
    const { esc, clock } = setup({
      events: { presence: [PIDF] },
      maxBodyBytes: 100,
      maxPublicationsPerResource: 2,
    });
    const bad = esc.handlePublish(JANE, 'dialog', undefined, 600, doc('x'), PIDF, clock.now());
    assert.deepEqual([bad.status, bad.headers], [489, [{ name: 'Allow-Events', value: 'presence' }]]);
    const type = esc.handlePublish(JANE, 'presence', undefined, 600, doc('x'), 'text/plain', clock.now());
    assert.deepEqual([type.status, type.headers], [415, [{ name: 'Accept', value: PIDF }]]);
    assert.equal(
      esc.handlePublish(JANE, 'presence', undefined, 600, doc('x'), `${PIDF}; charset=UTF-8`, clock.now())
        .status,
      200,
    );
    assert.equal(
      esc.handlePublish(JANE, 'presence', undefined, 600, Buffer.alloc(200, 65), PIDF, clock.now()).status,
      413,
    );
    assert.equal(
      esc.handlePublish(JANE, 'presence', undefined, 600, doc('y'), PIDF, clock.now()).status,
      200,
    );
    assert.equal(
      esc.handlePublish(JANE, 'presence', undefined, 600, doc('z'), PIDF, clock.now()).status,
      403,
    );
  });
});

function publishRequest(headers: Array<[string, string]>, body = ''): SipRequest {
  const h = new SipHeaders();
  for (const [name, value] of headers) h.append(name, value); // append expands compact names
  return new SipRequest('PUBLISH', parseUri('sip:jane@Domain2.lab;transport=tcp'), h, Buffer.from(body));
}

describe('handlePublishRequest', () => {
  it('maps a PUBLISH onto the compositor with the AOR as resource', () => {
    const { esc, clock } = setup();
    const r = handlePublishRequest(
      publishRequest(
        [
          ['Event', 'presence'],
          ['Expires', '600'],
          ['Content-Type', PIDF],
        ],
        '<presence/>',
      ),
      esc,
      clock.now(),
    );
    assert.equal(r.status, 200);
    assert.equal(esc.publications(JANE, 'presence').length, 1);
    const refresh = handlePublishRequest(
      publishRequest([
        ['o', 'Presence'],
        ['SIP-If-Match', r.etag!],
      ]),
      esc,
      clock.now(),
    );
    assert.equal(refresh.status, 200);
    assert.equal(refresh.expires, 3600);
  });

  it('refuses a missing Event (489) and a malformed Expires (400)', () => {
    const { esc, clock } = setup();
    assert.equal(handlePublishRequest(publishRequest([], 'x'), esc, clock.now()).status, 489);
    assert.equal(
      handlePublishRequest(
        publishRequest(
          [
            ['Event', 'presence'],
            ['Expires', 'soon'],
          ],
          'x',
        ),
        esc,
        clock.now(),
      ).status,
      400,
    );
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeSsp, encodeSsp } from '../../../../../domains/imps/ssp/ssp-codec.ts';
import type { SspContent, SspMessage } from '../../../../../domains/imps/ssp/ssp-model.ts';

const meta = { serviceId: 'wv:@domain1.lab', userId: 'wv:harry@domain1.lab', clientOriginated: true };

const CONTENTS: SspContent[] = [
  {
    kind: 'SubscribeRequest',
    meta,
    userIds: ['wv:jane@domain2.lab'],
    attributes: ['OnlineStatus', 'StatusText'],
  },
  { kind: 'SubscribeRequest', meta, userIds: ['wv:jane@domain2.lab', 'wv:bob@domain2.lab'] },
  { kind: 'UnsubscribeRequest', meta, userIds: ['wv:jane@domain2.lab'] },
  {
    kind: 'PresenceNotification',
    meta: { serviceId: 'wv:@domain2.lab', userId: 'wv:jane@domain2.lab' },
    recipients: ['wv:harry@domain1.lab'],
    presences: [
      {
        userId: 'wv:jane@domain2.lab',
        presenceSubList: {
          onlineStatus: { qualifier: true, presenceValue: 'T' },
          commCap: { qualifier: true, commC: [{ cap: 'IM', status: 'OPEN' }] },
          statusText: { qualifier: true, presenceValue: 'in Paris <3 & co' },
        },
      },
    ],
  },
  { kind: 'GetPresenceRequest', meta, userIds: ['wv:jane@domain2.lab'], attributes: ['UserAvailability'] },
  {
    kind: 'GetPresenceResponse',
    status: {
      code: 201,
      description: 'Partially successful',
      details: [{ code: 531, description: 'Unknown user', userIds: ['wv:x@domain2.lab'] }],
    },
    presences: [
      {
        userId: 'wv:jane@domain2.lab',
        presenceSubList: { userAvailability: { qualifier: true, presenceValue: 'DISCREET' } },
      },
    ],
  },
  {
    kind: 'SendMessageRequest',
    meta,
    deliveryReport: true,
    message: {
      messageId: 'm1',
      contentType: 'text/plain',
      contentSize: 7,
      validity: 600,
      recipients: ['wv:jane@domain2.lab'],
      sender: 'wv:harry@domain1.lab',
      dateTime: '20261124T031000Z',
    },
    content: 'héllo ✓',
  },
  { kind: 'SendMessageResponse', messageId: 'm1', status: { code: 200, description: 'Successful' } },
  {
    kind: 'DeliveryStatusReport',
    meta: { serviceId: 'wv:@domain2.lab', userId: 'wv:jane@domain2.lab' },
    result: { code: 200 },
    deliveryTime: '20261124T031001Z',
    message: { messageId: 'm1', recipients: ['wv:jane@domain2.lab'], sender: 'wv:harry@domain1.lab' },
  },
  { kind: 'Status', status: { code: 403, description: 'Forbidden' } },
];

describe('SSP codec (imps.md §10)', () => {
  for (const content of CONTENTS) {
    it(`round-trips ${content.kind}`, () => {
      const m: SspMessage = {
        setup: false,
        sessionId: 's1@domain2.lab',
        transactions: [{ mode: 'Request', transactionId: 't1', content }],
      };
      const bytes = encodeSsp(m);
      const d = decodeSsp(bytes);
      assert.ok(d.ok, d.ok ? '' : d.error.description);
      assert.deepEqual(d.message, m);
    });
  }
  it('round-trips the setup transactions', () => {
    const m: SspMessage = {
      setup: true,
      transactions: [
        {
          mode: 'Request',
          transactionId: 's',
          content: { kind: 'LoginRequest', serviceId: 'wv:@d1', timeToLive: 3600, passwordDigest: 'abc=' },
        },
      ],
    };
    const d = decodeSsp(encodeSsp(m));
    assert.ok(d.ok);
    assert.deepEqual(d.message, m);
    assert.match(
      encodeSsp(m).toString(),
      /<WV-SSP-Message xmlns="http:\/\/www.openmobilealliance.org\/DTD\/WV-SSP1.3"><SetupTransaction mode="Request"/,
    );
  });
  it('refuses unknown elements (405), non-SSP roots, malformed XML and DTDs', () => {
    const ns = 'http://www.openmobilealliance.org/DTD/WV-SSP1.3';
    const unknown = decodeSsp(
      `<WV-SSP-Message xmlns="${ns}"><Session sessionID="s"><Transaction mode="Request" transactionID="t9"><JoinGroupRequest/></Transaction></Session></WV-SSP-Message>`,
    );
    assert.ok(!unknown.ok);
    assert.equal(unknown.error.code, 405);
    assert.equal(unknown.error.transactionId, 't9');
    const root = decodeSsp('<WV-CSP-Message/>');
    assert.ok(!root.ok && root.error.name === 'SSP_ERR_NOT_SSP');
    const bad = decodeSsp('<WV-SSP-Message');
    assert.ok(!bad.ok && bad.error.name === 'SSP_ERR_MALFORMED');
    const dtd = decodeSsp('<!DOCTYPE x [<!ENTITY a "b">]><WV-SSP-Message/>');
    assert.ok(!dtd.ok && dtd.error.code === 400);
    const noMeta = decodeSsp(
      `<WV-SSP-Message xmlns="${ns}"><Session sessionID="s"><Transaction mode="Request" transactionID="t"><SubscribeRequest/></Transaction></Session></WV-SSP-Message>`,
    );
    assert.ok(!noMeta.ok && noMeta.error.code === 402);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SequentialIdSource } from '../../../../../common/ids.ts';
import { ManualClock } from '../../../../../common/manual-clock.ts';
import { dialogRelay } from '../../../../../domains/simple/server/dialog-relay.ts';
import type { AdmissionPolicy } from '../../../../../domains/simple/server/request-admission.ts';
import { DigestAuthenticator, MemoryHa1Store } from '../../../../../domains/simple/sip/auth/index.ts';
import { type IncomingRequest, SipUserAgent } from '../../../../../domains/simple/sip/core/index.ts';
import { type SipRequest, SipResponse } from '../../../../../domains/simple/sip/message/sip-message.ts';
import type { RequestTarget } from '../../../../../domains/simple/sip/transaction/transaction-user.ts';
import { sipRequest } from '../../../../support/sip-text.ts';

// The decisions of PS2's in-dialog relay (the fallback of its user agent), against a stand-in
// user agent whose transaction layer records what would be forwarded: RFC 3261 §16.4 (own Route
// stripped, then the remaining Route or the Request-URI), §12.2.2 (481 when not ours), and the
// admission rules of request-admission.ts inside dialogs.

const PS2 = { address: '127.0.2.1', port: 5060 };
const IWF = '127.0.3.1';

function fakeUa() {
  const forwarded: Array<{ request: SipRequest; target: RequestTarget }> = [];
  const ua = {
    allow: ['OPTIONS', 'REGISTER', 'SUBSCRIBE', 'PUBLISH', 'MESSAGE'],
    // The agent's own answer to what nobody serves (the relay defers to it).
    answerUnserved: SipUserAgent.prototype.answerUnserved,
    local: () => PS2,
    resolveTarget: (request: SipRequest): RequestTarget => {
      const uri = (request.routes[0]?.uri ?? request.uri) as { host: string; port?: number };
      return { protocol: 'udp', address: uri.host, port: uri.port ?? 5060 };
    },
    transactions: {
      request: async (request: SipRequest, target: RequestTarget) => {
        forwarded.push({ request, target });
        return new SipResponse(200, 'OK');
      },
    },
  } as unknown as SipUserAgent;
  return { ua, forwarded };
}

function incoming(method: string, from: string, source: string, extra: string[] = [], toTag = ';tag=t2') {
  const replies: Array<{ status: number; reason?: string; allow?: string }> = [];
  const sent: SipResponse[] = [];
  const request = sipRequest([
    `${method} sip:jane@127.0.2.10:5062 SIP/2.0`,
    `Via: SIP/2.0/UDP ${source};branch=z9hG4bK1`,
    `From: <${from}>;tag=t1`,
    `To: <sip:jane@domain2.lab>${toTag}`,
    'Call-ID: c1',
    `CSeq: 2 ${method}`,
    'Max-Forwards: 70',
    ...extra,
  ]);
  const inc = {
    request,
    inbound: { protocol: 'udp', remote: { address: source, port: 5060 } },
    reply: (status: number, reason?: string, options?: { headers?: Array<[string, string]> }) => {
      const allow = options?.headers?.find(([n]) => n === 'Allow')?.[1];
      replies.push({ status, reason, ...(allow ? { allow } : {}) });
      return undefined;
    },
    createResponse: (status: number, reason: string) => new SipResponse(status, reason),
    send: (r: SipResponse) => sent.push(r),
  } as unknown as IncomingRequest;
  return { inc, replies, sent };
}

const policy: AdmissionPolicy = {
  domain: 'domain2.lab',
  trustedPeers: new Map([['domain1.lab', IWF]]),
  selfAddresses: new Set([PS2.address]),
  requireAuth: true,
  proxyAuth: new DigestAuthenticator({
    realm: 'domain2.lab',
    store: new MemoryHa1Store().addUser('jane', 'domain2.lab', 'pw'),
    clock: new ManualClock(),
    ids: new SequentialIdSource('n'),
    role: 'proxy',
  }),
};
const ownRoute = `Route: <sip:${PS2.address}:${PS2.port};lr>`;

describe('PS2 in-dialog relay', () => {
  it("relays the trusted peer's NOTIFY by the Request-URI, own Route stripped, Record-Route added", async () => {
    const { ua, forwarded } = fakeUa();
    const { inc, replies, sent } = incoming('NOTIFY', 'sip:harry@domain1.lab', IWF, [ownRoute]);
    await dialogRelay(ua, policy)(inc);
    assert.deepEqual(replies, []);
    assert.equal(forwarded.length, 1);
    const out = forwarded[0]!;
    assert.deepEqual(out.target, { protocol: 'udp', address: '127.0.2.10', port: 5062 });
    assert.equal(out.request.headers.get('Route'), undefined);
    assert.equal(out.request.headers.get('Record-Route'), `<sip:${PS2.address}:${PS2.port};lr>`);
    assert.equal(out.request.headers.get('Max-Forwards'), '69');
    assert.equal(sent[0]?.status, 200);
  });

  it('relays by the remaining Route and does not Record-Route an in-dialog SUBSCRIBE', async () => {
    const { ua, forwarded } = fakeUa();
    const { inc } = incoming('SUBSCRIBE', 'sip:jane@domain2.lab', PS2.address, [
      ownRoute,
      'Route: <sip:127.0.4.1:5070;lr>',
      'Event: presence',
      'Expires: 0',
    ]);
    await dialogRelay(ua, policy)(inc);
    assert.equal(forwarded.length, 1);
    assert.deepEqual(forwarded[0]!.target, { protocol: 'udp', address: '127.0.4.1', port: 5070 });
    assert.equal(forwarded[0]!.request.headers.get('Route'), '<sip:127.0.4.1:5070;lr>');
    assert.equal(forwarded[0]!.request.headers.get('Record-Route'), undefined);
  });

  it('challenges a local identity (407) and refuses a spoofed domain1.lab one (403)', async () => {
    const { ua, forwarded } = fakeUa();
    const local = incoming('SUBSCRIBE', 'sip:jane@domain2.lab', '127.0.2.10', [ownRoute, 'Event: presence']);
    await dialogRelay(ua, policy)(local.inc);
    assert.equal(local.replies[0]?.status, 407);
    const spoof = incoming('NOTIFY', 'sip:harry@domain1.lab', '127.0.9.99', [ownRoute]);
    await dialogRelay(ua, policy)(spoof.inc);
    assert.equal(spoof.replies[0]?.status, 403);
    assert.match(spoof.replies[0]?.reason ?? '', /trusted peer/);
    assert.equal(forwarded.length, 0);
  });

  it('refuses to relay for a domain it neither serves nor trusts (403)', async () => {
    const { ua, forwarded } = fakeUa();
    const { inc, replies } = incoming('NOTIFY', 'sip:mallory@elsewhere.lab', '127.0.9.99', [ownRoute]);
    await dialogRelay(ua, policy)(inc);
    assert.deepEqual(
      replies.map((r) => [r.status, r.reason]),
      [[403, 'Forbidden - relaying denied']],
    );
    assert.equal(forwarded.length, 0);
  });

  it('answers 481 when the top Route is not ours or there is none; ignores an in-dialog ACK', async () => {
    const { ua, forwarded } = fakeUa();
    const none = incoming('NOTIFY', 'sip:harry@domain1.lab', IWF);
    await dialogRelay(ua, policy)(none.inc);
    assert.equal(none.replies[0]?.status, 481);
    const other = incoming('NOTIFY', 'sip:harry@domain1.lab', IWF, ['Route: <sip:127.0.4.1:5060;lr>']);
    await dialogRelay(ua, policy)(other.inc);
    assert.equal(other.replies[0]?.status, 481);
    const ack = incoming('ACK', 'sip:harry@domain1.lab', IWF, [ownRoute]);
    await dialogRelay(ua, policy)(ack.inc);
    assert.deepEqual(ack.replies, []);
    assert.equal(forwarded.length, 0);
  });

  it('answers unserved out-of-dialog requests as the user agent would: OPTIONS 200, 405, 501', async () => {
    const { ua, forwarded } = fakeUa();
    const results: Array<[number | undefined, string | undefined]> = [];
    for (const method of ['OPTIONS', 'INVITE', 'FROBNICATE']) {
      const { inc, replies } = incoming(method, 'sip:bob@elsewhere.lab', '127.0.9.99', [], '');
      await dialogRelay(ua, policy)(inc);
      results.push([replies[0]?.status, replies[0]?.allow]);
    }
    const allow = 'OPTIONS, REGISTER, SUBSCRIBE, PUBLISH, MESSAGE';
    assert.deepEqual(results, [
      [200, allow],
      [405, allow],
      [501, allow],
    ]);
    assert.equal(forwarded.length, 0);
  });
});

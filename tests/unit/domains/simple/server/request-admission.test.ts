import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SequentialIdSource } from '../../../../../common/ids.ts';
import { ManualClock } from '../../../../../common/manual-clock.ts';
import { admit } from '../../../../../domains/simple/server/request-admission.ts';
import { XcapStore } from '../../../../../domains/simple/server/xcap-store.ts';
import { DigestAuthenticator, MemoryHa1Store } from '../../../../../domains/simple/sip/auth/index.ts';
import type { IncomingRequest } from '../../../../../domains/simple/sip/core/index.ts';
import { sipRequest } from '../../../../support/sip-text.ts';

function incoming(from: string, source: string) {
  const replies: Array<{ status: number; reason?: string }> = [];
  const request = sipRequest([
    'MESSAGE sip:jane@domain2.lab SIP/2.0',
    `Via: SIP/2.0/UDP ${source};branch=z9hG4bK1`,
    `From: <${from}>;tag=a`,
    'To: <sip:jane@domain2.lab>',
    'Call-ID: c',
    'CSeq: 1 MESSAGE',
    'Max-Forwards: 70',
  ]);
  const inc = {
    request,
    inbound: { remote: { address: source, port: 5060 } },
    reply: (status: number, reason?: string) => {
      replies.push({ status, reason });
      return undefined;
    },
  } as unknown as IncomingRequest;
  return { inc, replies };
}

const clock = new ManualClock();
const policy = {
  domain: 'domain2.lab',
  trustedPeers: new Map([['domain1.lab', '127.0.3.1']]),
  selfAddresses: new Set(['127.0.2.1']),
  requireAuth: true,
  proxyAuth: new DigestAuthenticator({
    realm: 'domain2.lab',
    store: new MemoryHa1Store().addUser('jane', 'domain2.lab', 'pw'),
    clock,
    ids: new SequentialIdSource('n'),
    role: 'proxy',
  }),
};

describe('request admission', () => {
  it('believes domain1.lab identities only from the trusted peer', () => {
    const spoof = incoming('sip:harry@domain1.lab', '127.0.9.99');
    assert.deepEqual(admit(spoof.inc, policy), { ok: false });
    assert.equal(spoof.replies[0]?.status, 403);
    const iwf = incoming('sip:harry@domain1.lab', '127.0.3.1');
    assert.deepEqual(admit(iwf.inc, policy), { ok: true, identity: 'sip:harry@domain1.lab', local: false });
  });

  it('challenges local identities with 407 unless the request comes from PS2 itself', () => {
    const jane = incoming('sip:jane@domain2.lab', '127.0.2.10');
    assert.deepEqual(admit(jane.inc, policy), { ok: false });
    assert.equal(jane.replies[0]?.status, 407);
    const self = incoming('sip:jane@domain2.lab', '127.0.2.1');
    assert.deepEqual(admit(self.inc, policy), { ok: true, identity: 'sip:jane@domain2.lab', local: true });
    const open = incoming('sip:jane@domain2.lab', '127.0.2.10');
    assert.deepEqual(admit(open.inc, { ...policy, requireAuth: false }), {
      ok: true,
      identity: 'sip:jane@domain2.lab',
      local: true,
    });
  });

  it('admits other domains unauthenticated, as non-local', () => {
    const x = incoming('sip:someone@example.lab', '127.0.9.98');
    assert.deepEqual(admit(x.inc, policy), { ok: true, identity: 'sip:someone@example.lab', local: false });
  });
});

describe('XCAP store', () => {
  it('keeps documents per (AUID, user, name) with fresh entity tags and announces changes', () => {
    const store = new XcapStore(new SequentialIdSource('e'));
    const seen: string[] = [];
    store.onChange((c) => seen.push(`${c.auid} ${c.user} ${c.xml === undefined ? 'deleted' : 'put'}`));
    const a = store.put('pres-rules', 'sip:Jane@domain2.lab', 'index', '<a/>');
    const b = store.put('pres-rules', 'sip:jane@domain2.lab', 'index', '<b/>');
    assert.notEqual(a, b);
    assert.equal(store.get('pres-rules', 'sip:jane@domain2.lab', 'index')?.xml, '<b/>');
    store.put('rls-services', 'sip:jane@domain2.lab', 'index', '<c/>');
    assert.equal(store.all('rls-services').length, 1);
    assert.equal(store.all('pres-rules').length, 1);
    assert.equal(store.delete('pres-rules', 'sip:jane@domain2.lab', 'index'), true);
    assert.equal(store.all('pres-rules').length, 0);
    assert.equal(store.delete('pres-rules', 'sip:jane@domain2.lab', 'index'), false);
    assert.deepEqual(seen, [
      'pres-rules sip:jane@domain2.lab put',
      'pres-rules sip:jane@domain2.lab put',
      'rls-services sip:jane@domain2.lab put',
      'pres-rules sip:jane@domain2.lab deleted',
    ]);
  });
});

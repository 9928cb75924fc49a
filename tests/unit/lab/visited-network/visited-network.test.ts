import assert from 'node:assert/strict';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { Notifier, SipUserAgent, Subscriber } from '../../../../domains/simple/sip/core/index.ts';
import { LocationService, processRegister } from '../../../../domains/simple/sip/registrar/index.ts';
import { HttpRelay, SipRelay } from '../../../../lab/visited-network/index.ts';

// A roaming UA reaches its home through the visited network: REGISTER gets a Path, SUBSCRIBE is
// record-routed so NOTIFYs come back the same way; CSP over HTTP is relayed with Via and delay.

describe('visited network SIP relay', () => {
  const home = new SipUserAgent({ node: 'home', address: '127.0.84.1', port: 0, protocols: ['udp'] });
  const ue = new SipUserAgent({ node: 'ue', address: '127.0.84.2', port: 0, protocols: ['udp'] });
  let relay: SipRelay;
  const store = new LocationService({ clock: home.clock });

  before(async () => {
    await home.start();
    await ue.start();
    relay = new SipRelay({
      address: '127.0.84.3',
      port: 0,
      homes: { 'home.lab': { address: '127.0.84.1', port: home.local().port } },
      delayMs: 20,
    });
    await relay.start();
    ue.outboundProxy = { protocol: 'udp', address: '127.0.84.3', port: relay.ua.local().port };
  });
  after(async () => {
    await relay.stop();
    await ue.stop();
    await home.stop();
  });

  it('adds Path to REGISTER and record-routes SUBSCRIBE; NOTIFYs return through the relay', async () => {
    let path: string | undefined;
    home.on('REGISTER', (req) => {
      path = req.request.headers.get('Path');
      const outcome = processRegister(req.request, store, home.clock.now());
      req.reply(outcome.status, outcome.reason, { headers: outcome.headers.map((h) => [h.name, h.value]) });
    });
    const reg = await ue.request({
      method: 'REGISTER',
      uri: 'sip:home.lab',
      from: 'sip:ue@home.lab',
      to: 'sip:ue@home.lab',
      headers: [['Expires', '300']],
    });
    assert.equal(reg.status, 200);
    assert.equal(path, `<sip:127.0.84.3:${relay.ua.local().port};lr>`);

    new Notifier(
      home,
      { events: ['presence'] },
      { onSubscribe: () => ({ state: 'active', body: 'x', contentType: 'text/plain' }) },
    );
    const sub = new Subscriber(ue, {
      target: 'sip:friend@home.lab',
      from: 'sip:ue@home.lab',
      event: 'presence',
      expires: 120,
    });
    const notified = new Promise((resolve) => sub.once('notify', resolve));
    const before = relay.relayed;
    assert.equal((await sub.subscribe()).status, 200);
    await notified;
    assert.equal(sub.dialog?.state.routeSet.length, 1, 'the relay is in the route set');
    assert.ok(relay.relayed >= before + 2, 'SUBSCRIBE and NOTIFY went through the relay');
    await sub.unsubscribe();
  });
});

describe('visited network HTTP relay', () => {
  let seen: { via?: string; xff?: string; body?: string } = {};
  const home = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      seen = {
        via: req.headers.via as string,
        xff: req.headers['x-forwarded-for'] as string,
        body: Buffer.concat(chunks).toString(),
      };
      res.writeHead(200, { 'content-type': 'application/vnd.wv.csp.xml' });
      res.end('<ok/>');
    });
  });
  let relay: HttpRelay;
  before(async () => {
    await new Promise<void>((r) => home.listen(0, '127.0.84.5', r));
    relay = new HttpRelay({
      address: '127.0.84.6',
      port: 0,
      home: { address: '127.0.84.5', port: (home.address() as AddressInfo).port },
      delayMs: 10,
    });
    await relay.start();
  });
  after(async () => {
    await relay.stop();
    home.closeAllConnections();
    await new Promise((r) => home.close(r));
  });

  it('relays CSP with Via and X-Forwarded-For', async () => {
    const body = await new Promise<string>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.84.6',
          port: relay.port,
          method: 'POST',
          path: '/wv',
          localAddress: '127.0.84.7',
          headers: { 'content-type': 'application/vnd.wv.csp.xml' },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c) => chunks.push(c));
          res.on('end', () => resolve(Buffer.concat(chunks).toString()));
        },
      );
      req.on('error', reject);
      req.end('<WV-CSP-Message/>');
    });
    assert.equal(body, '<ok/>');
    assert.equal(seen.via, '1.1 visited.lab');
    assert.equal(seen.xff, '127.0.84.7');
    assert.equal(seen.body, '<WV-CSP-Message/>');
  });

  it('answers 502 with a problem body when the home server is down', async () => {
    const dead = new HttpRelay({ address: '127.0.84.8', port: 0, home: { address: '127.0.84.9', port: 9 } });
    await dead.start();
    try {
      const status = await new Promise<number>((resolve, reject) => {
        const req = request({ host: '127.0.84.8', port: dead.port, method: 'POST', path: '/' }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end('x');
      });
      assert.equal(status, 502);
    } finally {
      await dead.stop();
    }
  });
});

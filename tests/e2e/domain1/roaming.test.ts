// Domain1 e2e: a terminal roaming through the visited network's HTTP relay (lab/visited-network,
// 127.0.4.1): PS1 publishes the visited PLMN, and SUDP wake-ups still reach the terminal itself
// (its X-Forwarded-For behind the relay), not the relay.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ImpsClient, PresenceEvent } from '../../../domains/imps/client/imps-client.ts';
import type { Ps1 } from '../../../domains/imps/server/ps1.ts';
import { HttpRelay } from '../../../lab/visited-network/http-relay.ts';
import { client, next, ps1 } from './harness.ts';

const HARRY = 'wv:harry@domain1.lab';
const SALLY = 'wv:sally@domain1.lab';

describe('roaming through the visited network relay', () => {
  let server: Ps1;
  let relay: HttpRelay;
  const open: ImpsClient[] = [];
  before(async () => {
    server = await ps1();
    relay = new HttpRelay({
      address: '127.0.4.1',
      port: 0,
      home: { address: server.address, port: server.port },
    });
    await relay.start();
  });
  after(async () => {
    for (const c of open) c.close();
    await relay.stop();
    await server.stop();
  });

  it('roaming is seen from the access network; SUDP CIR goes to the terminal behind the relay', async () => {
    const harry = client(server, 'harry');
    open.push(harry);
    await harry.login();
    await harry.createAttributeList({
      attributes: ['OnlineStatus', 'PLMN', 'StatusText'],
      defaultList: true,
    });
    const sally = client(server, 'sally', { serverUrl: `http://127.0.4.1:${relay.port}`, cir: 'SUDP' });
    open.push(sally);
    const first = next<PresenceEvent>(harry, 'presence', (p) => p.userId === SALLY);
    assert.equal((await sally.login()).code, 200);
    const session = server.core.sessions.ofUser(SALLY)[0]!;
    assert.equal(session.roaming, true);
    assert.equal(session.cirAddress, '127.0.1.11', 'the terminal, not the relay');
    await sally.createAttributeList({ attributes: ['PLMN'], defaultList: true });
    await harry.subscribe({ users: [SALLY] });
    assert.equal((await first).presenceSubList.plmn?.presenceValue, 'MNO-Visited');
    const woke = next(sally, 'cir');
    const got = next<PresenceEvent>(sally, 'presence', (p) => p.userId === HARRY);
    await sally.subscribe({ users: [HARRY], attributes: ['StatusText'] });
    await harry.updatePresence({ statusText: { qualifier: true, presenceValue: 'to the roamer' } });
    await woke;
    assert.equal((await got).presenceSubList.statusText?.presenceValue, 'to the roamer');
    assert.ok(relay.relayed > 0);
  });
});

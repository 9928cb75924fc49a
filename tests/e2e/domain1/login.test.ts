// Domain1 e2e: login flows (plain and 4-step digest), capability/service negotiation and 506,
// logout and invalid sessions (604), over real sockets on 127.0.1.x.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { XmlElement } from '../../../common/xml/xml-node.ts';
import { resultOf } from '../../../domains/imps/client/imps-client.ts';
import { primitive } from '../../../domains/imps/csp/model/primitives.ts';
import type { Ps1 } from '../../../domains/imps/server/ps1.ts';
import { client, ps1 } from './harness.ts';

describe('PS1 login', () => {
  let server: Ps1;
  before(async () => {
    server = await ps1();
  });
  after(async () => {
    await server.stop();
  });

  it('plain password login opens a session with KeepAliveTime and negotiates', async () => {
    const harry = client(server, 'harry', { login: 'plain', timeToLive: 120 });
    const r = await harry.login();
    assert.equal(r.code, 200);
    assert.ok(harry.sessionId);
    assert.equal(harry.keepAliveTime, 120);
    assert.deepEqual(harry.agreedCirMethods, ['STCP']);
    assert.ok(harry.agreed('UPDPR'));
    assert.equal(server.core.sessions.ofUser('wv:harry@domain1.lab').length, 1);
    await harry.logout();
    assert.equal(server.core.sessions.ofUser('wv:harry@domain1.lab').length, 0);
    harry.close();
  });

  it('4-step digest login with SHA and with MD5', async () => {
    for (const schema of ['SHA', 'MD5']) {
      const sally = client(server, 'sally', { login: 'digest', digestSchemas: [schema] });
      const r = await sally.login();
      assert.equal(r.code, 200, schema);
      await sally.logout();
      sally.close();
    }
  });

  it('a wrong password is 409, an unknown user 531, an unsupported digest scheme 543', async () => {
    const bad = client(server, 'tom', { password: 'nope' });
    assert.equal((await bad.login()).code, 409);
    const badDigest = client(server, 'tom', { password: 'nope', login: 'digest' });
    assert.equal((await badDigest.login()).code, 409);
    const ghost = client(server, 'tom', { userId: 'wv:ghost@domain1.lab' });
    assert.equal((await ghost.login()).code, 531);
    const md6 = client(server, 'tom', { login: 'digest', digestSchemas: ['MD6'] });
    assert.equal((await md6.login()).code, 543);
    for (const c of [bad, badDigest, ghost, md6]) c.close();
  });

  it('a request with an unknown SessionID is 604; after logout the old id is 604 too', async () => {
    const tom = client(server, 'tom');
    await tom.login();
    const sid = tom.sessionId;
    await tom.logout();
    tom.sessionId = sid;
    const r = await tom.request(primitive('GetList-Request', {}));
    assert.equal(resultOf(r).code, 604);
    assert.equal(tom.sessionId, undefined, 'the client drops the session on 604');
    tom.close();
  });

  it('functions not agreed in Service negotiation are refused with 506', async () => {
    const ns = 'http://www.openmobilealliance.org/DTD/WV-TRC1.2';
    const mk = (local: string, children: XmlElement[] = []): XmlElement => ({
      name: local,
      local,
      ns,
      attributes: [],
      children,
    });
    const presenceOnly = mk('Functions', [mk('WVCSPFeat', [mk('PresenceFeat')])]);
    const harry = client(server, 'harry', { functions: presenceOnly });
    assert.equal((await harry.login()).code, 200);
    assert.ok(harry.agreed('GETPR'));
    assert.ok(!harry.agreed('MDELIV'));
    const r = await harry.sendMessage(['wv:sally@domain1.lab'], 'hi');
    assert.equal(resultOf(r).code, 506);
    assert.match(resultOf(r).description ?? '', /MDELIV/);
    const ok = await harry.request(primitive('GetList-Request', {}));
    assert.equal(resultOf(ok).code, 200);
    await harry.logout();
    harry.close();
  });
});

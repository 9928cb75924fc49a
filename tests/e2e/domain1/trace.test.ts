// Every CSP and CIR message PS1 and the client send or receive is reported exactly once to the
// lab's trace stream (common/trace.ts), with the endpoints of the real sockets.
import assert from 'node:assert/strict';
import diagnostics_channel from 'node:diagnostics_channel';
import { describe, it } from 'node:test';
import type { WireTraceEvent } from '../../../common/trace.ts';
import { client, next, ps1, settle } from './harness.ts';

describe('trace', () => {
  it('reports each CSP body once per side, and the CIR lines', async () => {
    const server = await ps1({ node: 'ps1-trace' });
    const events: WireTraceEvent[] = [];
    const on = (e: unknown) => {
      const w = e as WireTraceEvent;
      if (w.node === 'ps1-trace' || w.node === 'harry-trace') events.push(w);
    };
    diagnostics_channel.channel('lab:wire').subscribe(on);
    const harry = client(server, 'harry', { node: 'harry-trace', cir: 'STCP' });
    try {
      await harry.login();
      await harry.createAttributeList({ attributes: ['OnlineStatus'], defaultList: true });
      const self = client(server, 'sally');
      await self.login();
      await self.createAttributeList({ attributes: ['StatusText'], defaultList: true });
      const woke = next(harry, 'cir');
      await harry.subscribe({ users: ['wv:sally@domain1.lab'], attributes: ['StatusText'] });
      await self.updatePresence({ statusText: { qualifier: true, presenceValue: 'x' } });
      await woke;
      await settle(200);
      self.close();
    } finally {
      diagnostics_channel.channel('lab:wire').unsubscribe(on);
      harry.close();
      await server.stop();
    }
    const csp = (node: string, direction: string) =>
      events
        .filter((e) => e.protocol === 'csp' && e.node === node && e.direction === direction)
        .map((e) => e.bytes.toString('utf8'));
    const clientTx = csp('harry-trace', 'tx');
    const serverRx = csp('ps1-trace', 'rx').filter((b) => clientTx.includes(b));
    assert.equal(serverRx.length, clientTx.length, 'everything Harry sent was received once');
    assert.equal(new Set(clientTx).size, clientTx.length, 'no body reported twice');
    const clientRx = csp('harry-trace', 'rx');
    for (const b of clientRx) assert.equal(csp('ps1-trace', 'tx').filter((x) => x === b).length, 1);
    const cir = events.filter((e) => e.protocol === 'cir');
    assert.ok(
      cir.some(
        (e) => e.node === 'harry-trace' && e.direction === 'tx' && e.bytes.toString().startsWith('HELO '),
      ),
    );
    assert.ok(
      cir.some(
        (e) => e.node === 'ps1-trace' && e.direction === 'tx' && e.bytes.toString().startsWith('WVCI 1.2 '),
      ),
    );
    assert.ok(
      cir.some(
        (e) => e.node === 'harry-trace' && e.direction === 'rx' && e.bytes.toString().startsWith('WVCI 1.2 '),
      ),
    );
    const one = events.find((e) => e.node === 'harry-trace' && e.protocol === 'csp')!;
    assert.equal(one.local.address, '127.0.1.10');
    assert.equal(one.remote.address, '127.0.1.1');
  });
});

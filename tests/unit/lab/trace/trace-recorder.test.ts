import assert from 'node:assert/strict';
import { it } from 'node:test';
import { SipUserAgent } from '../../../../domains/simple/sip/core/index.ts';
import { TraceRecorder } from '../../../../lab/trace/trace-recorder.ts';

it('records each SIP message crossing once, from real sockets', async () => {
  const recorder = new TraceRecorder().start();
  const a = new SipUserAgent({ node: 'a', address: '127.0.81.1', port: 0, protocols: ['udp'] });
  const b = new SipUserAgent({ node: 'b', address: '127.0.81.2', port: 0, protocols: ['udp'] });
  await a.start();
  await b.start();
  try {
    b.on('MESSAGE', (r) => r.reply(200));
    const res = await a.request({
      method: 'MESSAGE',
      uri: `sip:b@127.0.81.2:${b.local().port}`,
      from: 'sip:a@x.lab',
      body: 'hi',
    });
    assert.equal(res.status, 200);
    const mine = recorder.events.filter((e) => e.local.address.startsWith('127.0.81.'));
    assert.equal(mine.length, 4, 'tx and rx of the request and of the response');
    const crossings = recorder.wireMessages().filter((e) => e.local.address.startsWith('127.0.81.'));
    assert.deepEqual(
      crossings.map((e) => `${e.node}:${e.direction}:${e.bytes.toString('latin1').split('\r\n')[0]}`),
      [`a:tx:MESSAGE sip:b@127.0.81.2:${b.local().port} SIP/2.0`, 'b:tx:SIP/2.0 200 OK'],
    );
    assert.ok(recorder.toPcap().length > 24);
  } finally {
    recorder.stop();
    await a.stop();
    await b.stop();
  }
});

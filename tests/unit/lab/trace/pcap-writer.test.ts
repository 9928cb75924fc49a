import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { WireTraceEvent } from '../../../../common/trace.ts';
import { PcapWriter } from '../../../../lab/trace/pcap-writer.ts';

// The pcap is checked by a real decoder: tshark must see the SIP methods and the HTTP requests.

const dir = mkdtempSync(join(tmpdir(), 'pcap-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function sip(method: string, body = ''): Buffer {
  return Buffer.from(
    `${method} sip:jane@domain2.lab SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.3.1:5060;branch=z9hG4bK1\r\nFrom: <sip:harry@domain1.lab>;tag=1\r\nTo: <sip:jane@domain2.lab>\r\nCall-ID: c1\r\nCSeq: 1 ${method}\r\nMax-Forwards: 70\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

function event(
  partial: Partial<WireTraceEvent> & Pick<WireTraceEvent, 'bytes' | 'transport'>,
): WireTraceEvent {
  return {
    node: 'iwf',
    protocol: 'sip',
    direction: 'tx',
    local: { address: '127.0.3.1', port: 5060 },
    remote: { address: '127.0.2.1', port: 5060 },
    time: Date.UTC(2026, 10, 24, 10, 0, 0),
    ...partial,
  };
}

function tshark(file: string, fields: string[], filter?: string): string[] {
  const args = ['-r', file, '-T', 'fields', ...fields.flatMap((f) => ['-e', f])];
  if (filter) args.push('-Y', filter);
  return execFileSync('tshark', args, { encoding: 'utf8', timeout: 30_000 })
    .split('\n')
    .filter((l) => l.trim() !== '');
}

describe('PcapWriter', () => {
  it('writes SIP over UDP and TCP and HTTP that tshark decodes', () => {
    const w = new PcapWriter();
    w.add(event({ transport: 'udp', bytes: sip('SUBSCRIBE') }));
    w.add(
      event({
        transport: 'tcp',
        bytes: sip('MESSAGE', 'hello over tcp'),
        local: { address: '127.0.3.1', port: 40000 },
      }),
    );
    w.add(
      event({
        transport: 'tcp',
        direction: 'rx',
        bytes: Buffer.from(
          'SIP/2.0 200 OK\r\nVia: SIP/2.0/TCP 127.0.3.1:40000;branch=z9hG4bK1\r\nFrom: <sip:harry@domain1.lab>;tag=1\r\nTo: <sip:jane@domain2.lab>;tag=2\r\nCall-ID: c1\r\nCSeq: 1 MESSAGE\r\nContent-Length: 0\r\n\r\n',
        ),
        local: { address: '127.0.3.1', port: 40000 },
      }),
    );
    const csp = '<WV-CSP-Message xmlns="http://www.openmobilealliance.org/DTD/WV-CSP1.2"/>';
    w.add(
      event({
        protocol: 'csp',
        transport: 'http',
        local: { address: '127.0.1.10', port: 41000 },
        remote: { address: '127.0.1.1', port: 80 },
        bytes: Buffer.from(
          `POST /csp HTTP/1.1\r\nHost: 127.0.1.1\r\nContent-Type: application/vnd.wv.csp.xml\r\nContent-Length: ${csp.length}\r\n\r\n${csp}`,
        ),
      }),
    );
    const file = join(dir, 'run.pcap');
    writeFileSync(file, w.toBuffer());
    assert.deepEqual(tshark(file, ['sip.Method'], 'sip.Method'), ['SUBSCRIBE', 'MESSAGE']);
    assert.deepEqual(tshark(file, ['sip.Status-Code'], 'sip.Status-Code'), ['200']);
    assert.deepEqual(tshark(file, ['http.request.method', 'http.content_type'], 'http.request'), [
      'POST\tapplication/vnd.wv.csp.xml',
    ]);
    const expert = tshark(file, ['_ws.expert.message'], '_ws.expert.severity >= 6291456');
    assert.deepEqual(expert, [], 'no malformed packets or TCP sequence complaints');
  });

  it('splits a message larger than one segment and tshark reassembles it', () => {
    const w = new PcapWriter();
    const big = 'x'.repeat(70_000);
    w.add(event({ transport: 'tcp', bytes: sip('MESSAGE', big) }));
    const file = join(dir, 'big.pcap');
    writeFileSync(file, w.toBuffer());
    assert.deepEqual(tshark(file, ['sip.Method', 'sip.Content-Length'], 'sip.Method'), [
      `MESSAGE\t${big.length}`,
    ]);
  });
});

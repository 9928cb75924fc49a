// The UAS half of transaction-bench.ts, run as a child process: UDP and TCP transports with a
// transaction layer answering every MESSAGE 200, plus a raw UDP echo socket for the baseline.
// Prints its ports as one JSON line, exits when stdin closes. Loopback only.
import dgram from 'node:dgram';
import { createInterface } from 'node:readline';
import type { SipRequest } from '../../domains/simple/sip/message/sip-message.ts';
import {
  createResponse,
  type ServerTransaction,
  TransactionLayer,
  type TransactionUser,
} from '../../domains/simple/sip/transaction/index.ts';
import { TcpTransport, UdpTransport } from '../../domains/simple/sip/transport/index.ts';

const address = process.argv[2] ?? '127.0.70.2';

const udp = new UdpTransport({ node: 'bench-uas', address, port: 0 });
const tcp = new TcpTransport({ node: 'bench-uas', address, port: 0 });
await udp.listen();
await tcp.listen();

class Answerer implements TransactionUser {
  layer!: TransactionLayer;
  onRequest(tx: ServerTransaction, request: SipRequest): void {
    tx.respond(createResponse(request, 200, 'OK', this.layer.ids));
  }
}
const tu = new Answerer();
tu.layer = new TransactionLayer({
  transports: [udp, tcp],
  tu,
  ...(process.env.SIP_BENCH_T1 ? { timers: { t1: Number(process.env.SIP_BENCH_T1) } } : {}),
});

const echo = dgram.createSocket('udp4');
echo.on('message', (m, rinfo) => echo.send(m, rinfo.port, rinfo.address));
await new Promise<void>((r) => echo.bind(0, address, () => r()));

process.stdout.write(
  `${JSON.stringify({ udp: udp.local.port, tcp: tcp.local.port, echo: echo.address().port })}\n`,
);
// "cpu" on stdin → this process's CPU time so far (µs), so the parent can report CPU per
// transaction on both sides, a figure a busy shared machine disturbs far less than a rate.
const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  if (line === 'cpu') {
    const u = process.cpuUsage();
    process.stdout.write(`${JSON.stringify({ cpu: u.user + u.system })}\n`);
  }
});
lines.on('close', async () => {
  tu.layer.close();
  echo.close();
  await udp.close();
  await tcp.close();
  process.exit(0);
});

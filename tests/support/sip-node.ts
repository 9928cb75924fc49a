import type { Clock } from '../../common/clock.ts';
import { traceChannels, type WireTraceEvent } from '../../common/trace.ts';
import type { SipRequest } from '../../domains/simple/sip/message/sip-message.ts';
import {
  createResponse,
  type ServerTransaction,
  type TimerValues,
  TransactionLayer,
  type TransactionUser,
} from '../../domains/simple/sip/transaction/index.ts';
import {
  type InboundMessage,
  TcpTransport,
  type Transport,
  UdpTransport,
} from '../../domains/simple/sip/transport/index.ts';

// A transport + transaction stack on real loopback sockets for node-to-node tests: UDP and TCP
// bound to `address` (ports chosen by the system), with a TU that records requests and, unless
// told otherwise, answers every request 200 OK.

export interface TestNode {
  layer: TransactionLayer;
  udp: UdpTransport;
  tcp: TcpTransport;
  requests: Array<{ request: SipRequest; inbound: InboundMessage; tx: ServerTransaction }>;
  close(): Promise<void>;
}

export async function startNode(options: {
  node: string;
  address: string;
  clock?: Clock;
  timers?: Partial<TimerValues>;
  maxMessageBytes?: number;
  idleTimeoutMs?: number;
  tu?: Partial<TransactionUser>;
  autoAnswer?: boolean;
}): Promise<TestNode> {
  const common = {
    node: options.node,
    address: options.address,
    port: 0,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.maxMessageBytes ? { maxMessageBytes: options.maxMessageBytes } : {}),
  };
  const udp = new UdpTransport(common);
  const tcp = new TcpTransport({
    ...common,
    ...(options.idleTimeoutMs ? { idleTimeoutMs: options.idleTimeoutMs } : {}),
  });
  await udp.listen();
  await tcp.listen();
  const requests: TestNode['requests'] = [];
  const layer = new TransactionLayer({
    transports: [udp, tcp] as Transport[],
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.timers ? { timers: options.timers } : {}),
    tu: {
      onRequest: (tx, request, inbound) => {
        requests.push({ request, inbound, tx });
        if (options.autoAnswer !== false) tx.respond(createResponse(request, 200, 'OK', layer.ids));
      },
      ...options.tu,
    },
  });
  return {
    layer,
    udp,
    tcp,
    requests,
    async close() {
      layer.close();
      await udp.close();
      await tcp.close();
    },
  };
}

/** Records every wire trace event while `run` executes. */
export function recordTrace(): { events: WireTraceEvent[]; stop(): void } {
  const events: WireTraceEvent[] = [];
  const onEvent = (e: unknown) => events.push(e as WireTraceEvent);
  traceChannels.wire.subscribe(onEvent);
  return { events, stop: () => traceChannels.wire.unsubscribe(onEvent) };
}

export function waitFor(predicate: () => boolean, timeoutMs = 3000): Promise<void> {
  const start = Date.now();
  return new Promise((resolve, reject) => {
    const tick = () => {
      if (predicate()) resolve();
      else if (Date.now() - start > timeoutMs) reject(new Error('timed out waiting'));
      else setTimeout(tick, 5);
    };
    tick();
  });
}

import { type Clock, systemClock } from '../../../../common/clock.ts';
import { type IdSource, randomIds } from '../../../../common/ids.ts';
import { traceChannels, traceWire } from '../../../../common/trace.ts';
import { decodeSipMessage } from '../message/decode.ts';
import { encodeSipMessage } from '../message/encode.ts';
import { formatVia, splitHeaderList } from '../message/header-values.ts';
import { SipHeaders, type SipMessage, type SipRequest, SipResponse } from '../message/sip-message.ts';
import { isLoopbackAddress } from './loopback-guard.ts';
import { stampReceived } from './response-routing.ts';
import type {
  Endpoint,
  InboundMessage,
  SendErrorListener,
  Transport,
  TransportListener,
  TransportProtocol,
} from './transport.ts';
import type { TransportError } from './transport-errors.ts';

// What UDP and TCP share: configuration, the trace hook, and the receive path (decode → RFC 3581
// stamping → upward, or a stateless error answer for a request that does not decode).

export interface TransportOptions {
  /** Node name for the trace ("ps2", "jane" …). */
  node: string;
  /** A 127.0.0.0/8 address to bind (DESIGN: loopback only). */
  address: string;
  /** Port to bind; 0 lets the system pick one (tests). */
  port: number;
  /** Largest message accepted (RFC 3261 §21.5.9 answers 513 beyond it). Default 65 535. */
  maxMessageBytes?: number;
  /** Injected for TCP idle timers and trace timestamps. */
  clock?: Clock;
  /** For the To tag of stateless error answers. */
  ids?: IdSource;
}

export const DEFAULT_MAX_MESSAGE_BYTES = 65_535;

/** Headers a stateless answer copies from a request it could only partly read (§8.2.6.2). */
const ANSWER_HEADERS = ['Via', 'From', 'To', 'Call-ID', 'CSeq'] as const;

export abstract class TransportBase implements Transport {
  abstract readonly protocol: TransportProtocol;
  abstract readonly reliable: boolean;
  readonly node: string;
  local: Endpoint;
  protected listener: TransportListener | undefined;
  protected readonly clock: Clock;
  protected readonly ids: IdSource;
  protected readonly maxMessageBytes: number;

  constructor(options: TransportOptions) {
    this.node = options.node;
    this.local = { address: options.address, port: options.port };
    this.clock = options.clock ?? systemClock;
    this.ids = options.ids ?? randomIds;
    this.maxMessageBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  }

  abstract listen(): Promise<Endpoint>;
  abstract close(): Promise<void>;
  abstract send(bytes: Buffer, remote: Endpoint, onError?: SendErrorListener): TransportError | undefined;
  abstract hasConnection(remote: Endpoint): boolean;

  setListener(listener: TransportListener): void {
    this.listener = listener;
  }

  /** Refuses a configuration outside loopback before any socket exists. */
  protected bindRefusal(): Error | undefined {
    return isLoopbackAddress(this.local.address)
      ? undefined
      : new Error(`refusing to bind ${this.local.address}: the lab uses 127.0.0.0/8 only`);
  }

  protected trace(direction: 'rx' | 'tx', bytes: Buffer, remote: Endpoint): void {
    // Build the event only when someone listens: the hot path stays allocation-free.
    if (
      !traceChannels.wire.hasSubscribers &&
      !traceChannels.sipRx.hasSubscribers &&
      !traceChannels.sipTx.hasSubscribers
    ) {
      return;
    }
    traceWire({
      node: this.node,
      protocol: 'sip',
      direction,
      transport: this.protocol,
      local: this.local,
      remote: { address: remote.address, port: remote.port },
      time: this.clock.wallNow(),
      bytes,
    });
  }

  /** One whole message arrived (a datagram, or one framed message of a stream). */
  protected receive(bytes: Buffer, remote: Endpoint): SipMessage | undefined {
    this.trace('rx', bytes, remote);
    const decoded = decodeSipMessage(bytes, {
      datagram: !this.reliable,
      maxMessageBytes: this.maxMessageBytes,
    });
    if (!decoded.ok) {
      const error = decoded.error;
      // RFC 3261 §18.3 / §21.4.1: a request that cannot be parsed is answered 400 (505 for the
      // version, 413/513 for size) where enough headers survived to route the answer; a bad
      // response is dropped (§18.1.2: responses are never answered).
      if (error.isRequest && error.method !== 'ACK' && error.headers)
        this.answerUndecodable(error.headers, error.status, error.reason, remote);
      return undefined;
    }
    const message = decoded.message;
    if (message.kind === 'request') {
      try {
        this.stampVia(message, remote);
      } catch {
        // The Via itself is malformed: 400, built from the headers as they are.
        this.answerUndecodable(message.headers, 400, 'Bad Request - Malformed Via', remote);
        return undefined;
      }
    }
    const inbound: InboundMessage = {
      message,
      bytes,
      protocol: this.protocol,
      transport: this,
      local: this.local,
      remote,
    };
    this.listener?.onMessage(inbound);
    return message;
  }

  /** RFC 3261 §18.2.1 + RFC 3581 §4: `received`/`rport` on the top Via, rewritten in place. */
  private stampVia(request: SipRequest, remote: Endpoint): void {
    const top = request.topVia;
    if (!top) return;
    const stamped = stampReceived(top, remote);
    if (!stamped) return;
    const fields = request.headers.getFields('Via');
    const firstItems = splitHeaderList(fields[0]!);
    firstItems[0] = formatVia(stamped);
    request.headers.set('Via', firstItems.join(', '));
    for (let i = 1; i < fields.length; i++) request.headers.append('Via', fields[i]!);
  }

  /** A stateless answer to a request we could not (fully) read, sent back to its source. */
  protected answerUndecodable(headers: SipHeaders, status: number, reason: string, remote: Endpoint): void {
    // Without a Via the answer could not be matched by anyone (§18.1.2); say nothing.
    if (!headers.has('Via')) return;
    const out = new SipHeaders();
    for (const name of ANSWER_HEADERS) {
      for (const value of headers.getFields(name)) {
        out.append(
          name,
          name === 'To' && !/;\s*tag\s*=/i.test(value) ? `${value};tag=${this.ids.token(10)}` : value,
        );
      }
    }
    // The Via may be what was broken, so the answer goes to the packet's source (for a stream,
    // the same connection), never to an address taken from the message.
    this.send(encodeSipMessage(new SipResponse(status, reason, out)), remote);
  }
}

import type net from 'node:net';
import type { Clock, TimerHandle } from '../../../../common/clock.ts';
import type { SipDecodeError } from '../message/decode.ts';
import { SipStreamFramer } from '../message/stream-framer.ts';
import type { Endpoint, SendErrorListener } from './transport.ts';
import { transportError } from './transport-errors.ts';

// One TCP connection: the stream framer (RFC 3261 §18.3: Content-Length delimits messages on a
// stream), RFC 5626 §4.4.1 CRLF keep-alive answered, an idle timer on the injected Clock, and
// send failures reported to whoever wrote while the connection was still being set up.

export interface TcpConnectionOwner {
  connectionMessage(conn: TcpConnection, bytes: Buffer): void;
  connectionClosed(conn: TcpConnection): void;
  connectionFramingError(conn: TcpConnection, error: SipDecodeError): void;
}

const PONG = Buffer.from('\r\n');

export class TcpConnection {
  /** The keys this connection is filed under in its transport's table. */
  readonly keys: string[] = [];
  private readonly framer: SipStreamFramer;
  private connected: boolean;
  private waiting: SendErrorListener[] | undefined = [];
  private lastActivity: number;
  private idleTimer: TimerHandle | undefined;
  private destroyed = false;

  constructor(
    private readonly owner: TcpConnectionOwner,
    private readonly socket: net.Socket,
    readonly remote: Endpoint,
    /** True when the peer opened it. */
    readonly inbound: boolean,
    private readonly clock: Clock,
    private readonly idleMs: number,
    maxMessageBytes: number,
  ) {
    this.framer = new SipStreamFramer({ maxMessageBytes });
    this.connected = inbound;
    if (inbound) this.waiting = undefined;
    this.lastActivity = clock.now();
    socket.setNoDelay(true);
    socket.on('connect', () => {
      this.connected = true;
      this.waiting = undefined;
    });
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', () => this.onError());
    socket.on('close', () => this.onClose());
    this.armIdle(idleMs);
  }

  write(bytes: Buffer, onError: SendErrorListener | undefined): void {
    this.lastActivity = this.clock.now();
    if (onError && this.waiting) this.waiting.push(onError);
    this.socket.write(bytes);
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.idleTimer?.cancel();
    this.socket.destroy();
    this.owner.connectionClosed(this);
  }

  /** Ends the connection after pending writes (a framing-error answer) are flushed. */
  close(): void {
    if (this.destroyed) return;
    this.socket.end();
    this.clock.setTimer(1000, () => this.destroy());
    this.forget();
  }

  private forget(): void {
    this.owner.connectionClosed(this);
  }

  private onData(chunk: Buffer): void {
    this.lastActivity = this.clock.now();
    const events = this.framer.push(chunk);
    for (const event of events) {
      if (this.destroyed) return;
      if (event.type === 'message') {
        try {
          this.owner.connectionMessage(this, event.bytes);
        } catch {
          // A peer's message must never take the node down.
        }
      } else if (event.type === 'ping') {
        // RFC 5626 §4.4.1: "When a server receives a double CRLF ... it MUST respond with a
        // single CRLF (the "pong")". Keep-alives are not SIP messages: not traced.
        this.socket.write(PONG);
      } else if (event.type === 'error') {
        // A framing error leaves no way to find the next message boundary (§18.3): answer a
        // request if its headers could be read, then close once the answer is flushed.
        this.owner.connectionFramingError(this, event.error);
        this.close();
        return;
      }
      // 'pong': the answer to a ping of ours; the activity stamp above is all it means.
    }
  }

  private onError(): void {
    const waiting = this.waiting;
    this.waiting = undefined;
    if (waiting && !this.connected) {
      const error = transportError('SIP_ERR_TRANSPORT_CONNECT', `${this.remote.address}:${this.remote.port}`);
      for (const listener of waiting) listener.onSendError(error, this.remote);
    }
    this.destroy();
  }

  private onClose(): void {
    this.destroy();
  }

  private armIdle(delay: number): void {
    this.idleTimer = this.clock.setTimer(delay, () => {
      if (this.destroyed) return;
      const idle = this.clock.now() - this.lastActivity;
      if (idle >= this.idleMs) this.destroy();
      else this.armIdle(this.idleMs - idle);
    });
  }
}

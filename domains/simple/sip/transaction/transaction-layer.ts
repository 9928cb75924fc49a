import { type Clock, systemClock } from '../../../../common/clock.ts';
import { type IdSource, randomIds } from '../../../../common/ids.ts';
import { encodeSipMessage } from '../message/encode.ts';
import type { SipMessage, SipRequest, SipResponse } from '../message/sip-message.ts';
import { BRANCH_MAGIC_COOKIE, type Via } from '../message/via.ts';
import { responseDestination, SIP_DEFAULT_PORT } from '../transport/response-routing.ts';
import type {
  InboundMessage,
  SendErrorListener,
  Transport,
  TransportListener,
  TransportProtocol,
} from '../transport/transport.ts';
import { type TransportError, transportError } from '../transport/transport-errors.ts';
import { chooseRequestProtocol } from '../transport/transport-selection.ts';
import type { CompletedTransaction } from './completed-transaction.ts';
import { InviteServerTransaction } from './invite-server-transaction.ts';
import { NonInviteClientTransaction } from './non-invite-client-transaction.ts';
import { NonInviteServerTransaction } from './non-invite-server-transaction.ts';
import { createResponse } from './response-factory.ts';
import { TimerQueue } from './timer-queue.ts';
import { type TimerValues, timerValues } from './timer-values.ts';
import { type TransactionError, transactionError } from './transaction-errors.ts';
import type { SentResponse, TransactionHost } from './transaction-host.ts';
import { clientKey, clientKeyOfResponse, serverKeys } from './transaction-keys.ts';
import type {
  ClientTransaction,
  ClientTransactionHandler,
  RequestTarget,
  ServerTransaction,
  TransactionUser,
} from './transaction-user.ts';

// The transaction layer (RFC 3261 §17): matches what the transports deliver to client and
// server transactions, absorbs retransmissions, and hands new requests and final responses to
// the TransactionUser. The layer answers on its own only where the RFC has the transaction layer
// or a minimal UAS do it: 501 for an INVITE nobody handles, CANCEL (§9.2), 400 for a request whose
// transaction-identifying headers cannot be read.

export interface TransactionLayerOptions {
  transports: readonly Transport[];
  tu: TransactionUser;
  clock?: Clock;
  ids?: IdSource;
  timers?: Partial<TimerValues>;
}

export interface SendRequestOptions {
  /** Reuse a branch (a CANCEL carries the branch of the request it cancels, §9.1). */
  branch?: string;
}

export interface StatelessRequestOptions extends SendRequestOptions {
  /** Add our Via (default). A stateless ACK for a non-2xx copies the INVITE's Via instead. */
  addVia?: boolean;
}

type ServerTx = NonInviteServerTransaction | InviteServerTransaction;
type ServerEntry = ServerTx | CompletedTransaction;
type ClientEntry = NonInviteClientTransaction | CompletedTransaction;

export class TransactionLayer implements TransportListener, TransactionHost {
  readonly clock: Clock;
  readonly ids: IdSource;
  readonly timers: TimerQueue;
  readonly timerValues: TimerValues;
  readonly tu: TransactionUser;
  private readonly transports = new Map<TransportProtocol, Transport>();
  private readonly clients = new Map<string, ClientEntry>();
  private readonly servers = new Map<string, ServerEntry>();
  /** Server transactions a CANCEL can target, by branch + sent-by (§9.2 matching). */
  private readonly cancellable = new Map<string, ServerEntry>();

  constructor(options: TransactionLayerOptions) {
    this.clock = options.clock ?? systemClock;
    this.ids = options.ids ?? randomIds;
    this.timerValues = timerValues(options.timers);
    this.timers = new TimerQueue(this.clock);
    this.tu = options.tu;
    for (const t of options.transports) {
      this.transports.set(t.protocol, t);
      t.setListener(this);
    }
  }

  transport(protocol: TransportProtocol): Transport | undefined {
    return this.transports.get(protocol);
  }

  /** Live transactions (client + server); tests use it to prove cleanup. */
  get transactionCount(): number {
    return this.clients.size + this.servers.size;
  }

  // ——— downward API for the TU ———

  /**
   * Sends a non-INVITE request through a new client transaction (§17.1.2). Our Via (sent-by =
   * the transport's address, a fresh z9hG4bK branch, `rport`) is put on top. Responses go to
   * `handler`; timeout and transport failure arrive as synthesized 408 / 503.
   */
  sendRequest(
    request: SipRequest,
    target: RequestTarget,
    handler: ClientTransactionHandler,
    options?: SendRequestOptions,
  ): ClientTransaction | TransactionError {
    if (request.method === 'INVITE' || request.method === 'ACK') return transactionError('SIP_ERR_TX_METHOD');
    const prepared = this.prepareRequest(request, target, options?.branch, true);
    if ('code' in prepared) return prepared;
    const key = clientKey(prepared.branch, request.method);
    const tx = new NonInviteClientTransaction(
      this,
      key,
      prepared.branch,
      request,
      prepared.bytes,
      prepared.transport,
      prepared.target,
      handler,
    );
    this.clients.set(key, tx);
    tx.start();
    return tx;
  }

  /** `sendRequest` as a promise of the final response (synthesized 408/503 included). */
  request(request: SipRequest, target: RequestTarget, options?: SendRequestOptions): Promise<SipResponse> {
    return new Promise((resolve) => {
      const result = this.sendRequest(
        request,
        target,
        {
          onResponse: (response) => {
            if (response.status >= 200) resolve(response);
          },
        },
        options,
      );
      if ('code' in result && !('kind' in result)) {
        resolve(createResponse(request, 500, `Server Internal Error - ${result.reason}`, this.ids));
      }
    });
  }

  /**
   * Sends a request with no transaction (an ACK for a 2xx, a stateless proxy's forward). Returns
   * the refusal, if any.
   */
  sendStatelessRequest(
    request: SipRequest,
    target: RequestTarget,
    options?: StatelessRequestOptions,
  ): TransportError | TransactionError | undefined {
    const prepared = this.prepareRequest(request, target, options?.branch, options?.addVia ?? true);
    if ('code' in prepared) return prepared;
    return prepared.transport.send(prepared.bytes, prepared.target);
  }

  /** Sends a response outside any transaction, routed by its top Via (§18.2.2, RFC 3581). */
  sendStatelessResponse(response: SipResponse, request: InboundMessage): TransportError | undefined {
    const sent = this.sendResponse(response, request, undefined);
    return 'code' in sent ? sent : undefined;
  }

  /** Stops the layer's timer; transactions are dropped. Transports are closed by their owner. */
  close(): void {
    this.timers.stop();
    this.clients.clear();
    this.servers.clear();
    this.cancellable.clear();
  }

  // ——— TransactionHost ———

  sendResponse(
    response: SipResponse,
    request: InboundMessage,
    onError: SendErrorListener | undefined,
  ): SentResponse | TransportError {
    // The TU copies the request's Via fields (§8.2.6.2); when the top one is unchanged, reuse the
    // request's parsed Via instead of parsing the response's again.
    const req = request.message as SipRequest;
    let via: Via | undefined;
    try {
      via =
        response.headers.get('Via') === req.headers.get('Via') ? req.topVia : (response.topVia ?? req.topVia);
    } catch {
      via = undefined; // a Via the TU wrote that does not parse
    }
    if (!via) return transportError('SIP_ERR_TRANSPORT_NO_ROUTE', 'no usable Via to route the response by');
    const transport = request.transport;
    const open = transport.reliable && transport.hasConnection(request.remote);
    const remote = responseDestination(via, request.protocol, request.remote, open);
    const bytes = encodeSipMessage(response);
    const refused = transport.send(bytes, remote, onError);
    return refused ?? { bytes, remote };
  }

  retire(tx: { readonly key: string }, record: CompletedTransaction, delayMs: number): void {
    const t = tx as NonInviteClientTransaction | ServerTx;
    if (t.kind === 'nict') {
      if (this.clients.get(t.key) === t) this.clients.set(t.key, record);
    } else {
      if (this.servers.get(t.key) === t) this.servers.set(t.key, record);
      if (t.cancelKey !== undefined && this.cancellable.get(t.cancelKey) === t) {
        this.cancellable.set(t.cancelKey, record);
      }
    }
    this.timers.schedule(record.timer, delayMs);
  }

  transactionTerminated(tx: { readonly key: string; readonly cancelKey?: string | undefined }): void {
    const t = tx as ClientEntry | ServerEntry;
    if (t.kind !== 'nist' && t.kind !== 'ist' && this.clients.get(t.key) === t) this.clients.delete(t.key);
    if (t.kind !== 'nict' && this.servers.get(t.key) === t) this.servers.delete(t.key);
    if (tx.cancelKey !== undefined && this.cancellable.get(tx.cancelKey) === t)
      this.cancellable.delete(tx.cancelKey);
  }

  serverTransportError(tx: ServerTransaction, error: TransportError): void {
    this.tu.onTransportError?.(tx, error);
  }

  // ——— upward from the transports ———

  onMessage(inbound: InboundMessage): void {
    const message: SipMessage = inbound.message;
    try {
      if (message.kind === 'response') this.onResponse(message, inbound);
      else this.onRequest(message, inbound);
    } catch {
      // A header the matching rules need did not parse (decode accepted the message, the value
      // parser did not). Requests get a stateless 400 (RFC 3261 §8.2, §21.4.1); responses drop.
      if (message.kind === 'request' && message.method !== 'ACK') {
        this.answerStatelessly(message, inbound, 400, 'Bad Request');
      }
    }
  }

  private onResponse(response: SipResponse, inbound: InboundMessage): void {
    const key = clientKeyOfResponse(response);
    const tx = key === undefined ? undefined : this.clients.get(key);
    if (tx) tx.receiveResponse(response, inbound);
    else if (this.isOurSentBy(response.topVia)) this.tu.onStrayResponse?.(response, inbound);
    // §18.1.2: "If the value of the "sent-by" parameter in that header field value does not
    // correspond to a value that the client transport is configured to insert into requests,
    // the response MUST be silently discarded." (RFC 4475 bcast is one such response.)
  }

  private isOurSentBy(via: Via | undefined): boolean {
    if (!via) return false;
    const port = via.port ?? SIP_DEFAULT_PORT;
    for (const t of this.transports.values()) {
      if (t.local.address === via.host && t.local.port === port) return true;
    }
    return false;
  }

  private onRequest(request: SipRequest, inbound: InboundMessage): void {
    const keys = serverKeys(request);
    if (!keys) {
      if (request.method !== 'ACK')
        this.answerStatelessly(request, inbound, 400, 'Bad Request - Missing Via');
      return;
    }
    const existing = this.servers.get(keys.key);
    if (existing) {
      if (request.method !== 'ACK') {
        existing.receiveRetransmission();
        return;
      }
      if (existing.kind === 'ist' && this.ackMatches(existing, keys.ackToTag)) {
        existing.receiveAck();
        return;
      }
    }
    if (request.method === 'ACK') {
      // §17.2.3 / §13.3.1.4: an ACK matching no transaction is for a 2xx: it goes to the TU.
      this.tu.onAck?.(request, inbound);
      return;
    }
    if (request.method === 'CANCEL') {
      this.onCancel(request, inbound, keys.key, keys.cancelTargetKey);
      return;
    }
    if (request.method === 'INVITE') {
      const tx = new InviteServerTransaction(this, keys.key, request, inbound, keys.cancelKey);
      this.register(tx);
      if (this.tu.allow?.includes('INVITE')) {
        this.deliver(tx, request, inbound);
      } else {
        // §8.2.1: "If the UAS does not support the method, it MUST generate a 501 (Not Implemented)
        // response"; §21.5.2 with Allow so the client learns what is supported.
        const response = createResponse(request, 501, 'Not Implemented', this.ids);
        const allow = this.tu.allow ?? [];
        if (allow.length > 0) response.headers.append('Allow', allow.join(', '));
        tx.respond(response);
      }
      return;
    }
    const tx = new NonInviteServerTransaction(this, keys.key, request, inbound, keys.cancelKey);
    this.register(tx);
    this.deliver(tx, request, inbound);
  }

  /** Hands a new server transaction to the TU; a TU that throws still gets the request answered. */
  private deliver(tx: ServerTx, request: SipRequest, inbound: InboundMessage): void {
    try {
      this.tu.onRequest(tx, request, inbound);
    } catch {
      // §21.5.1: "The server encountered an unexpected condition that prevented it from
      // fulfilling the request." Ignored (SIP_ERR_TX_FINAL_SENT) if the TU had already answered.
      tx.respond(createResponse(request, 500, 'Server Internal Error', this.ids));
    }
  }

  /** RFC 2543 ACK: the To tag must be the one of the final response sent (§17.2.3). */
  private ackMatches(tx: InviteServerTransaction, ackToTag: string | undefined): boolean {
    if (ackToTag === undefined) return true;
    return tx.lastResponse?.toTag === ackToTag;
  }

  private onCancel(
    cancel: SipRequest,
    inbound: InboundMessage,
    key: string,
    targetKey: string | undefined,
  ): void {
    const tx = new NonInviteServerTransaction(this, key, cancel, inbound, undefined);
    this.servers.set(key, tx);
    const target = targetKey === undefined ? undefined : this.cancellable.get(targetKey);
    if (!target) {
      // §9.2: "If the UAS did not find a matching transaction for the CANCEL according to the
      // procedure above, it SHOULD respond to the CANCEL with a 481 (Call Leg/Transaction Does
      // Not Exist)."
      tx.respond(createResponse(cancel, 481, 'Call/Transaction Does Not Exist', this.ids));
      return;
    }
    // §9.2: "Regardless of the method of the original request, as long as the CANCEL matched an
    // existing transaction, the UAS answers the CANCEL request itself with a 200 (OK) response."
    // "The To tag of the response to the CANCEL and the To tag in the response to the original
    // request SHOULD be the same."
    const toTag = target.kind === 'completed' ? target.toTag : target.lastResponse?.toTag;
    tx.respond(createResponse(cancel, 200, 'OK', this.ids, toTag));
    // "If the UAS has not issued a final response for the original request, its behavior depends
    // on the method of the original request. If the original request was an INVITE, the UAS
    // SHOULD immediately respond to the INVITE with a 487 (Request Terminated)." A non-INVITE is
    // not affected (§9.1: CANCEL of a non-INVITE always races its final response).
    if (target.kind === 'ist' && !target.answered) {
      if (this.tu.onCancel) this.tu.onCancel(target, cancel);
      else target.respond(createResponse(target.request, 487, 'Request Terminated', this.ids));
    }
  }

  private register(tx: ServerTx): void {
    this.servers.set(tx.key, tx);
    if (tx.cancelKey !== undefined) this.cancellable.set(tx.cancelKey, tx);
  }

  private answerStatelessly(
    request: SipRequest,
    inbound: InboundMessage,
    status: number,
    reason: string,
  ): void {
    try {
      this.sendStatelessResponse(createResponse(request, status, reason, this.ids), inbound);
    } catch {
      // Not even a Via to route by: nothing can be answered (RFC 3261 §18.2.2 needs one).
    }
  }

  private prepareRequest(
    request: SipRequest,
    target: RequestTarget,
    branchIn: string | undefined,
    addVia: boolean,
  ): { bytes: Buffer; transport: Transport; target: RequestTarget; branch: string } | TransactionError {
    let transport = this.transports.get(target.protocol);
    if (!transport) return transactionError('SIP_ERR_TX_NO_TRANSPORT');
    const branch = branchIn ?? BRANCH_MAGIC_COOKIE + this.ids.token(16);
    if (!addVia) return { bytes: encodeSipMessage(request), transport, target, branch };
    request.headers.prepend('Via', this.viaFor(transport, branch));
    let bytes = encodeSipMessage(request);
    // §18.1.1: a large request moves to TCP; "If this causes a change in the transport protocol
    // from the one indicated in the top Via, the value in the top Via MUST be changed."
    const tcp = this.transports.get('tcp');
    if (
      chooseRequestProtocol(bytes.length, target.protocol, tcp !== undefined) === 'tcp' &&
      tcp !== transport
    ) {
      transport = tcp!;
      const vias = request.headers.getFields('Via');
      request.headers.set('Via', this.viaFor(transport, branch));
      for (const v of vias.slice(1)) request.headers.append('Via', v);
      bytes = encodeSipMessage(request);
      target = { protocol: 'tcp', address: target.address, port: target.port };
    }
    return { bytes, transport, target, branch };
  }

  private viaFor(transport: Transport, branch: string): string {
    // RFC 3581 §3: "A client MAY include the rport parameter", asking for the source port back.
    const proto = transport.protocol === 'udp' ? 'UDP' : 'TCP';
    return `SIP/2.0/${proto} ${transport.local.address}:${transport.local.port};branch=${branch};rport`;
  }
}

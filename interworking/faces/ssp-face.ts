// The IWF's SSP face (STYLE.md lesson 6): domain2.lab's SSP peer toward PS1, built on the SSP
// serving end and client of domains/imps/ssp (docs/ssp.md). Inbound requests go to the core's
// handlers unchanged; outbound requests come from the core and their answers (or transport
// failures, as CSP 5xx) go back to it. No mapping happens here.
import type { Clock } from '../../common/clock.ts';
import type { IdSource } from '../../common/ids.ts';
import type { SspDelegate, SspRequestContext } from '../../domains/imps/ssp/ssp-delegate.ts';
import { SspEndpoint, SspNoRouteError, SspTimeoutError } from '../../domains/imps/ssp/ssp-endpoint.ts';
import type {
  DeliveryStatusReport,
  GetPresenceRequest,
  PresenceNotification,
  SendMessageRequest,
  SspContent,
  SspPresenceValue,
  SspRequestContent,
  SspStatus,
  SubscribeRequest,
  UnsubscribeRequest,
} from '../../domains/imps/ssp/ssp-model.ts';

/** What the core answers for each SSP request PS1 sends (the SspDelegate, narrowed). */
export interface SspFaceHandlers {
  handleSspSubscribe(ctx: SspRequestContext, req: SubscribeRequest): Promise<SspStatus>;
  handleSspUnsubscribe(ctx: SspRequestContext, req: UnsubscribeRequest): Promise<SspStatus>;
  handleSspPresenceNotification(ctx: SspRequestContext, req: PresenceNotification): Promise<SspStatus>;
  handleSspGetPresence(
    ctx: SspRequestContext,
    req: GetPresenceRequest,
  ): Promise<{ status: SspStatus; presences: SspPresenceValue[] }>;
  handleSspSendMessage(
    ctx: SspRequestContext,
    req: SendMessageRequest,
  ): Promise<{ status: SspStatus; messageId?: string }>;
  handleSspDeliveryStatusReport(ctx: SspRequestContext, req: DeliveryStatusReport): Promise<SspStatus>;
}

export interface SspFaceOptions {
  /** The SIMPLE domain the IWF stands for (its SSP service id is wv:@domain). */
  domain: string;
  address: string;
  port: number;
  /** IMPS domains and their SSP URLs and shared secrets. */
  peers: Record<string, { url: string; secret: string }>;
  node: string;
  clock?: Clock;
  ids?: IdSource;
  timeoutMs?: number;
}

/** The outcome of a request to PS1: its answer, or a status the core can map on. */
export type SspOutcome = { ok: true; content: SspContent } | { ok: false; status: SspStatus };

export class SspFace {
  readonly endpoint: SspEndpoint;
  url = '';

  constructor(
    private readonly options: SspFaceOptions,
    handlers: SspFaceHandlers,
  ) {
    // Every handler is bound so a request reaching the endpoint reaches the core; a throw in
    // the core is answered 500 by the endpoint, never a crash.
    const delegate: SspDelegate = {
      handleSspSubscribe: (c, r) => handlers.handleSspSubscribe(c, r),
      handleSspUnsubscribe: (c, r) => handlers.handleSspUnsubscribe(c, r),
      handleSspPresenceNotification: (c, r) => handlers.handleSspPresenceNotification(c, r),
      handleSspGetPresence: (c, r) => handlers.handleSspGetPresence(c, r),
      handleSspSendMessage: (c, r) => handlers.handleSspSendMessage(c, r),
      handleSspDeliveryStatusReport: (c, r) => handlers.handleSspDeliveryStatusReport(c, r),
    };
    this.endpoint = new SspEndpoint({
      domain: options.domain,
      peers: options.peers,
      delegate,
      localAddress: options.address,
      node: options.node,
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.ids ? { ids: options.ids } : {}),
      timeoutMs: options.timeoutMs ?? 5000,
    });
  }

  get serviceId(): string {
    return this.endpoint.serviceId;
  }

  async start(): Promise<void> {
    const { url } = await this.endpoint.listen(this.options.address, this.options.port);
    this.url = url;
  }

  async stop(): Promise<void> {
    await this.endpoint.close();
  }

  routes(domain: string): boolean {
    return this.endpoint.routes(domain);
  }

  /**
   * Sends to the IMPS domain and never throws: no route → 516, no answer in time → 504 (CSP
   * "Timeout", the SIP side maps it to 504/408), a peer that refuses or is down → 503.
   * `onAccepted`: called once PS1 has acknowledged the POST carrying the request.
   */
  async send(domain: string, content: SspRequestContent, onAccepted?: () => void): Promise<SspOutcome> {
    try {
      return { ok: true, content: await this.endpoint.request(domain, content, onAccepted) };
    } catch (error) {
      if (error instanceof SspNoRouteError)
        return { ok: false, status: { code: 516, description: `Domain not supported: ${domain}` } };
      if (error instanceof SspTimeoutError)
        return { ok: false, status: { code: 504, description: `Timeout: no SSP answer from ${domain}` } };
      const message = error instanceof Error ? error.message : String(error);
      // A session setup that got no answer is a timeout too (the endpoint reports it in text).
      if (/timed out/i.test(message))
        return { ok: false, status: { code: 504, description: `Timeout: ${message}` } };
      return { ok: false, status: { code: 503, description: `Service unavailable: ${message}` } };
    }
  }
}

/** The Status of an SSP answer, whatever its element. */
export function statusOf(outcome: SspOutcome): SspStatus {
  if (!outcome.ok) return outcome.status;
  const c = outcome.content;
  if (c.kind === 'Status') return c.status;
  if ('status' in c && c.status && typeof c.status === 'object') return c.status as SspStatus;
  return { code: 500, description: `unexpected SSP answer ${c.kind}` };
}

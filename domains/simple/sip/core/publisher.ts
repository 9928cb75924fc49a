import type { TimerHandle } from '../../../../common/clock.ts';
import type { NameAddr } from '../message/name-addr.ts';
import type { SipResponse } from '../message/sip-message.ts';
import {
  type PublishAction,
  PublisherState,
  type PublishRequestParts,
} from '../publication/publisher-state.ts';
import type { TransportProtocol } from '../transport/transport.ts';
import type { SipUserAgent } from './user-agent.ts';

// RFC 3903 §4: the Event Publication Agent as a running usage. PublisherState decides what each
// PUBLISH carries (SIP-If-Match, body or none, Expires) and what a response means; this sends,
// follows its retries (412 → full state anew, 423 → Min-Expires) and arms the refresh.

export interface PublisherOptions {
  /** The presentity (Request-URI and To). */
  target: string;
  from: string | NameAddr;
  event: string;
  contentType: string;
  expires?: number;
  protocol?: TransportProtocol;
  autoRefresh?: boolean;
}

export class Publisher {
  private readonly state: PublisherState;
  private timer: TimerHandle | undefined;
  /** The last outcome (published, removed, failed). */
  last: PublishAction | undefined;

  constructor(
    private readonly ua: SipUserAgent,
    private readonly options: PublisherOptions,
  ) {
    this.state = new PublisherState(options.expires ?? 3600);
  }

  get etag(): string | undefined {
    return this.state.entityTag;
  }

  /** Initial publication, or a modification when a publication is live (§4.2, §4.4). */
  publish(body: Buffer | string): Promise<SipResponse> {
    return this.run(this.state.publish(Buffer.from(body), this.options.contentType));
  }

  /** Refresh without a body (§4.3). */
  async refresh(): Promise<SipResponse | undefined> {
    const parts = this.state.refresh();
    return parts ? this.run(parts) : undefined;
  }

  /** Removes the publication (§4.5: SIP-If-Match + Expires: 0). */
  async unpublish(): Promise<SipResponse | undefined> {
    this.cancel();
    const parts = this.state.remove();
    return parts ? this.run(parts) : undefined;
  }

  cancel(): void {
    this.timer?.cancel();
    this.timer = undefined;
  }

  private async run(first: PublishRequestParts): Promise<SipResponse> {
    let parts = first;
    for (;;) {
      const response = await this.send(parts);
      const action = this.state.onResponse(response, this.ua.clock.now());
      this.last = action;
      if (action.kind === 'retry') {
        parts = action.request;
        continue;
      }
      if (action.kind === 'published') this.scheduleRefresh(action.refreshAt);
      return response;
    }
  }

  private send(parts: PublishRequestParts): Promise<SipResponse> {
    const o = this.options;
    const headers: Array<[string, string]> = [
      ['Event', o.event],
      ['Expires', String(parts.expires)],
    ];
    if (parts.ifMatch !== undefined) headers.push(['SIP-If-Match', parts.ifMatch]);
    return this.ua.request({
      method: 'PUBLISH',
      uri: o.target,
      from: o.from,
      headers,
      ...(parts.body ? { body: parts.body, contentType: parts.contentType ?? o.contentType } : {}),
      ...(o.protocol ? { protocol: o.protocol } : {}),
    });
  }

  private scheduleRefresh(at: number): void {
    this.cancel();
    if (this.options.autoRefresh === false) return;
    this.timer = this.ua.clock.setTimer(at - this.ua.clock.now(), () => void this.refresh());
  }
}

import type { TimerHandle } from '../../../../common/clock.ts';
import type { NameAddr } from '../message/name-addr.ts';
import type { SipResponse } from '../message/sip-message.ts';
import type { TransportProtocol } from '../transport/transport.ts';
import type { SipUserAgent } from './user-agent.ts';

// RFC 3903 §4: the Event Publication Agent. Keeps the latest entity-tag (a new one comes with
// every 2xx, §4.1), refreshes without a body before expiry, modifies with SIP-If-Match, removes
// with Expires: 0, and after a 412 republishes the full state without SIP-If-Match (§4.4).

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
  etag: string | undefined;
  expires: number;
  private body: Buffer | undefined;
  private timer: TimerHandle | undefined;

  constructor(
    private readonly ua: SipUserAgent,
    private readonly options: PublisherOptions,
  ) {
    this.expires = options.expires ?? 3600;
  }

  /** Initial publication, or a modification when an entity-tag is held. */
  async publish(body: Buffer | string): Promise<SipResponse> {
    this.body = Buffer.from(body);
    let response = await this.send(this.body, this.expires);
    if (response.status === 412 && this.etag !== undefined) {
      // §4.4: "the EPA ... MUST ... publish the full state" without the stale entity-tag.
      this.etag = undefined;
      response = await this.send(this.body, this.expires);
    }
    return response;
  }

  /** Refresh without a body (§4.2). */
  async refresh(): Promise<SipResponse | undefined> {
    if (this.etag === undefined) return undefined;
    const response = await this.send(undefined, this.expires);
    if (response.status === 412 && this.body) {
      this.etag = undefined;
      return this.publish(this.body);
    }
    return response;
  }

  /** Removes the publication (§4.5: SIP-If-Match + Expires: 0). */
  async unpublish(): Promise<SipResponse | undefined> {
    this.timer?.cancel();
    if (this.etag === undefined) return undefined;
    const response = await this.send(undefined, 0);
    this.etag = undefined;
    this.body = undefined;
    return response;
  }

  cancel(): void {
    this.timer?.cancel();
  }

  private async send(body: Buffer | undefined, expires: number): Promise<SipResponse> {
    const o = this.options;
    const headers: Array<[string, string]> = [
      ['Event', o.event],
      ['Expires', String(expires)],
    ];
    if (this.etag !== undefined) headers.push(['SIP-If-Match', this.etag]);
    const response = await this.ua.request({
      method: 'PUBLISH',
      uri: o.target,
      from: o.from,
      headers,
      ...(body ? { body, contentType: o.contentType } : {}),
      ...(o.protocol ? { protocol: o.protocol } : {}),
    });
    if (response.status === 423) {
      const min = Number(response.headers.get('Min-Expires'));
      if (Number.isInteger(min) && min > expires) {
        this.expires = min;
        return this.send(body, min);
      }
    }
    if (response.status >= 200 && response.status < 300 && expires > 0) {
      this.etag = response.headers.get('SIP-ETag') ?? this.etag;
      this.expires = response.expires ?? expires;
      this.scheduleRefresh();
    }
    return response;
  }

  private scheduleRefresh(): void {
    this.timer?.cancel();
    if (this.options.autoRefresh === false) return;
    // baresip refreshes at 90 % of Expires; pjsip 5 s early. 90 % keeps short test lifetimes sane.
    this.timer = this.ua.clock.setTimer(this.expires * 900, () => void this.refresh());
  }
}

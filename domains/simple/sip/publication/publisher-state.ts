import type { SipResponse } from '../message/sip-message.ts';

// The Event Publication Agent side of RFC 3903 §4 as a pure state object: it remembers the full
// state last published and the latest entity-tag, says what the next PUBLISH carries, and turns
// each final response into an action. The caller builds the request, sends it and arms the
// refresh at `refreshAt`.

/** What the next PUBLISH carries (the caller adds Event, From, To, Call-ID, CSeq …). */
export interface PublishRequestParts {
  /** SIP-If-Match, when the request refers to an existing publication (§4.2-4.4). */
  ifMatch?: string;
  expires: number;
  /** Absent for refresh and removal (§4.3, §4.5). */
  body?: Buffer;
  contentType?: string;
}

export type PublishAction =
  | { kind: 'published'; etag: string; expires: number; refreshAt: number }
  | { kind: 'removed' }
  /** Send these parts now (412: full state without SIP-If-Match; 423: longer Expires). */
  | {
      kind: 'retry';
      because: 'conditional-request-failed' | 'interval-too-brief';
      request: PublishRequestParts;
    }
  | { kind: 'failed'; status: number; reason: string };

/** Refresh at about 90 % of the granted lifetime (baresip; pjsip uses Expires − 5 s). */
export function publishRefreshDelay(expires: number): number {
  return Math.floor(expires * 0.9);
}

export class PublisherState {
  private etag: string | undefined;
  private state: { body: Buffer; contentType: string } | undefined;
  private expires: number;
  private lastOp: 'initial' | 'modify' | 'refresh' | 'remove' | undefined;
  private retries = 0;

  constructor(
    expires = 3600,
    /** Consecutive 412/423 retries before failing (default 3). */
    private readonly maxRetries = 3,
  ) {
    this.expires = expires;
  }

  /** The entity-tag of our publication, if one is live. */
  get entityTag(): string | undefined {
    return this.etag;
  }

  get requestedExpires(): number {
    return this.expires;
  }

  /** New full state: modify (§4.4) when a publication exists, else initial (§4.2). */
  publish(body: Buffer, contentType: string): PublishRequestParts {
    this.state = { body, contentType };
    this.lastOp = this.etag === undefined ? 'initial' : 'modify';
    return this.current(true);
  }

  /** Refresh without a body (§4.3); when nothing is live, a full initial PUBLISH instead. */
  refresh(): PublishRequestParts | undefined {
    if (this.etag === undefined) {
      if (!this.state) return undefined;
      this.lastOp = 'initial';
      return this.current(true);
    }
    this.lastOp = 'refresh';
    return this.current(false);
  }

  /** Removal (§4.5): SIP-If-Match and Expires 0; undefined when nothing is published. */
  remove(): PublishRequestParts | undefined {
    if (this.etag === undefined) return undefined;
    this.lastOp = 'remove';
    return { ifMatch: this.etag, expires: 0 };
  }

  /** Digests the final response to the request made last, at clock time `now` (ms). */
  onResponse(response: SipResponse, now: number): PublishAction {
    const status = response.status;
    if (status >= 200 && status < 300) {
      this.retries = 0;
      if (this.lastOp === 'remove') {
        this.etag = undefined;
        this.state = undefined;
        return { kind: 'removed' };
      }
      const etag = response.headers.get('SIP-ETag')?.trim();
      // §4.1: the 2xx MUST carry SIP-ETag; without one we cannot refer to the publication.
      if (!etag) return { kind: 'failed', status, reason: 'missing SIP-ETag' };
      this.etag = etag;
      const granted = response.expires ?? this.expires;
      return {
        kind: 'published',
        etag,
        expires: granted,
        refreshAt: now + publishRefreshDelay(granted) * 1000,
      };
    }
    if (status === 412 && this.lastOp !== 'remove' && this.state && ++this.retries <= this.maxRetries) {
      // §4.2 / §6 step 4: the ESC lost our publication: publish the full state anew.
      this.etag = undefined;
      this.lastOp = 'initial';
      return { kind: 'retry', because: 'conditional-request-failed', request: this.current(true) };
    }
    if (status === 423 && ++this.retries <= this.maxRetries) {
      const min = Number(response.headers.get('Min-Expires'));
      if (Number.isInteger(min) && min > this.expires && min <= 2 ** 32 - 1) {
        this.expires = min;
        const request = this.lastOp === 'remove' ? undefined : this.current(this.lastOp !== 'refresh');
        if (request) return { kind: 'retry', because: 'interval-too-brief', request };
      }
    }
    this.retries = 0;
    if (status === 412) this.etag = undefined;
    return { kind: 'failed', status, reason: response.reason };
  }

  private current(withBody: boolean): PublishRequestParts {
    const parts: PublishRequestParts = { expires: this.expires };
    if (this.etag !== undefined) parts.ifMatch = this.etag;
    if (withBody && this.state) {
      parts.body = this.state.body;
      parts.contentType = this.state.contentType;
    }
    return parts;
  }
}

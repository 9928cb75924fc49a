// MESSAGE relay (RFC 3428 §7: a proxy forwards MESSAGE like any request) with store-and-forward
// for users who are not registered: the message is accepted with 202 ("accepted for delivery
// later", §7) and delivered when the user registers again. A message stored longer than the
// time-to-live is dropped and reported through `onExpired` (the server sends a negative IMDN).
import type { Clock, TimerHandle } from '../../../common/clock.ts';
import { forwardRequest, type IncomingRequest, type SipUserAgent } from '../sip/core/index.ts';
import { formatNameAddr } from '../sip/message/header-values.ts';
import type { BindingEvent, LocationService } from '../sip/registrar/index.ts';

export interface StoredMessage {
  from: string;
  to: string;
  body: Buffer;
  contentType: string | undefined;
  storedAt: number;
  timer: TimerHandle | undefined;
}

export interface MessageRelayOptions {
  clock: Clock;
  /** Most messages kept per user (486-like refusal beyond: 480 Temporarily Unavailable). */
  maxPerUser?: number;
  /** How long a stored message waits (ms). */
  ttlMs?: number;
  maxBodyBytes?: number;
  /** A stored message was dropped unread. */
  onExpired?: (message: StoredMessage) => void;
  /** A stored message was delivered (recipient's 2xx). */
  onDelivered?: (message: StoredMessage, status: number) => void;
}

export class MessageRelay {
  private readonly store = new Map<string, StoredMessage[]>();
  private readonly stopListening: () => void;

  constructor(
    private readonly ua: SipUserAgent,
    private readonly location: LocationService,
    private readonly options: MessageRelayOptions,
  ) {
    this.stopListening = location.onBindingEvent((e) => this.onBinding(e));
  }

  /** Messages waiting for a user. */
  pending(aor: string): readonly StoredMessage[] {
    return this.store.get(aor) ?? [];
  }

  /** A MESSAGE for a local user, already admitted by the server. */
  async relay(incoming: IncomingRequest, aor: string): Promise<void> {
    const request = incoming.request;
    if (request.body.length === 0) {
      incoming.reply(400, 'Bad Request - empty MESSAGE');
      return;
    }
    if (request.body.length > (this.options.maxBodyBytes ?? 64 * 1024)) {
      // RFC 3428 §7: a MESSAGE over 1300 bytes belongs on a congestion-controlled transport; PS2
      // refuses anything above its limit with 413.
      incoming.reply(413, 'Request Entity Too Large');
      return;
    }
    const bindings = this.location.lookup(aor);
    const first = bindings[0];
    if (first) {
      const headers: Array<[string, string]> = [];
      for (const p of first.path) headers.push(['Route', p]);
      await forwardRequest(this.ua, incoming, { requestUri: first.contact.uri, headers });
      return;
    }
    const list = this.store.get(aor) ?? [];
    if (list.length >= (this.options.maxPerUser ?? 100)) {
      incoming.reply(480, 'Temporarily Unavailable - message store full');
      return;
    }
    const message: StoredMessage = {
      from: formatNameAddr(request.from),
      to: formatNameAddr(request.to),
      body: request.body,
      contentType: request.contentType,
      storedAt: this.options.clock.now(),
      timer: undefined,
    };
    message.timer = this.options.clock.setTimer(this.options.ttlMs ?? 24 * 3600_000, () => {
      const left = (this.store.get(aor) ?? []).filter((m) => m !== message);
      if (left.length) this.store.set(aor, left);
      else this.store.delete(aor);
      this.options.onExpired?.(message);
    });
    list.push(message);
    this.store.set(aor, list);
    incoming.reply(202, 'Accepted - stored for delivery');
  }

  private onBinding(e: BindingEvent): void {
    if (e.type !== 'added') return;
    const list = this.store.get(e.aor);
    if (!list?.length) return;
    this.store.delete(e.aor);
    void this.deliver(e.aor, list);
  }

  private async deliver(aor: string, list: StoredMessage[]): Promise<void> {
    for (const m of list) {
      m.timer?.cancel();
      const binding = this.location.lookup(aor)[0];
      if (!binding) {
        // Gone again before we got to it: keep the rest for the next registration.
        this.store.set(aor, [...(this.store.get(aor) ?? []), m]);
        continue;
      }
      const response = await this.ua.request({
        method: 'MESSAGE',
        uri: binding.contact.uri,
        from: m.from,
        to: m.to,
        body: m.body,
        ...(m.contentType !== undefined ? { contentType: m.contentType } : {}),
        headers: binding.path.map((p): [string, string] => ['Route', p]),
        credentials: null,
      });
      if (response.status >= 200 && response.status < 300) this.options.onDelivered?.(m, response.status);
      else this.options.onExpired?.(m);
    }
  }

  close(): void {
    this.stopListening();
    for (const list of this.store.values()) for (const m of list) m.timer?.cancel();
  }
}

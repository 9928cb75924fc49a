// Harry (IMPS) watches Jane (SIMPLE), use case §5.3.5 steps 1–6: PS1's SSP SubscribeRequest
// becomes the IWF's own SIP SUBSCRIBE to PS2 (RFC 3856, with an RFC 4661 filter when only some
// attributes are asked); each NOTIFY's Subscription-State is mapped (rows SS1–SS12) and its
// PIDF (rows D1–D31) becomes an SSP PresenceNotification. Pending holds everything back; a
// refusal reaches PS1 as an empty PresenceSubList. The SIP subscription is refreshed before it
// expires (Subscriber), and resumed from the store after a restart.
import type { PresenceSubList } from '../../domains/imps/csp/model/presence-attributes.ts';
import type { SspRequestContext } from '../../domains/imps/ssp/ssp-delegate.ts';
import type {
  GetPresenceRequest,
  SspPresenceValue,
  SspStatus,
  SubscribeRequest,
  UnsubscribeRequest,
} from '../../domains/imps/ssp/ssp-model.ts';
import { parsePidf } from '../../domains/simple/payloads/pidf.ts';
import { serializeFilterSet } from '../../domains/simple/payloads/simple-filter.ts';
import { intern } from '../../domains/simple/sip/core/dialog.ts';
import type {
  NotifyInfo,
  SubscribeOptions,
  Subscriber,
  TerminationInfo,
} from '../../domains/simple/sip/core/index.ts';
import type { SubscriberDelegate } from '../../domains/simple/sip/core/subscriber.ts';
import { SipResponse } from '../../domains/simple/sip/message/sip-message.ts';
import { statusOf } from '../faces/ssp-face.ts';
import { impsToSip, sipToImps } from '../mapping/address.ts';
import { pidfToImps } from '../mapping/presence/pidf-to-imps.ts';
import { sipStatusToCsp } from '../mapping/status.ts';
import { attributesToFilter, attributesToSubList } from '../mapping/subscription/attribute-filter.ts';
import { diffPresence } from '../mapping/subscription/only-changes.ts';
import { sipStateToImps } from '../mapping/subscription/subscription-state.ts';
import { compactPresence, type ImpsWatchLink } from '../subscriptions/link-store.ts';
import { type CoreContext, domainOf, traceMap } from './context.ts';
import { asWv, type IwfSubscriptionId, impsWatchId, type WvAddress } from './ids.ts';

/**
 * One live IWF subscription: its link and its SIP usage, whose events it hands to the route's
 * per-key queue (the usage's delegate: no listeners or closures per subscription).
 */
class Live implements SubscriberDelegate {
  readonly sub: Subscriber;
  /** Set when the end was decided here (unsubscribe, a terminating NOTIFY already mapped). */
  ending = false;
  /** After a restart: the next state goes to PS1 in full (it may have missed changes meanwhile). */
  resync = false;

  constructor(
    private readonly route: ImpsWatchRoute,
    readonly link: ImpsWatchLink,
    usage: (delegate: Live) => Subscriber,
  ) {
    this.sub = usage(this);
  }

  onNotify(_sub: Subscriber, info: NotifyInfo): void {
    this.route.queueSipNotify(this, info);
  }

  onTerminated(_sub: Subscriber, info: TerminationInfo): void {
    this.route.queueSipTerminated(this, info);
  }
}

/** CSeq numbers skipped on resume, so a stale stored CSeq can never go backwards (§12.2.1.1). */
const CSEQ_RESUME_GAP = 1000;
/** The Accept of every SUBSCRIBE the IWF sends (RFC 3856 §6.2; one array for all of them). */
const ACCEPT = ['application/pidf+xml'];

export class ImpsWatchRoute {
  private readonly live = new Map<IwfSubscriptionId, Live>();

  constructor(private readonly ctx: CoreContext) {}

  get size(): number {
    return this.live.size;
  }

  async handleSspSubscribe(_c: SspRequestContext, req: SubscribeRequest): Promise<SspStatus> {
    const watcher = req.meta.userId?.trim().toLowerCase();
    if (!watcher) return { code: 402, description: 'Bad parameter: MetaInfo names no watcher' };
    const failures: NonNullable<SspStatus['details']> = [];
    const done = await Promise.all(
      req.userIds.map(async (target) => {
        const status = await this.subscribeOne(asWv(watcher), target, req.attributes);
        if (status.code >= 300)
          failures.push({ code: status.code, description: status.description, userIds: [target] });
        return status;
      }),
    );
    if (failures.length === 0) return { code: 200, description: 'Successful' };
    if (done.length === 1) return done[0]!;
    return {
      code: failures.length < done.length ? 201 : 900,
      description: failures.length < done.length ? 'Partially successful' : 'Multiple errors',
      details: failures,
    };
  }

  private async subscribeOne(
    watcher: WvAddress,
    rawTarget: string,
    attributes: string[] | undefined,
  ): Promise<SspStatus> {
    const sipTarget = impsToSip(rawTarget);
    if (!sipTarget.ok) return { code: 531, description: `Unknown user: ${sipTarget.reason}` };
    const sipWatcher = impsToSip(watcher);
    if (!sipWatcher.ok) return { code: 402, description: `Bad parameter: ${sipWatcher.reason}` };
    // Held for hours by the link (and the id as the key of three maps): flat strings, the
    // presentity's shared by all its watchers.
    const target = asWv(
      intern(
        sipToImps(sipTarget.value).ok ? (sipToImps(sipTarget.value) as { value: string }).value : rawTarget,
      ),
    );
    const id = intern(impsWatchId(watcher, target)) as IwfSubscriptionId;
    return this.ctx.queue.run(id, async () => {
      const existing = this.live.get(id);
      if (existing) {
        // A repeated SubscribeRequest: the SIP subscription stands; PS1 gets the current state again.
        existing.link.attributes = attributes;
        this.ctx.store.put(existing.link);
        if (existing.link.last) void this.notifyPs1(existing.link, existing.link.last, ['SS1']);
        return { code: 200, description: 'Successful' };
      }
      // Every field from the start (the absent ones undefined, which the journal does not write),
      // so the link keeps them in-object for the hours it lives.
      const link: ImpsWatchLink = {
        kind: 'imps-watch',
        id,
        watcher,
        target,
        attributes,
        sipState: 'pending',
        dialog: undefined,
        expiresAt: undefined,
        last: undefined,
      };
      const response = await this.start(
        link,
        sipTarget.value,
        sipWatcher.value,
        sipTarget.rows.concat(sipWatcher.rows),
      );
      if (response.status >= 200 && response.status < 300) return { code: 200, description: 'Successful' };
      const mapped = sipStatusToCsp(response.status);
      traceMap(this.ctx, [mapped.row], `SIP ${response.status} (SUBSCRIBE)`, 'SSP Status');
      return { code: mapped.code, description: `${mapped.text} (SIP ${response.status} ${response.reason})` };
    });
  }

  private subscribeOptions(
    link: ImpsWatchLink,
    sipTarget: string,
    sipWatcher: string,
  ): { options: SubscribeOptions; rows: string[] } {
    const filter = attributesToFilter(link.attributes ?? []);
    const options: SubscribeOptions = {
      target: sipTarget,
      from: sipWatcher,
      event: 'presence',
      expires: this.ctx.subscribeExpires,
      accept: ACCEPT,
    };
    if (filter.value) {
      options.body = serializeFilterSet(filter.value);
      options.contentType = 'application/simple-filter+xml';
    }
    return { options, rows: filter.rows };
  }

  /** Sends the SUBSCRIBE with the live record as its delegate; resolves with the final response. */
  private async start(link: ImpsWatchLink, sipTarget: string, sipWatcher: string, rows: string[]) {
    const { options, rows: filterRows } = this.subscribeOptions(link, sipTarget, sipWatcher);
    const live = new Live(this, link, (delegate) => this.ctx.sip.subscriber(options, delegate));
    const sub = live.sub;
    this.live.set(link.id, live);
    traceMap(this.ctx, [...rows, ...filterRows], 'SSP SubscribeRequest', 'SIP SUBSCRIBE');
    const response = await this.ctx.sip.withDeadline(sub.subscribe());
    if (response.status >= 200 && response.status < 300 && sub.dialog) {
      // The link holds the usage's own dialog state; the journal writes it out with the link.
      link.dialog = sub.dialog.state;
      link.expiresAt = this.ctx.clock.wallNow() + sub.expires * 1000;
      this.ctx.store.put(link);
      // PS1 is told the subscription stands only once it would survive a restart.
      await this.ctx.store.durable();
    } else {
      live.ending = true;
      sub.terminate({ reason: `rejected-${response.status}` });
      this.live.delete(link.id);
    }
    return response;
  }

  queueSipNotify(live: Live, info: NotifyInfo): void {
    void this.ctx.queue.run(live.link.id, () => this.handleSipNotify(live, info));
  }

  queueSipTerminated(live: Live, info: TerminationInfo): void {
    void this.ctx.queue.run(live.link.id, () => this.handleSipTerminated(live, info));
  }

  /** A NOTIFY on the IWF's subscription → PresenceNotification (or hold, or end) toward PS1. */
  async handleSipNotify(live: Live, info: NotifyInfo): Promise<void> {
    const { link, sub } = live;
    if (this.live.get(link.id) !== live) return;
    const previous = link.sipState;
    const effect = sipStateToImps(info.state, previous === 'active' && link.last ? 'active' : 'pending');
    // link.dialog is the usage's own state (CSeqs, target refresh already applied): nothing to copy.
    if (sub.dialog && link.dialog !== sub.dialog.state) link.dialog = sub.dialog.state;
    link.expiresAt = this.ctx.clock.wallNow() + sub.expires * 1000;
    const e = effect.value;
    if (e.kind === 'notify') {
      link.sipState = 'active';
      const presence = this.readPresence(info, link);
      if (!presence) {
        if (previous !== 'active') this.ctx.store.put(link);
        return;
      }
      const last = link.last;
      // Diffed as kept: both sides went through the same compaction.
      const next = compactPresence(presence.value);
      if (e.full || !last || live.resync) {
        live.resync = false;
        link.last = next;
        this.ctx.store.put(link);
        await this.notifyPs1(link, presence.value, [effect.row, 'O2', ...presence.rows]);
        return;
      }
      // PS2 sends full state each time; IMPS notifications carry what changed (imps.md §3.1).
      const delta = diffPresence(last, next);
      if (delta.changed.length === 0) {
        // Nothing the store keeps has changed (the remote CSeq need not survive a restart: the
        // next NOTIFY carries a higher one, RFC 3261 §12.2.2).
        if (previous !== 'active') this.ctx.store.put(link);
        traceMap(this.ctx, [effect.row, ...delta.rows], 'SIP NOTIFY', '(unchanged)');
        return;
      }
      link.last = next;
      this.ctx.store.put(link);
      await this.notifyPs1(link, delta.value, [effect.row, ...delta.rows, ...presence.rows]);
      return;
    }
    if (e.kind === 'hold') {
      link.sipState = 'pending';
      const withdrawn = link.last !== undefined;
      delete link.last;
      this.ctx.store.put(link);
      // Pending after Harry had seen Jane's state (a re-subscription after reason=deactivated,
      // RFC 3857 §5.2): her authorization was withdrawn, so PS1 learns nothing is authorized.
      if (withdrawn) await this.notifyPs1(link, {}, ['SS4', effect.row]);
      else traceMap(this.ctx, [effect.row], 'SIP NOTIFY (pending)', '(held)');
      return;
    }
    if (e.kind === 'resubscribe') {
      live.ending = true;
      this.live.delete(link.id);
      traceMap(this.ctx, [effect.row], `SIP NOTIFY (terminated;${info.state.reason ?? ''})`, 'SIP SUBSCRIBE');
      this.retryLater(link, e.afterSeconds);
      return;
    }
    // end / end-keep-last: the watcher is told nothing is authorized any more.
    live.ending = true;
    await this.endAtPs1(link, [effect.row]);
  }

  private readPresence(
    info: NotifyInfo,
    link: ImpsWatchLink,
  ): { value: PresenceSubList; rows: string[] } | undefined {
    if (info.body.length === 0) return undefined;
    const parsed = parsePidf(info.body);
    if (!parsed.ok) {
      this.ctx.log(`iwf: NOTIFY body for ${link.target} is not PIDF: ${parsed.error.message}`);
      return undefined;
    }
    const mapped = pidfToImps(parsed.value);
    if (!link.attributes || link.attributes.length === 0) return mapped;
    // Only what was asked for reaches PS1 (the SIMPLE side may ignore the filter).
    const asked = attributesToSubList(link.attributes) as Record<string, unknown>;
    const value = Object.fromEntries(Object.entries(mapped.value).filter(([k]) => k in asked));
    return { value: value as PresenceSubList, rows: mapped.rows };
  }

  /**
   * Resolves once PS1 has taken the PresenceNotification in (its POST acknowledged), or it
   * failed: the next NOTIFY of this subscription may then go, in order, without waiting for
   * PS1's asynchronous answer, which is only logged when it is a failure.
   */
  private notifyPs1(link: ImpsWatchLink, presence: PresenceSubList, rows: string[]): Promise<void> {
    traceMap(this.ctx, rows, 'SIP NOTIFY', 'SSP PresenceNotification');
    return new Promise<void>((taken) => {
      void this.ctx.ssp
        .send(
          domainOf(link.watcher),
          {
            kind: 'PresenceNotification',
            meta: { serviceId: this.ctx.ssp.serviceId, userId: link.target },
            recipients: [link.watcher],
            presences: [{ userId: link.target, presenceSubList: presence }],
          },
          taken,
        )
        .then((outcome) => {
          taken();
          const code = outcome.ok ? statusOf(outcome).code : outcome.status.code;
          if (code >= 300) this.ctx.log(`iwf: PresenceNotification to ${link.watcher} failed: ${code}`);
        });
    });
  }

  /** The subscription is over for good: PS1 gets an empty PresenceSubList (docs/ssp.md [I]). */
  private async endAtPs1(link: ImpsWatchLink, rows: string[]): Promise<void> {
    this.live.delete(link.id);
    this.ctx.store.delete('imps-watch', link.id);
    await this.notifyPs1(link, {}, rows);
  }

  async handleSipTerminated(live: Live, info: TerminationInfo): Promise<void> {
    if (live.ending || this.live.get(live.link.id) !== live) return;
    // Ended under us (refresh failed, Timer N, 481): subscribe afresh once, else tell PS1.
    live.ending = true;
    this.live.delete(live.link.id);
    this.ctx.log(`iwf: SIP subscription ${live.link.id} ended (${info.reason}); subscribing again`);
    await this.resubscribe(live.link, ['SS11']);
  }

  private retryLater(link: ImpsWatchLink, seconds: number): void {
    this.ctx.clock.setTimer(Math.max(0, seconds) * 1000, () => {
      void this.ctx.queue.run(link.id, () => this.resubscribe(link, ['SS4']));
    });
  }

  private async resubscribe(link: ImpsWatchLink, rows: string[]): Promise<void> {
    if (this.live.has(link.id)) return;
    const sipTarget = impsToSip(link.target);
    const sipWatcher = impsToSip(link.watcher);
    if (!sipTarget.ok || !sipWatcher.ok) return this.endAtPs1(link, rows);
    link.sipState = 'pending';
    delete link.dialog;
    const response = await this.start(link, sipTarget.value, sipWatcher.value, rows);
    if (response.status >= 300) {
      const mapped = sipStatusToCsp(response.status);
      await this.endAtPs1(link, [...rows, mapped.row]);
    }
  }

  async handleSspUnsubscribe(_c: SspRequestContext, req: UnsubscribeRequest): Promise<SspStatus> {
    const watcher = req.meta.userId?.trim().toLowerCase();
    if (!watcher) return { code: 402, description: 'Bad parameter: MetaInfo names no watcher' };
    for (const raw of req.userIds) {
      const sip = impsToSip(raw);
      const back = sip.ok ? sipToImps(sip.value) : undefined;
      const id = impsWatchId(asWv(watcher), asWv(back?.ok ? back.value : raw));
      await this.ctx.queue.run(id, async () => {
        const live = this.live.get(id);
        this.ctx.store.delete('imps-watch', id);
        if (!live) return;
        live.ending = true;
        this.live.delete(id);
        traceMap(this.ctx, ['SS7'], 'SSP UnsubscribeRequest', 'SIP SUBSCRIBE (Expires: 0)');
        await this.ctx.sip.withDeadline(
          live.sub.unsubscribe().then(() => live.sub.termination?.response ?? okResponse()),
        );
      });
    }
    return { code: 200, description: 'Successful' };
  }

  /** GetPresence: the last state of a live subscription, else a SIP fetch (Expires: 0). */
  async handleSspGetPresence(
    _c: SspRequestContext,
    req: GetPresenceRequest,
  ): Promise<{ status: SspStatus; presences: SspPresenceValue[] }> {
    const watcher = req.meta.userId?.trim().toLowerCase() ?? '';
    const presences: SspPresenceValue[] = [];
    const failures: NonNullable<SspStatus['details']> = [];
    for (const raw of req.userIds) {
      const sip = impsToSip(raw);
      if (!sip.ok) {
        failures.push({ code: 531, description: 'Unknown user', userIds: [raw] });
        continue;
      }
      const target = asWv((sipToImps(sip.value) as { value: string }).value ?? raw);
      const live = this.live.get(impsWatchId(asWv(watcher), target));
      if (live?.link.last) {
        presences.push({ userId: target, presenceSubList: live.link.last });
        continue;
      }
      const fetched = await this.fetch(watcher, sip.value, req.attributes);
      if ('code' in fetched) failures.push({ ...fetched, userIds: [raw] });
      else presences.push({ userId: target, presenceSubList: fetched.value });
    }
    const status: SspStatus =
      failures.length === 0
        ? { code: 200, description: 'Successful' }
        : req.userIds.length === 1
          ? {
              code: failures[0]!.code,
              ...(failures[0]!.description ? { description: failures[0]!.description } : {}),
            }
          : { code: presences.length > 0 ? 201 : 900, details: failures };
    return { status, presences };
  }

  private async fetch(
    watcher: string,
    sipTarget: string,
    attributes: string[] | undefined,
  ): Promise<{ value: PresenceSubList } | { code: number; description: string }> {
    const from = impsToSip(watcher);
    if (!from.ok) return { code: 402, description: 'Bad parameter: watcher' };
    const link: ImpsWatchLink = {
      kind: 'imps-watch',
      id: impsWatchId(asWv(watcher), asWv(sipTarget)),
      watcher: asWv(watcher),
      target: asWv(sipTarget),
      ...(attributes ? { attributes } : {}),
      sipState: 'pending',
    };
    const { options } = this.subscribeOptions(link, sipTarget, from.value);
    const sub = this.ctx.sip.subscriber({ ...options, expires: 0 });
    const notified = new Promise<NotifyInfo | undefined>((resolve) => {
      sub.on('notify', resolve);
      sub.on('terminated', () => resolve(undefined));
    });
    const response = await this.ctx.sip.withDeadline(sub.subscribe());
    if (response.status >= 300) {
      const m = sipStatusToCsp(response.status);
      return { code: m.code, description: m.text };
    }
    const info = await Promise.race([
      notified,
      new Promise<undefined>((r) => this.ctx.clock.setTimer(3000, () => r(undefined))),
    ]);
    if (!info) return { code: 504, description: 'Timeout: no NOTIFY for the fetch' };
    const presence = this.readPresence(info, link);
    return presence ? { value: presence.value } : { code: 532, description: 'Nothing authorized' };
  }

  /** After a restart: rebuild each stored SIP subscription and refresh it at once (RFC 6665 §4.1.2.2). */
  resume(): void {
    for (const link of this.ctx.store.all('imps-watch')) {
      void this.ctx.queue.run(link.id, async () => {
        // The store read the stored dialog back as live state (absent when it no longer parsed).
        const state = link.dialog;
        const sipTarget = impsToSip(link.target);
        const sipWatcher = impsToSip(link.watcher);
        if (!state || !sipTarget.ok || !sipWatcher.ok) return this.resubscribe(link, ['SS11']);
        state.localSeq += CSEQ_RESUME_GAP;
        const { options } = this.subscribeOptions(link, sipTarget.value, sipWatcher.value);
        const live = new Live(this, link, (delegate) =>
          this.ctx.sip.resumeSubscriber(options, state, link.sipState === 'active', delegate),
        );
        live.resync = true;
        const sub = live.sub;
        this.live.set(link.id, live);
        const response = await this.ctx.sip.withDeadline(
          sub.refresh(this.ctx.subscribeExpires).then((r) => r ?? okResponse()),
        );
        this.ctx.log(`iwf: resumed ${link.id}: refresh answered ${response.status}`);
        if (response.status >= 300 && this.live.get(link.id) === live) {
          live.ending = true;
          sub.terminate({ reason: 'refresh-failed' });
          this.live.delete(link.id);
          await this.resubscribe(link, ['SS11']);
        } else if (sub.dialog) {
          // The refresh's CSeq goes to the journal, so a second restart continues past it.
          this.ctx.store.put(link);
        }
      });
    }
  }

  /** Stop: drop timers without unsubscribing (the state stays in the store for the next start). */
  detach(): void {
    for (const live of this.live.values()) {
      live.ending = true;
      live.sub.terminate({ reason: 'deactivated' });
    }
    this.live.clear();
  }
}

function okResponse(): SipResponse {
  return new SipResponse(200, 'OK');
}

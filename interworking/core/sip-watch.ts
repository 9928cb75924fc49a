// Jane (SIMPLE) watches Harry (IMPS): the reverse direction. Jane's SUBSCRIBE to
// sip:harry@domain1.lab ends at the IWF (the notifier, RFC 6665 §4.2); it becomes an SSP
// SubscribeRequest and PS1's authorization decides (Harry's attribute lists, or his reactive
// answer on a CSP 1.2 / 1.3 client). Until PS1 notifies, Jane's subscription is pending (rows
// SN3/SN4); PS1's PresenceNotifications become PIDF NOTIFYs (rows P1–P31, SN1/SN5); an empty
// PresenceSubList (PS1's refusal, docs/ssp.md) ends it with reason=rejected (SN6/SN9).
import type { PresenceSubList } from '../../domains/imps/csp/model/presence-attributes.ts';
import type { SspRequestContext } from '../../domains/imps/ssp/ssp-delegate.ts';
import type { PresenceNotification, SspStatus } from '../../domains/imps/ssp/ssp-model.ts';
import { parseFilterSet } from '../../domains/simple/payloads/simple-filter.ts';
import { intern } from '../../domains/simple/sip/core/dialog.ts';
import type {
  IncomingRequest,
  NotifierSubscription,
  NotifyContent,
  SubscribeDecision,
  TerminationReason,
} from '../../domains/simple/sip/core/index.ts';
import { formatUri } from '../../domains/simple/sip/message/uri-codec.ts';
import { statusOf } from '../faces/ssp-face.ts';
import { impsToSip, sipToImps } from '../mapping/address.ts';
import { impsToPidf } from '../mapping/presence/imps-to-pidf.ts';
import { renderPidf } from '../mapping/presence/presence-namespaces.ts';
import { cspStatusToSip } from '../mapping/status.ts';
import { filterToAttributes } from '../mapping/subscription/attribute-filter.ts';
import { mergePresence, notifyBodyType } from '../mapping/subscription/only-changes.ts';
import { impsOutcomeToSip } from '../mapping/subscription/subscription-state.ts';
import { compactPresence, type SipWatchLink } from '../subscriptions/link-store.ts';
import { type CoreContext, domainOf, traceMap } from './context.ts';
import { asSip, asWv, type IwfSubscriptionId, sipWatchId } from './ids.ts';

interface Served {
  link: SipWatchLink;
  sub: NotifierSubscription;
  /** False until the first NOTIFY's decision is made (notifications before it fold into it). */
  started: boolean;
  /** PS1 refused (empty PresenceSubList) before the first NOTIFY was decided. */
  refusedEarly: boolean;
  ending: boolean;
}

const CSEQ_RESUME_GAP = 1000;
const PIDF = 'application/pidf+xml';

export class SipWatchRoute {
  private readonly served = new Map<IwfSubscriptionId, Served>();

  constructor(private readonly ctx: CoreContext) {}

  get size(): number {
    return this.served.size;
  }

  private idOf(sub: NotifierSubscription): IwfSubscriptionId {
    return sipWatchId(`${sub.dialog.state.callId};${sub.dialog.state.localTag}`);
  }

  async handleSipSubscribe(sub: NotifierSubscription, incoming: IncomingRequest): Promise<SubscribeDecision> {
    const request = incoming.request;
    const watcherUri = formatUri(request.from.uri);
    const watcher = sipToImps(watcherUri);
    if (!watcher.ok)
      return { reject: 403, reason: `Forbidden - watcher not addressable in IMPS (${watcher.reason})` };
    const target = sipToImps(formatUri(request.uri));
    if (!target.ok) return { reject: 404, reason: `Not Found - ${target.reason}` };
    if (!this.ctx.ssp.routes(domainOf(target.value)))
      return { reject: 404, reason: `Not Found - no route to ${domainOf(target.value)}` };
    const body = notifyBodyType(request.headers.get('Accept'));
    if ('refuse' in body)
      return {
        reject: 406,
        reason: 'Not Acceptable - only application/pidf+xml',
        headers: [['Accept', PIDF]],
      };
    let attributes: string[] | undefined;
    const rows = [...watcher.rows, ...target.rows, body.row];
    if (request.body.length > 0) {
      if (!/^application\/simple-filter\+xml/i.test(request.contentType ?? '')) {
        return {
          reject: 415,
          reason: 'Unsupported Media Type',
          headers: [['Accept', 'application/simple-filter+xml']],
        };
      }
      const fs = parseFilterSet(request.body);
      if (!fs.ok) return { reject: 400, reason: `Bad Request - filter: ${fs.error.message}` };
      const names = filterToAttributes(fs.value);
      attributes = names.value;
      rows.push(...names.rows);
    }
    // Held for hours as the link's id and map key: one flat string.
    const id = intern(this.idOf(sub)) as IwfSubscriptionId;
    return this.ctx.queue.run(id, async () => {
      if (sub.expires === 0) return this.fetch(watcher.value, target.value, attributes, rows);
      const link: SipWatchLink = {
        kind: 'sip-watch',
        id,
        watcher: asSip(watcherUri),
        watcherWv: asWv(watcher.value),
        target: asWv(target.value),
        event: request.headers.get('Event') ?? 'presence',
        // The served usage's own dialog state; the journal writes it out with the link.
        dialog: sub.dialog.state,
        expires: sub.expires,
        expiresAt: this.ctx.clock.wallNow() + sub.expires * 1000,
        state: 'pending',
        ...(attributes ? { attributes } : {}),
      };
      const served: Served = { link, sub, started: false, refusedEarly: false, ending: false };
      this.served.set(id, served);
      traceMap(this.ctx, rows, 'SIP SUBSCRIBE', 'SSP SubscribeRequest');
      const outcome = await this.ctx.ssp.send(domainOf(target.value), {
        kind: 'SubscribeRequest',
        meta: { serviceId: this.ctx.ssp.serviceId, userId: watcher.value, clientOriginated: true },
        userIds: [target.value],
        ...(attributes ? { attributes } : {}),
      });
      const status = statusOf(outcome);
      if (status.code >= 300 && status.code !== 201) {
        this.served.delete(id);
        const mapped = cspStatusToSip(status.code);
        traceMap(this.ctx, [mapped.row], `SSP Status ${status.code}`, `SIP ${mapped.code}`);
        return { reject: mapped.code, reason: mapped.text };
      }
      if (served.refusedEarly) {
        // PS1 refused before its Status came back (Harry blocks Jane): rows SN8, C18.
        this.served.delete(id);
        const answer = impsOutcomeToSip({ kind: 'blocked' }, { expires: sub.expires, initial: true });
        traceMap(this.ctx, [answer.row], 'SSP PresenceNotification (empty)', 'SIP 403');
        return { reject: answer.value.response ?? 403, reason: 'Forbidden - Blocked' };
      }
      served.started = true;
      this.ctx.store.put(link);
      // The watcher hears 2xx only for a subscription that would survive a restart.
      await this.ctx.store.durable();
      if (link.last) {
        // PS1 notified before its Status came back: Harry had already granted (row SN1).
        const answer = impsOutcomeToSip(
          { kind: 'granted', attributes: Object.keys(link.last) },
          { expires: sub.expires, initial: true },
        );
        traceMap(this.ctx, [answer.row], 'SSP PresenceNotification', 'SIP NOTIFY');
        return { state: 'active', ...this.content(link) };
      }
      // Nothing yet: PS1 is asking Harry (reactive authorization, rows SN3/SN4) or will notify.
      const answer = impsOutcomeToSip(
        { kind: 'reactive-request', csp: '1.2' },
        { expires: sub.expires, initial: true },
      );
      traceMap(this.ctx, [answer.row], 'SSP Status', 'SIP NOTIFY (pending)');
      return { state: 'pending' };
    });
  }

  private async fetch(
    watcher: string,
    target: string,
    attributes: string[] | undefined,
    rows: string[],
  ): Promise<SubscribeDecision> {
    const outcome = await this.ctx.ssp.send(domainOf(target), {
      kind: 'GetPresenceRequest',
      meta: { serviceId: this.ctx.ssp.serviceId, userId: watcher, clientOriginated: true },
      userIds: [target],
      ...(attributes ? { attributes } : {}),
    });
    const status = statusOf(outcome);
    if (status.code >= 300) {
      const mapped = cspStatusToSip(status.code);
      return { reject: mapped.code, reason: mapped.text };
    }
    const presence =
      outcome.ok && outcome.content.kind === 'GetPresenceResponse' ? outcome.content.presences[0] : undefined;
    const sip = impsToSip(target);
    const pidf = presence && sip.ok ? impsToPidf(presence.presenceSubList, sip.value) : undefined;
    traceMap(this.ctx, [...rows, ...(pidf?.rows ?? [])], 'SSP GetPresenceResponse', 'SIP NOTIFY');
    return pidf?.ok
      ? { state: 'active', body: renderPidf(pidf.value), contentType: PIDF }
      : { state: 'active' };
  }

  private content(link: SipWatchLink): NotifyContent {
    if (!link.last) return {};
    const sip = impsToSip(link.target);
    if (!sip.ok) return {};
    const pidf = impsToPidf(link.last, sip.value);
    return pidf.ok ? { body: renderPidf(pidf.value), contentType: PIDF } : {};
  }

  /** PS1 → IWF: a PresenceNotification for SIMPLE watchers → NOTIFY on each matching dialog. */
  async handleSspPresenceNotification(_c: SspRequestContext, req: PresenceNotification): Promise<SspStatus> {
    const recipients = new Set(req.recipients.map((r) => r.trim().toLowerCase()));
    let matched = 0;
    for (const p of req.presences) {
      const publisher = p.userId.trim().toLowerCase();
      for (const served of this.served.values()) {
        if (!recipients.has(served.link.watcherWv) || served.link.target !== publisher) continue;
        matched += 1;
        // The NOTIFY goes out in this subscription's queue; PS1's answer does not wait for Jane.
        void this.apply(served, p.presenceSubList);
      }
    }
    if (matched === 0) return { code: 200, description: 'Successful (no live subscription)' };
    return { code: 200, description: 'Successful' };
  }

  private async apply(served: Served, change: PresenceSubList): Promise<void> {
    const { link, sub } = served;
    const refusal = Object.keys(change).length === 0;
    if (!served.started) {
      // Folded into the first NOTIFY by handleSipSubscribe (it runs first in this key's queue).
      if (refusal) served.refusedEarly = true;
      else link.last = compactPresence(mergePresence(link.last ?? {}, change));
      return;
    }
    await this.ctx.queue.run(link.id, async () => {
      if (served.ending) return;
      if (refusal) {
        const answer = impsOutcomeToSip(
          { kind: link.state === 'active' ? 'revoked' : 'denied' },
          { expires: sub.remaining, initial: false },
        );
        traceMap(
          this.ctx,
          [answer.row],
          'SSP PresenceNotification (empty)',
          'SIP NOTIFY (terminated;reason=rejected)',
        );
        served.ending = true;
        this.served.delete(link.id);
        this.ctx.store.delete('sip-watch', link.id);
        await sub.terminate('rejected');
        return;
      }
      const wasActive = link.state === 'active';
      link.last = compactPresence(mergePresence(link.last ?? {}, change));
      link.state = 'active';
      // Stored before the NOTIFY: its CSeq is at most one or two past the stored one, well inside
      // the gap a resume skips (CSEQ_RESUME_GAP), so the NOTIFY needs no second write.
      this.ctx.store.put(link);
      const answer = impsOutcomeToSip(
        wasActive ? { kind: 'granted', attributes: Object.keys(change) } : { kind: 'accepted' },
        {
          expires: sub.remaining,
          initial: false,
        },
      );
      const content = this.content(link);
      const pidfRows = impsToPidf(
        link.last,
        impsToSip(link.target).ok ? (impsToSip(link.target) as { value: string }).value : link.watcher,
      ).rows;
      traceMap(this.ctx, [answer.row, ...pidfRows], 'SSP PresenceNotification', 'SIP NOTIFY');
      await sub.notify({ ...content, state: 'active' });
    });
  }

  /** NOTIFY content after Jane refreshes; also the moment to store the new expiry. */
  currentContent(sub: NotifierSubscription): NotifyContent | undefined {
    const served = this.served.get(this.idOf(sub));
    if (!served) return undefined;
    queueMicrotask(() => {
      if (served.ending) return;
      served.link.expires = sub.expires;
      served.link.expiresAt = this.ctx.clock.wallNow() + sub.expires * 1000;
      this.ctx.store.put(served.link);
    });
    return served.link.state === 'active' ? this.content(served.link) : {};
  }

  /** Jane unsubscribed, or the subscription expired or failed: PS1 gets an UnsubscribeRequest. */
  handleSipSubscriptionEnded(sub: NotifierSubscription, reason: TerminationReason): void {
    const id = this.idOf(sub);
    const served = this.served.get(id);
    if (!served || served.sub !== sub) return;
    served.ending = true;
    this.served.delete(id);
    this.ctx.store.delete('sip-watch', id);
    void this.ctx.queue.run(id, async () => {
      traceMap(this.ctx, ['SN11'], `SIP subscription ended (${reason})`, 'SSP UnsubscribeRequest');
      await this.ctx.ssp.send(domainOf(served.link.target), {
        kind: 'UnsubscribeRequest',
        meta: { serviceId: this.ctx.ssp.serviceId, userId: served.link.watcherWv, clientOriginated: true },
        userIds: [served.link.target],
      });
    });
  }

  /** After a restart: the served dialogs answer again; PS1 still holds its side of each. */
  resume(): void {
    const now = this.ctx.clock.wallNow();
    for (const link of this.ctx.store.all('sip-watch')) {
      // The store read the stored dialog back as live state (absent when it no longer parsed).
      const state = link.dialog;
      const remaining = Math.round((link.expiresAt - now) / 1000);
      if (!state || remaining <= 0) {
        this.ctx.store.delete('sip-watch', link.id);
        void this.ctx.ssp.send(domainOf(link.target), {
          kind: 'UnsubscribeRequest',
          meta: { serviceId: this.ctx.ssp.serviceId, userId: link.watcherWv, clientOriginated: true },
          userIds: [link.target],
        });
        continue;
      }
      state.localSeq += CSEQ_RESUME_GAP;
      const sub = this.ctx.sip.resumeNotifierSubscription(
        state,
        link.event,
        link.watcher,
        remaining,
        link.state,
      );
      if (!sub) continue;
      const served: Served = { link, sub, started: true, refusedEarly: false, ending: false };
      this.served.set(link.id, served);
      void this.ctx.queue.run(link.id, () => this.resubscribeAtPs1(served));
    }
  }

  /**
   * After a restart the IWF subscribes again at PS1 for each resumed dialog: PS1 keeps one
   * remote subscription per watcher and presentity, answers with the current state (Jane's
   * view is re-synchronised) and the SSP session is set up anew in both directions.
   */
  private async resubscribeAtPs1(served: Served): Promise<void> {
    const { link, sub } = served;
    const outcome = await this.ctx.ssp.send(domainOf(link.target), {
      kind: 'SubscribeRequest',
      meta: { serviceId: this.ctx.ssp.serviceId, userId: link.watcherWv, clientOriginated: true },
      userIds: [link.target],
      ...(link.attributes ? { attributes: link.attributes } : {}),
    });
    const status = statusOf(outcome);
    this.ctx.log(`iwf: resumed ${link.id}: PS1 answered ${status.code}`);
    if (status.code < 300 || status.code === 201 || served.ending) return;
    // PS1 no longer serves it (unknown user, blocked): Jane's subscription ends with the reason.
    const kind = status.code === 531 ? 'unknown-user' : status.code === 532 ? 'blocked' : undefined;
    if (!kind) return;
    const answer = impsOutcomeToSip({ kind }, { expires: sub.remaining, initial: false });
    traceMap(this.ctx, [answer.row], `SSP Status ${status.code}`, 'SIP NOTIFY (terminated)');
    served.ending = true;
    this.served.delete(link.id);
    this.ctx.store.delete('sip-watch', link.id);
    await sub.terminate(answer.value.state.reason ?? 'rejected');
  }

  detach(): void {
    for (const s of this.served.values()) s.ending = true;
    this.served.clear();
  }
}

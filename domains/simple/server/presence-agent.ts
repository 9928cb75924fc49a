// The presence agent's core (RFC 3856 §6, RFC 6665 §4.2): one Notifier for every event package
// of the registry, an index of subscriptions by (package, resource), and the NOTIFY rate limit
// of RFC 3856 §6.6.3 ("a PA SHOULD NOT generate notifications for a single presentity at a rate
// of more than once every five seconds"), configurable and off in tests.
import type { Clock, TimerHandle } from '../../../common/clock.ts';
import {
  type IncomingRequest,
  Notifier,
  type NotifierSubscription,
  type NotifyContent,
  type RequestHandler,
  type SipUserAgent,
  type SubscribeDecision,
} from '../sip/core/index.ts';
import { aorKey } from '../sip/registrar/index.ts';
import { type EventPackage, type SubscriptionData, subscriptionData } from './event-package.ts';

export interface PresenceAgentOptions {
  minExpires?: number;
  maxExpires?: number;
  defaultExpires?: number;
  /** Shortest interval between two NOTIFYs of one subscription (ms); 0 = no limit. */
  notifyMinIntervalMs?: number;
  /** The identity the SUBSCRIBE proved (Digest user or trusted peer); From URI when undefined. */
  identityOf?: (request: IncomingRequest) => string | undefined;
}

interface RateState {
  lastSent: number;
  timer: TimerHandle | undefined;
}

export class PresenceAgent {
  readonly notifier: Notifier;
  /** The Notifier's SUBSCRIBE handler, for the server's own dispatcher to call. */
  readonly handleSubscribe: RequestHandler;
  private readonly packages = new Map<string, EventPackage>();
  private readonly index = new Map<string, Set<NotifierSubscription>>();
  private readonly rate = new Map<NotifierSubscription, RateState>();
  private readonly clock: Clock;

  constructor(
    readonly ua: SipUserAgent,
    packages: readonly EventPackage[],
    private readonly options: PresenceAgentOptions = {},
  ) {
    this.clock = ua.clock;
    for (const p of packages) this.packages.set(p.name, p);
    // The Notifier installs its SUBSCRIBE handler on the user agent it is given; PS2 must route
    // SUBSCRIBEs for other domains itself, so it hands the Notifier a view of the agent whose
    // `on` captures the handler instead (everything else is the real agent).
    let captured: RequestHandler | undefined;
    const view = Object.create(ua, {
      on: {
        value: (method: string, handler: RequestHandler) => {
          if (method.toUpperCase() === 'SUBSCRIBE') captured = handler;
          else ua.on(method, handler);
          return view;
        },
      },
    }) as SipUserAgent;
    this.notifier = new Notifier(
      view,
      {
        events: [...this.packages.keys()],
        minExpires: options.minExpires ?? 60,
        maxExpires: options.maxExpires ?? 3600,
        defaultExpires: options.defaultExpires ?? 3600,
      },
      {
        onSubscribe: (sub, req) => this.onSubscribe(sub, req),
        currentContent: (sub) => this.packageOf(sub)?.bodyForWatcher(sub),
        onTerminated: (sub, reason) => this.onTerminated(sub, reason),
      },
    );
    if (!captured) throw new Error('Notifier did not install a SUBSCRIBE handler');
    this.handleSubscribe = captured;
  }

  get(name: string): EventPackage | undefined {
    return this.packages.get(name);
  }

  /** Live subscriptions of a package to a resource. */
  subscriptions(pkg: string, resource: string): NotifierSubscription[] {
    return [...(this.index.get(`${pkg} ${resource}`) ?? [])].filter((s) => s.state !== 'terminated');
  }

  /**
   * Sends the current content to one subscription, honouring the rate limit: a NOTIFY due
   * sooner than the limit is deferred and coalesced (only the latest state goes out).
   */
  notify(sub: NotifierSubscription, content?: NotifyContent): void {
    if (sub.state === 'terminated') return;
    const limit = this.options.notifyMinIntervalMs ?? 0;
    const rate = this.rate.get(sub) ?? { lastSent: Number.NEGATIVE_INFINITY, timer: undefined };
    this.rate.set(sub, rate);
    const now = this.clock.now();
    const wait = rate.lastSent + limit - now;
    if (limit > 0 && wait > 0) {
      rate.timer ??= this.clock.setTimer(wait, () => {
        rate.timer = undefined;
        this.notify(sub);
      });
      return;
    }
    rate.lastSent = now;
    const pkg = this.packageOf(sub);
    const body = content ?? pkg?.changeContent?.(sub) ?? pkg?.bodyForWatcher(sub) ?? {};
    void sub.notify(body);
  }

  /** Notifies every subscription of a package to a resource. */
  notifyAll(pkg: string, resource: string): void {
    for (const sub of this.subscriptions(pkg, resource)) this.notify(sub);
  }

  private packageOf(sub: NotifierSubscription): EventPackage | undefined {
    return this.packages.get(sub.event.package.toLowerCase());
  }

  private onSubscribe(sub: NotifierSubscription, request: IncomingRequest): SubscribeDecision {
    const pkg = this.packageOf(sub);
    if (!pkg) return { reject: 489, reason: 'Bad Event' };
    const resource = aorKey(request.request.uri);
    if (resource === undefined) return { reject: 416, reason: 'Unsupported URI Scheme' };
    const watcher = this.options.identityOf?.(request) ?? aorKey(sub.watcher) ?? '';
    // RFC 6665 §8.3 / RFC 3261 §20.1: an Accept naming none of the package's types → 406.
    const accept = request.request.headers
      .getFields('Accept')
      .flatMap((v) => v.split(','))
      .map((v) => v.split(';')[0]!.trim().toLowerCase())
      .filter((v) => v !== '');
    if (accept.length > 0 && !accept.some((a) => pkg.accepts.includes(a) || a === '*/*')) {
      return {
        reject: 406,
        reason: 'Not Acceptable',
        headers: [['Accept', pkg.accepts.join(', ')]],
      };
    }
    const data: SubscriptionData = { resource, watcher, package: pkg.name, accept };
    Object.assign(sub.data, data);
    const decision = pkg.authorize({ subscription: sub, request, resource, watcher });
    if (!('reject' in decision) && sub.expires > 0) {
      const key = `${pkg.name} ${resource}`;
      const set = this.index.get(key) ?? new Set();
      set.add(sub);
      this.index.set(key, set);
      this.rate.set(sub, { lastSent: this.clock.now(), timer: undefined });
    }
    return decision;
  }

  private onTerminated(sub: NotifierSubscription, reason: string): void {
    const data = subscriptionData(sub);
    this.index.get(`${data.package} ${data.resource}`)?.delete(sub);
    this.rate.get(sub)?.timer?.cancel();
    this.rate.delete(sub);
    this.packageOf(sub)?.terminated?.(sub, reason);
  }

  close(): void {
    for (const r of this.rate.values()) r.timer?.cancel();
    for (const sub of [...this.notifier.all]) void sub.terminate('noresource');
  }
}

// PS2, the SIMPLE presence server of domain2.lab, as a library: `startPs2(config)` binds SIP and
// XCAP on its address and wires registrar, proxy, presence agent (presence + presence.winfo),
// RLS, XCAP server, MESSAGE relay and Presence Network Agent; `stop()` releases everything.
import { systemClock } from '../../../common/clock.ts';
import { randomIds } from '../../../common/ids.ts';
import { type PresRuleset, parsePresRules } from '../payloads/pres-rules.ts';
import { DigestAuthenticator, MemoryHa1Store } from '../sip/auth/index.ts';
import { forwardRequest, type IncomingRequest, SipUserAgent, StaticRouter } from '../sip/core/index.ts';
import { isSipUri } from '../sip/message/uri.ts';
import { aorKey, LocationService, processRegister } from '../sip/registrar/index.ts';
import { dialogRelay } from './dialog-relay.ts';
import { sendFailureImdn } from './imdn-reporter.ts';
import { MessageRelay } from './message-relay.ts';
import { PresenceAgent } from './presence-agent.ts';
import { PresenceNetworkAgent } from './presence-network-agent.ts';
import { PresencePackage } from './presence-package.ts';
import type { Ps2Config } from './ps2-config.ts';
import { PublicationService } from './publication-service.ts';
import { type AdmissionPolicy, admit } from './request-admission.ts';
import { ResourceListServer } from './resource-list-server.ts';
import { WatcherInfoPackage } from './winfo-package.ts';
import { startXcapServer, type XcapServer } from './xcap-server.ts';
import { XcapStore } from './xcap-store.ts';

export interface Ps2 {
  readonly config: Ps2Config;
  readonly ua: SipUserAgent;
  readonly location: LocationService;
  readonly publications: PublicationService;
  readonly agent: PresenceAgent;
  readonly presence: PresencePackage;
  readonly winfo: WatcherInfoPackage;
  readonly xcapStore: XcapStore;
  readonly xcap: XcapServer;
  readonly pna: PresenceNetworkAgent;
  readonly messages: MessageRelay;
  readonly rls: ResourceListServer;
  /** Where SIP listens (UDP and TCP share the port when a fixed port is configured). */
  readonly sip: { address: string; port: number };
  stop(): Promise<void>;
}

export async function startPs2(config: Ps2Config): Promise<Ps2> {
  const clock = config.clock ?? systemClock;
  const ids = config.ids ?? randomIds;
  const domain = config.domain.toLowerCase();
  const maxBody = config.maxBodyBytes ?? 64 * 1024;
  const router = new StaticRouter(config.routes ?? {});
  const ua = new SipUserAgent({
    node: config.node ?? 'ps2',
    address: config.address,
    port: config.sipPort ?? 5060,
    router,
    clock,
    ids,
    product: 'PS2 (imps-simple-lab)',
    // Big enough that an oversized body reaches PS2 and gets its 413 rather than a transport drop.
    maxMessageBytes: maxBody * 4,
  });
  await ua.start();
  const sip = ua.local('udp');
  // Our own domain routes to ourselves: the RLS subscribes to local members through SIP too.
  router.set(domain, { address: sip.address, port: sip.port });

  const ha1 = new MemoryHa1Store();
  for (const [user, password] of Object.entries(config.users)) ha1.addUser(user, domain, password);
  const algorithms = config.digestAlgorithms ? { algorithms: config.digestAlgorithms } : {};
  const registrarAuth = new DigestAuthenticator({ realm: domain, store: ha1, clock, ids, ...algorithms });
  const proxyAuth = new DigestAuthenticator({
    realm: domain,
    store: ha1,
    clock,
    ids,
    role: 'proxy',
    ...algorithms,
  });
  const users = new Set(Object.keys(config.users).map((u) => `sip:${u}@${domain}`));
  const isLocalUser = (resource: string) => users.has(resource);

  const location = new LocationService({ clock });
  const xcapStore = new XcapStore(ids);
  const rulesCache = new Map<string, { etag: string; rules: PresRuleset | undefined }>();
  const rulesOf = (resource: string): PresRuleset | undefined => {
    const doc = xcapStore.get('pres-rules', resource, 'index');
    if (!doc) return undefined;
    const cached = rulesCache.get(resource);
    if (cached?.etag === doc.etag) return cached.rules;
    const parsed = parsePresRules(doc.xml);
    const rules = parsed.ok ? parsed.value : undefined;
    rulesCache.set(resource, { etag: doc.etag, rules });
    return rules;
  };

  const winfo = new WatcherInfoPackage(() => clock.now(), isLocalUser);
  let presence: PresencePackage | undefined;
  const publications = new PublicationService(
    {
      clock,
      ids,
      maxBodyBytes: maxBody,
      minExpires: config.minExpires ?? 60,
      maxExpires: config.maxExpires ?? 3600,
    },
    (resource) => presence?.stateChanged(resource),
  );
  presence = new PresencePackage({
    composed: (r) => publications.composed(r),
    rules: rulesOf,
    watcherChanged: (c) => winfo.watcherChanged(c),
    isLocalUser,
    now: () => clock.wallNow(),
  });
  const identities = new WeakMap<IncomingRequest, string>();
  const agent = new PresenceAgent(ua, [presence, winfo], {
    minExpires: config.minExpires ?? 60,
    maxExpires: config.maxExpires ?? 3600,
    notifyMinIntervalMs: config.notifyMinIntervalMs ?? 5000,
    identityOf: (req) => identities.get(req),
  });
  const presencePkg = presence;
  presencePkg.subscriptionsOf = (r) => agent.subscriptions('presence', r);
  presencePkg.notify = (sub) => agent.notify(sub);
  winfo.subscriptionsOf = (r) => agent.subscriptions('presence.winfo', r);
  winfo.notify = (sub, content) => agent.notify(sub, content);

  const pna = new PresenceNetworkAgent(
    location,
    publications,
    config.visitedNetworks ?? [],
    config.maxExpires ?? 3600,
  );
  const messages = new MessageRelay(ua, location, {
    clock,
    ttlMs: config.messageTtlMs,
    maxBodyBytes: maxBody,
    // RFC 5438 §7: a store-and-forward server that gives up reports negative delivery itself.
    onExpired: (m) => void sendFailureImdn(ua, m, clock.wallNow(), ids.token(12)).catch(() => false),
  });
  const rls = new ResourceListServer(ua, xcapStore, {
    identityOf: (req) => identities.get(req),
    minExpires: config.minExpires ?? 60,
    maxExpires: config.maxExpires ?? 3600,
  });
  xcapStore.onChange((change) => {
    if (change.auid === 'pres-rules') presencePkg.rulesChanged(change.user);
  });

  const passwords = new Map(Object.entries(config.users).map(([u, p]) => [u.toLowerCase(), p]));
  const xcap = await startXcapServer(xcapStore, {
    address: config.address,
    port: config.xcapPort ?? 5080,
    passwords,
    domain,
  });

  const policy: AdmissionPolicy = {
    domain,
    trustedPeers: new Map(Object.entries(config.trustedPeers ?? {}).map(([d, a]) => [d.toLowerCase(), a])),
    selfAddresses: new Set([config.address]),
    requireAuth: config.requireAuth ?? true,
    proxyAuth,
  };
  const isOurs = (incoming: IncomingRequest) =>
    isSipUri(incoming.request.uri) && incoming.request.uri.host.toLowerCase() === domain;

  /**
   * A request for another domain: only our own users may send through us (no open relay). PS2
   * Record-Routes the SUBSCRIBEs (RFC 3261 §16.6 step 4) so the dialog's NOTIFYs and
   * un-SUBSCRIBEs cross it too (`dialog-relay.ts`); PUBLISH and MESSAGE create no dialog.
   */
  const forwardOut = async (incoming: IncomingRequest, local: boolean) => {
    if (!local) {
      incoming.reply(403, 'Forbidden - relaying denied');
      return;
    }
    await forwardRequest(ua, incoming, { recordRoute: incoming.request.method === 'SUBSCRIBE' });
  };
  // In-dialog requests of the dialogs PS2 only record-routes: no usage of ours claims them.
  ua.setFallbackHandler(dialogRelay(ua, policy));

  ua.on('REGISTER', (incoming) => {
    const request = incoming.request;
    const auth = registrarAuth.authenticate(request);
    if (!auth.ok) {
      incoming.reply(auth.status, auth.reason, { headers: auth.headers.map((h) => [h.name, h.value]) });
      return;
    }
    const aor = aorKey(request.to.uri);
    if (aor === undefined || aor !== `sip:${auth.user.toLowerCase()}@${domain}`) {
      incoming.reply(403, 'Forbidden - may only register your own address');
      return;
    }
    const source = {
      transport: incoming.inbound.protocol,
      address: incoming.inbound.remote.address,
      port: incoming.inbound.remote.port,
    };
    pna.noteRegister(aor, request, source);
    const outcome = processRegister(request, location, clock.now(), {
      policy: {
        domains: [domain],
        minExpires: config.minExpires ?? 60,
        maxExpires: config.maxExpires ?? 3600,
      },
      source,
    });
    incoming.reply(outcome.status, outcome.reason, {
      headers: outcome.headers.map((h) => [h.name, h.value]),
    });
  });

  ua.on('SUBSCRIBE', async (incoming) => {
    const a = admit(incoming, policy);
    if (!a.ok) return;
    if (!isOurs(incoming)) return forwardOut(incoming, a.local);
    identities.set(incoming, a.identity);
    if (incoming.request.body.length > maxBody) {
      incoming.reply(413, 'Request Entity Too Large');
      return;
    }
    if (rls.serves(incoming.request)) return rls.handleSubscribe(incoming);
    return agent.handleSubscribe(incoming);
  });

  ua.on('PUBLISH', (incoming) => {
    const a = admit(incoming, policy);
    if (!a.ok) return;
    if (!isOurs(incoming)) return forwardOut(incoming, a.local);
    const resource = aorKey(incoming.request.uri);
    if (resource === undefined || !isLocalUser(resource)) {
      incoming.reply(404, 'Not Found');
      return;
    }
    // RFC 3903 §6 step 2 / RFC 3856 §6.5: only the presentity (or its agents) may publish.
    if (a.identity !== resource) {
      incoming.reply(403, 'Forbidden - not your presentity');
      return;
    }
    const outcome = publications.publish(incoming.request, resource);
    incoming.reply(outcome.status, outcome.reason, {
      headers: outcome.headers.map((h) => [h.name, h.value]),
    });
  });

  ua.on('MESSAGE', async (incoming) => {
    const a = admit(incoming, policy);
    if (!a.ok) return;
    if (!isOurs(incoming)) return forwardOut(incoming, a.local);
    const aor = aorKey(incoming.request.uri);
    if (aor === undefined || !isLocalUser(aor)) {
      incoming.reply(404, 'Not Found');
      return;
    }
    await messages.relay(incoming, aor);
  });

  return {
    config,
    ua,
    location,
    publications,
    agent,
    presence: presencePkg,
    winfo,
    xcapStore,
    xcap,
    pna,
    messages,
    rls,
    sip,
    async stop() {
      rls.close();
      agent.close();
      pna.close();
      messages.close();
      location.close();
      await xcap.close();
      await ua.stop();
    },
  };
}

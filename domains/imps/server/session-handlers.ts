// Session management (imps.md §2): Login (plain password and the 4-step digest login), Logout,
// KeepAlive, ClientCapability and Service negotiation, GetSPInfo.
import { createHash } from 'node:crypto';
import type { TimerHandle } from '../../../common/clock.ts';
import type { ClientId } from '../csp/model/common-structs.ts';
import { type CspPrimitive, primitive, type TypedPrimitive } from '../csp/model/primitives.ts';
import type { CirMethod, ImpsSession } from './imps-session.ts';
import type { Ps1Context } from './ps1-context.ts';
import { errorResult, ok, resultOf } from './ps1-status.ts';
import { functionsElement, requestedFunctions, supportedFunctions } from './service-functions.ts';

/** What the session handlers need beyond the shared context. */
export interface SessionHost extends Ps1Context {
  openSession(init: {
    userId: string;
    clientId: string;
    cookie: string;
    keepAliveSeconds: number;
    request: { version: ImpsSession['version']; encoding: ImpsSession['encoding'] };
  }): ImpsSession;
  endSession(session: ImpsSession, expired: boolean): void;
  cirTcpEndpoint(): { address: string; port: number } | undefined;
  cirUrl(session: ImpsSession): string;
}

// imps.md §2.2: DigestSchema values seen PWD, SHA, MD4, MD5, MD6; Android supports MD5 and SHA.
const DIGESTS: Record<string, string> = { MD5: 'md5', SHA: 'sha1' };
const SERVER_PREFERENCE = ['SHA', 'MD5'];
const NONCE_LIFETIME_MS = 120_000;

/** imps.md §2.2: DigestBytes = Base64(H(nonce || password)), bytes as ISO-8859-1. */
export function digestBytes(schema: string, nonce: string, password: string): string | undefined {
  const algorithm = DIGESTS[schema.toUpperCase()];
  if (algorithm === undefined) return undefined;
  return createHash(algorithm)
    .update(Buffer.from(nonce + password, 'latin1'))
    .digest('base64');
}

export function clientKey(c: ClientId | undefined): string {
  return (c?.url ?? c?.msisdn ?? c?.$text ?? '').trim();
}

interface Challenge {
  nonce: string;
  schema: string;
  timer: TimerHandle;
}

export class LoginHandler {
  private readonly challenges = new Map<string, Challenge>();

  constructor(private readonly host: SessionHost) {}

  handle(
    p: TypedPrimitive<'Login-Request'>,
    request: { version: ImpsSession['version']; encoding: ImpsSession['encoding'] },
  ): CspPrimitive {
    const b = p.body;
    const clientId = b.clientId ?? {};
    const reply = (result: ReturnType<typeof resultOf>, extra: Record<string, unknown> = {}) =>
      primitive('Login-Response', { clientId, result, ...extra });
    const userId = this.host.normalize(b.userId);
    if (userId === undefined || !this.host.isLocal(userId) || !this.host.users.has(userId))
      return reply(errorResult('PS1_ERR_UNKNOWN_USER', b.userId));
    const password = this.host.users.get(userId)!;
    const key = `${userId}|${clientKey(b.clientId)}`;
    if (b.password !== undefined) {
      if (b.password !== password) return reply(errorResult('PS1_ERR_INVALID_PASSWORD'));
    } else if (b.digestBytes !== undefined) {
      // imps.md §2.2 step 3: the answer to our Nonce.
      const c = this.challenges.get(key);
      if (c === undefined) return reply(errorResult('PS1_ERR_NO_CHALLENGE'));
      this.challenges.delete(key);
      c.timer.cancel();
      if (digestBytes(c.schema, c.nonce, password) !== b.digestBytes.trim())
        return reply(errorResult('PS1_ERR_INVALID_PASSWORD'));
    } else {
      // imps.md §2.2 step 2: challenge with a Nonce and the chosen DigestSchema.
      const offered = (b.digestSchemas ?? []).map((s) => s.trim().toUpperCase());
      const schema = offered.length === 0 ? 'MD5' : SERVER_PREFERENCE.find((s) => offered.includes(s));
      if (schema === undefined) return reply(errorResult('PS1_ERR_DIGEST_SCHEME', offered.join(',')));
      const nonce = this.host.config.ids.token(24);
      this.challenges.get(key)?.timer.cancel();
      const timer = this.host.config.clock.setTimer(NONCE_LIFETIME_MS, () => this.challenges.delete(key));
      this.challenges.set(key, { nonce, schema, timer });
      return reply(resultOf(401, 'Unauthorized: further authentication required'), {
        nonce,
        digestSchema: schema,
        capabilityRequest: true,
      });
    }
    const cfg = this.host.config;
    const ttl = b.timeToLive ?? cfg.defaultKeepAliveSeconds;
    // imps.md §2.1: TimeToLive is the client's proposal, KeepAliveTime the server's decision.
    const keepAliveSeconds = Math.max(10, Math.min(ttl, cfg.maxKeepAliveSeconds));
    const session = this.host.openSession({
      userId,
      clientId: clientKey(b.clientId),
      cookie: b.sessionCookie ?? '',
      keepAliveSeconds,
      request,
    });
    return reply(resultOf(200), {
      sessionId: session.sessionId,
      keepAliveTime: keepAliveSeconds,
      capabilityRequest: true,
    });
  }

  stop(): void {
    for (const c of this.challenges.values()) c.timer.cancel();
    this.challenges.clear();
  }
}

export function handleKeepAlive(host: SessionHost, s: ImpsSession, p: CspPrimitive): CspPrimitive {
  const b = (p as TypedPrimitive<'KeepAlive-Request'>).body;
  if (b.timeToLive !== undefined) {
    s.keepAliveSeconds = Math.max(10, Math.min(b.timeToLive, host.config.maxKeepAliveSeconds));
    s.touch();
  }
  return primitive('KeepAlive-Response', { result: resultOf(200), keepAliveTime: s.keepAliveSeconds });
}

export function handleLogout(host: SessionHost, s: ImpsSession): CspPrimitive {
  host.endSession(s, false);
  return ok();
}

const CIR_METHODS: readonly CirMethod[] = ['STCP', 'SUDP', 'SHTTP'];

/** imps.md §2.3: the server's answer is AgreedCapabilityList (1.2+) or a full CapabilityList (1.1). */
export function handleClientCapability(host: SessionHost, s: ImpsSession, p: CspPrimitive): CspPrimitive {
  const b = (p as TypedPrimitive<'ClientCapability-Request'>).body;
  const cl = b.capabilityList ?? {};
  const asked = (cl.supportedCirMethods ?? []).map((m) => m.trim().toUpperCase());
  const tcp = host.cirTcpEndpoint();
  const cirMethods = CIR_METHODS.filter(
    (m) =>
      asked.includes(m) && (m !== 'SUDP' || cl.udpPort !== undefined) && (m !== 'STCP' || tcp !== undefined),
  );
  s.capabilities = {
    deliveryMethod: cl.initialDeliveryMethod?.trim() === 'N' ? 'N' : 'P',
    cirMethods,
    multiTrans: Math.max(1, Math.min(cl.multiTrans ?? 1, 10)),
    ...(cl.udpPort === undefined ? {} : { udpPort: cl.udpPort }),
  };
  const serverPollMin = host.config.serverPollMinSeconds;
  const withTcp = cirMethods.includes('STCP') && tcp !== undefined;
  if (s.version === '1.1') {
    return primitive('ClientCapability-Response', {
      clientId: b.clientId ?? {},
      capabilityList: {
        clientType: cl.clientType,
        initialDeliveryMethod: s.capabilities.deliveryMethod,
        supportedBearers: ['HTTP'],
        multiTrans: s.capabilities.multiTrans,
        supportedCirMethods: cirMethods,
        ...(cl.udpPort === undefined ? {} : { udpPort: cl.udpPort }),
        ...(withTcp ? { tcpAddress: tcp.address, tcpPort: tcp.port } : {}),
        serverPollMin,
      },
    });
  }
  const url = { url: host.cirUrl(s) };
  return primitive('ClientCapability-Response', {
    agreedCapabilityList: {
      supportedBearers: ['HTTP'],
      supportedCirMethods: cirMethods,
      ...(withTcp ? { tcpAddress: tcp.address, tcpPort: tcp.port } : {}),
      serverPollMin,
      // imps.md §2.3: CIRURL in 1.2, CIRHTTPAddress in 1.3.
      ...(cirMethods.includes('SHTTP')
        ? s.version === '1.3'
          ? { cirHttpAddress: url }
          : { cirUrl: url }
        : {}),
    },
  });
}

/**
 * imps.md §2.4: agreed = asked ∩ supported (no Functions = everything PS1 supports); from now on a
 * primitive of a function not agreed is 506. Work that waited for negotiation is queued here.
 */
export function handleService(host: SessionHost, s: ImpsSession, p: CspPrimitive): CspPrimitive {
  const b = (p as TypedPrimitive<'Service-Request'>).body;
  const supported = supportedFunctions(s.version);
  const asked = b.functions === undefined ? supported : requestedFunctions(b.functions);
  const agreed = new Set([...asked].filter((c) => supported.has(c)));
  s.agreedFunctions = agreed;
  const body: Record<string, unknown> = { functions: functionsElement('Functions', agreed, s.version) };
  if (b.allFunctionsRequest === true)
    body.allFunctions = functionsElement('AllFunctions', supported, s.version);
  if (s.version === '1.1' && b.clientId !== undefined) body.clientId = b.clientId;
  host.reactive.askPending(s);
  host.messages.deliverPending(s);
  return primitive('Service-Response', body);
}

export function handleGetSpInfo(host: SessionHost, p: CspPrimitive): CspPrimitive {
  const b = (p as TypedPrimitive<'GetSPInfo-Request'>).body;
  return primitive('GetSPInfo-Response', {
    ...(b.clientId === undefined ? {} : { clientId: b.clientId }),
    name: `PS1 ${host.config.domain}`,
    description: 'IMPS server of the interworking lab',
  });
}

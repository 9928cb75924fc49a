// SSP session setup (imps.md §10): each side sends a random SecretToken; each proves knowledge
// of the shared secret with PasswordDigest = Base64(MD5(peer's token ":" secret)) [I: baraza
// digests the token alone; the lab adds the configured shared secret so the login authenticates];
// each answers the other's LoginRequest with a LoginResponse carrying the sessionID it wants to
// be addressed with. Pure state per peer; the endpoint does the sending.
import { createHash, timingSafeEqual } from 'node:crypto';

export type PeerState = 'idle' | 'token-sent' | 'login-sent' | 'up';

export function passwordDigest(token: string, secret: string): string {
  return createHash('md5').update(`${token}:${secret}`, 'utf8').digest('base64');
}

export function digestMatches(expected: string, got: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(got);
  return a.length === b.length && timingSafeEqual(a, b);
}

export class SspPeer {
  state: PeerState = 'idle';
  /** Token we sent to the peer (it must digest it). */
  ownToken: string | undefined;
  /** Token the peer sent (we digest it in our LoginRequest). */
  peerToken: string | undefined;
  /** sessionID the peer assigned: we put it on everything we send to it. */
  outboundSessionId: string | undefined;
  /** sessionID we assigned: the peer puts it on what it sends to us. */
  inboundSessionId: string | undefined;
  /** The peer proved the shared secret (its LoginRequest was valid). */
  peerAuthenticated = false;
  private waiters: Array<{ resolve: () => void; reject: (e: Error) => void }> = [];

  constructor(
    readonly domain: string,
    readonly url: string,
    readonly secret: string,
  ) {}

  whenUp(): Promise<void> {
    if (this.state === 'up') return Promise.resolve();
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  markUp(): void {
    this.state = 'up';
    const w = this.waiters;
    this.waiters = [];
    for (const x of w) x.resolve();
  }

  fail(reason: string): void {
    this.state = 'idle';
    this.outboundSessionId = undefined;
    const w = this.waiters;
    this.waiters = [];
    for (const x of w) x.reject(new Error(reason));
  }
}

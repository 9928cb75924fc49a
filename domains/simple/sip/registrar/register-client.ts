import type { IdSource } from '../../../../common/ids.ts';
import {
  type AuthorizationField,
  answerChallenge,
  applyAuthorization,
  DigestClientState,
  type DigestUserCredentials,
  preemptiveAuthorization,
} from '../auth/digest-client.ts';
import { SipHeaders, SipRequest, type SipResponse } from '../message/sip-message.ts';
import type { Uri } from '../message/uri.ts';
import { formatUri, parseUri, uriEquals } from '../message/uri-codec.ts';

// The UA side of registration (RFC 3261 §10.2) as a pure state object: it builds each REGISTER
// and digests each final response into an action; the caller sends, and arms the refresh timer
// at `refreshAt`. Same Call-ID for every REGISTER of this UA and a CSeq that grows by one
// (§10.2 "Call-ID ... SHOULD be the same", "CSeq ... MUST increment").

export interface RegisterClientOptions {
  /** Address-of-record, To and From (e.g. `sip:jane@domain2.lab`). */
  aor: string;
  /** Request-URI: the registrar's domain (e.g. `sip:domain2.lab`, §10.2 "Request-URI"). */
  registrar: string;
  /** Our Contact URI (e.g. `sip:jane@127.0.2.10:5060;transport=tcp`). */
  contact: string;
  /** Requested lifetime in seconds (default 3600, §10.2.1.1). */
  expires?: number;
  credentials?: DigestUserCredentials;
  ids: IdSource;
  /** Consecutive 401/407/423 retries before giving up (default 3). */
  maxRetries?: number;
}

export type RegisterAction =
  | { kind: 'registered'; expires: number; refreshAt: number; contacts: string[] }
  | { kind: 'unregistered' }
  /** Send `buildRegister()` again now (credentials added or expiry raised). */
  | { kind: 'retry'; because: 'challenge' | 'interval-too-brief' }
  | { kind: 'failed'; status: number; reason: string };

/** Seconds after a 2xx at which to refresh: half-way for short lifetimes, 30 s early otherwise. */
export function registerRefreshDelay(expires: number): number {
  return Math.max(expires / 2, expires - 30);
}

export class RegisterClientState {
  readonly callId: string;
  readonly fromTag: string;
  private cseq = 0;
  private expires: number;
  private readonly contactUri: Uri;
  private readonly aorUri: Uri;
  private readonly registrarUri: Uri;
  private readonly auth: DigestClientState;
  private pendingAuth: AuthorizationField[] = [];
  private retries = 0;
  private removing = false;

  constructor(private readonly options: RegisterClientOptions) {
    this.callId = options.ids.token(20);
    this.fromTag = options.ids.token(10);
    this.expires = options.expires ?? 3600;
    this.contactUri = parseUri(options.contact);
    this.aorUri = parseUri(options.aor);
    this.registrarUri = parseUri(options.registrar);
    this.auth = new DigestClientState(options.ids);
  }

  get requestedExpires(): number {
    return this.expires;
  }

  /** The next REGISTER (no Via: the transaction layer adds it). `unregister` sends Expires 0. */
  buildRegister(unregister = false): SipRequest {
    this.removing = unregister;
    this.cseq++;
    const expires = unregister ? 0 : this.expires;
    const headers = new SipHeaders([
      { name: 'To', value: `<${formatUri(this.aorUri)}>` },
      { name: 'From', value: `<${formatUri(this.aorUri)}>;tag=${this.fromTag}` },
      { name: 'Call-ID', value: this.callId },
      { name: 'CSeq', value: `${this.cseq} REGISTER` },
      { name: 'Max-Forwards', value: '70' },
      { name: 'Contact', value: `<${formatUri(this.contactUri)}>` },
      { name: 'Expires', value: String(expires) },
      { name: 'Content-Length', value: '0' },
    ]);
    const request = new SipRequest('REGISTER', this.registrarUri, headers);
    // Credentials answering the last challenge, else pre-emptive ones from the cached nonce (§22.1).
    const fields =
      this.pendingAuth.length > 0
        ? this.pendingAuth
        : this.options.credentials
          ? preemptiveAuthorization(request, this.options.credentials, this.auth)
          : [];
    this.pendingAuth = [];
    if (fields.length > 0) applyAuthorization(request, fields);
    return request;
  }

  /** Digests the final response to `request` (the REGISTER last built) at clock time `now` (ms). */
  onResponse(request: SipRequest, response: SipResponse, now: number): RegisterAction {
    const status = response.status;
    if (status >= 200 && status < 300) {
      this.retries = 0;
      if (this.removing) return { kind: 'unregistered' };
      const granted = this.grantedExpires(response);
      return {
        kind: 'registered',
        expires: granted,
        refreshAt: now + registerRefreshDelay(granted) * 1000,
        contacts: response.headers.getList('Contact').map((c) => c.trim()),
      };
    }
    if (++this.retries > (this.options.maxRetries ?? 3))
      return { kind: 'failed', status, reason: response.reason };
    if ((status === 401 || status === 407) && this.options.credentials) {
      // The challenge must be answered on a REGISTER carrying the new CSeq (§22.2): built by
      // buildRegister from the stored fields. The digest covers method and URI only, so the
      // fields computed against `request` stay valid for the next REGISTER.
      const fields = answerChallenge(request, response, this.options.credentials, this.auth);
      if (fields) {
        this.pendingAuth = fields;
        return { kind: 'retry', because: 'challenge' };
      }
    }
    if (status === 423) {
      // §10.2.8: retry with an expiry not below Min-Expires.
      const min = Number(response.headers.get('Min-Expires'));
      if (Number.isInteger(min) && min > 0 && min > this.expires && min <= 2 ** 32 - 1) {
        this.expires = min;
        return { kind: 'retry', because: 'interval-too-brief' };
      }
    }
    this.retries = 0;
    return { kind: 'failed', status, reason: response.reason };
  }

  /** §10.2.4: our Contact's `expires` in the 2xx, else the Expires header, else what we asked. */
  private grantedExpires(response: SipResponse): number {
    try {
      for (const c of response.contacts) {
        if (!uriEquals(c.uri, this.contactUri)) continue;
        const v = c.params.get('expires');
        if (v && /^\d{1,10}$/.test(v)) return Number(v);
      }
    } catch {
      // A malformed Contact list in the 2xx: fall back to Expires.
    }
    return response.expires ?? this.expires;
  }
}

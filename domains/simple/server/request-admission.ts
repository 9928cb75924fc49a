// Who may send PS2 a request, and as whom. A From in a trusted peer's domain (domain1.lab) is
// believed only from that peer's address — the IWF — and refused with 403 from anywhere else
// (DESIGN: "only the trusted IWF may originate requests that claim domain1.lab identities");
// a From in our own domain must prove itself with Digest (407, RFC 3261 §22.3), unless the
// request comes from PS2 itself (its RLS back-end subscriptions).
import type { DigestAuthenticator } from '../sip/auth/index.ts';
import type { IncomingRequest } from '../sip/core/index.ts';
import { aorKey } from '../sip/registrar/index.ts';

export interface AdmissionPolicy {
  domain: string;
  /** domain → the only address allowed to speak for it. */
  trustedPeers: ReadonlyMap<string, string>;
  /** Our own addresses (requests PS2 sends to itself). */
  selfAddresses: ReadonlySet<string>;
  /** Challenge local identities (default true). */
  requireAuth: boolean;
  proxyAuth: DigestAuthenticator;
}

export type Admission = { ok: true; identity: string; local: boolean } | { ok: false };

/** Admits the request (returning the identity it may act as) or answers it with the refusal. */
export function admit(incoming: IncomingRequest, policy: AdmissionPolicy): Admission {
  const request = incoming.request;
  const identity = aorKey(request.from.uri);
  if (identity === undefined) {
    incoming.reply(416, 'Unsupported URI Scheme');
    return { ok: false };
  }
  const domain = identity.slice(identity.lastIndexOf('@') + 1);
  const source = incoming.inbound.remote.address;
  const peer = policy.trustedPeers.get(domain);
  if (peer !== undefined) {
    if (source !== peer) {
      incoming.reply(403, `Forbidden - ${domain} identities only from the trusted peer`);
      return { ok: false };
    }
    return { ok: true, identity, local: false };
  }
  if (domain !== policy.domain) return { ok: true, identity, local: false };
  if (policy.selfAddresses.has(source) || !policy.requireAuth) return { ok: true, identity, local: true };
  const result = policy.proxyAuth.authenticate(request);
  if (!result.ok) {
    incoming.reply(result.status, result.reason, { headers: result.headers.map((h) => [h.name, h.value]) });
    return { ok: false };
  }
  // The Digest user must be the user the From names (RFC 3261 §22.3 leaves the binding to policy).
  const user = identity.slice(identity.indexOf(':') + 1, identity.lastIndexOf('@'));
  if (result.user.toLowerCase() !== user.toLowerCase()) {
    incoming.reply(403, 'Forbidden - From does not match the authenticated user');
    return { ok: false };
  }
  return { ok: true, identity, local: true };
}

import type { NameAddr } from '../message/name-addr.ts';
import type { SipRequest } from '../message/sip-message.ts';
import { isSipUri, type Uri } from '../message/uri.ts';
import { unescapeUriComponent } from '../message/uri-codec.ts';
import {
  type Binding,
  formatBindingContact,
  type LocationService,
  remainingSeconds,
  type SourceAddress,
} from './location-service.ts';

// REGISTER processing at a registrar, RFC 3261 §10.3 steps 1-8, as a pure function over the
// location service: the caller has already authenticated and authorised the request (steps 3-4,
// see auth/) and sends the returned response parts. The update is atomic (§10.3: "the processing
// of a REGISTER request MUST be atomic"): every Contact is checked before any binding changes.

export interface RegistrarPolicy {
  /** Shortest accepted non-zero expiry; less gets 423 + Min-Expires (§10.3 step 7). */
  minExpires: number;
  /** Longest granted expiry; more is cut down to this (§10.3 step 7). */
  maxExpires: number;
  /** Used when neither the Contact nor the request has an expiry (§10.2.1.1: 3600). */
  defaultExpires: number;
  /** Served domains (lower-case); when set, other Request-URI domains get 403 and other AORs 404. */
  domains?: readonly string[];
}

export const DEFAULT_REGISTRAR_POLICY: RegistrarPolicy = {
  minExpires: 60,
  maxExpires: 3600,
  defaultExpires: 3600,
};

export interface ResponseHeader {
  name: string;
  value: string;
}

/** What the caller puts on the response (it adds Via, From, To-tag, Call-ID, CSeq itself). */
export interface RegisterOutcome {
  status: number;
  reason: string;
  headers: ResponseHeader[];
  /** The canonical AOR the request addressed, when it got that far. */
  aor?: string;
}

export interface RegisterContext {
  policy?: Partial<RegistrarPolicy>;
  /** The transport-level source, noted per binding. */
  source?: SourceAddress;
}

const MAX_EXPIRES_VALUE = 2 ** 32 - 1;

/**
 * The AOR key: `scheme:user@host`, host lower-cased, user unescaped (§10.3 step 5 "converted to
 * canonical form": URI parameters, password and port dropped, §19.1.4 escape-insensitive user).
 */
export function aorKey(uri: Uri): string | undefined {
  if (!isSipUri(uri)) return undefined;
  const user = uri.user === undefined ? '' : `${unescapeUriComponent(uri.user)}@`;
  return `${uri.scheme}:${user}${uri.host.toLowerCase()}`;
}

function fail(status: number, reason: string, headers: ResponseHeader[] = [], aor?: string): RegisterOutcome {
  return aor === undefined ? { status, reason, headers } : { status, reason, headers, aor };
}

/** RFC 3261 §20.10 qvalue: "0" ["." 0*3DIGIT] / "1" ["." 0*3("0")]. */
function parseQ(value: string | null | undefined): number | undefined | 'bad' {
  if (value === undefined) return undefined;
  if (value === null || !/^(0(\.\d{0,3})?|1(\.0{0,3})?)$/.test(value)) return 'bad';
  return Number(value);
}

function parseDeltaSeconds(value: string | null | undefined): number | undefined {
  if (value === undefined || value === null || !/^\d{1,12}$/.test(value)) return undefined;
  return Math.min(Number(value), MAX_EXPIRES_VALUE);
}

interface PlannedContact {
  contact: NameAddr;
  expires: number;
  q: number | undefined;
}

/**
 * Processes a REGISTER against `store` at clock time `now` (ms). Returns the status, reason and
 * the headers of the response: on 200 every current binding as `Contact: <uri>;expires=N`
 * (§10.3 step 8), on 423 `Min-Expires`.
 */
export function processRegister(
  request: SipRequest,
  store: LocationService,
  now: number,
  context: RegisterContext = {},
): RegisterOutcome {
  const policy = { ...DEFAULT_REGISTRAR_POLICY, ...context.policy };
  if (request.method !== 'REGISTER')
    return fail(405, 'Method Not Allowed', [{ name: 'Allow', value: 'REGISTER' }]);

  // Step 1: do we hold bindings for the Request-URI's domain?
  if (
    policy.domains &&
    (!isSipUri(request.uri) || !policy.domains.includes(request.uri.host.toLowerCase()))
  ) {
    return fail(403, 'Forbidden - Domain Not Served');
  }

  let to: NameAddr;
  let callId: string;
  let cseq: number;
  try {
    to = request.to;
    callId = request.callId;
    cseq = request.cseq.seq;
  } catch {
    return fail(400, 'Bad Request - Malformed To, Call-ID or CSeq');
  }
  // Step 5: the AOR from To, in canonical form; it must belong to a served domain.
  const aor = aorKey(to.uri);
  if (aor === undefined) return fail(404, 'Not Found - AOR Is Not A SIP URI');
  if (policy.domains && isSipUri(to.uri) && !policy.domains.includes(to.uri.host.toLowerCase())) {
    return fail(404, 'Not Found - AOR Not In This Domain', [], aor);
  }

  const requestExpires = request.headers.has('Expires')
    ? parseDeltaSeconds(request.headers.get('Expires'))
    : undefined;
  const contactValues = request.headers.getList('Contact').map((v) => v.trim());
  const path = request.headers.getList('Path').map((v) => v.trim());

  // Step 6: `Contact: *` removes every binding; only with Expires: 0 and as the only Contact.
  if (contactValues.includes('*')) {
    if (contactValues.length !== 1 || requestExpires !== 0)
      return fail(400, 'Bad Request - Invalid Wildcard Contact', [], aor);
    for (const b of store.lookup(aor, now)) {
      if (b.callId === callId && cseq <= b.cseq) return fail(400, 'Bad Request - CSeq Out Of Order', [], aor);
    }
    store.removeAll(aor);
    return ok(store, aor, now, request, path);
  }

  let contacts: NameAddr[];
  try {
    contacts = request.contacts;
  } catch {
    return fail(400, 'Bad Request - Malformed Contact', [], aor);
  }
  if (contacts.length > store.maxBindingsPerAor) return fail(403, 'Forbidden - Too Many Contacts', [], aor);

  // Step 7, first pass: compute every expiry and check every ordering rule before changing anything.
  const planned: PlannedContact[] = [];
  for (const contact of contacts) {
    const fromParam = contact.params.has('expires')
      ? parseDeltaSeconds(contact.params.get('expires'))
      : undefined;
    let expires = fromParam ?? requestExpires ?? policy.defaultExpires;
    if (expires > 0 && expires < policy.minExpires) {
      return fail(
        423,
        'Interval Too Brief',
        [{ name: 'Min-Expires', value: String(policy.minExpires) }],
        aor,
      );
    }
    if (expires > policy.maxExpires) expires = policy.maxExpires;
    const q = parseQ(contact.params.get('q'));
    if (q === 'bad') return fail(400, 'Bad Request - Invalid q-value', [], aor);
    const existing = store.find(aor, contact);
    // Step 7: same Call-ID needs a higher CSeq, else the whole update is aborted.
    if (existing && existing.callId === callId && cseq <= existing.cseq) {
      return fail(400, 'Bad Request - CSeq Out Of Order', [], aor);
    }
    planned.push({ contact, expires, q });
  }

  const adds = planned.filter((p) => p.expires > 0 && !store.find(aor, p.contact)).length;
  if (store.lookup(aor, now).length + adds > store.maxBindingsPerAor) {
    return fail(403, 'Forbidden - Too Many Contacts', [], aor);
  }
  if (adds > 0 && store.lookup(aor, now).length === 0 && store.aorCount >= store.maxAors) {
    return fail(503, 'Service Unavailable - Location Table Full', [], aor);
  }

  // Second pass: apply.
  for (const p of planned) {
    if (p.expires === 0) {
      store.remove(aor, p.contact);
      continue;
    }
    const params = p.contact.params.clone();
    params.delete('expires');
    const binding: Binding = {
      aor,
      contact: { ...p.contact, params },
      q: p.q,
      expiresAt: now + p.expires * 1000,
      callId,
      cseq,
      path,
      source: context.source,
      instanceId: instanceIdOf(p.contact),
    };
    store.put(binding);
  }
  return ok(store, aor, now, request, path);
}

function instanceIdOf(contact: NameAddr): string | undefined {
  const v = contact.params.get('+sip.instance');
  return v === undefined || v === null ? undefined : v.replace(/^"|"$/g, '');
}

/** Step 8: 200 listing all current bindings with their remaining expiry. */
function ok(
  store: LocationService,
  aor: string,
  now: number,
  request: SipRequest,
  path: string[],
): RegisterOutcome {
  const headers: ResponseHeader[] = store
    .lookup(aor, now)
    .map((b) => ({ name: 'Contact', value: formatBindingContact(b, remainingSeconds(b, now)) }));
  // RFC 3327 §5.3: the Path values go back in the 200, when the UA said it supports path.
  const supported = request.headers
    .getList('Supported')
    .map((v) => v.trim().toLowerCase())
    .includes('path');
  if (path.length > 0 && supported) for (const p of path) headers.push({ name: 'Path', value: p });
  return { status: 200, reason: 'OK', headers, aor };
}

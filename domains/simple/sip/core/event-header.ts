import { Params } from '../message/params.ts';

// RFC 6665 §8.2.1 Event header: `presence;id=1`. Package names compare case-sensitively per the
// ABNF's token, but every implementation we interoperate with lower-cases them; we compare
// case-insensitively and keep the `id` parameter exact (§8.2.1: "id" identifies the subscription).

export interface EventHeader {
  package: string;
  id: string | undefined;
  params: Params;
}

export function parseEventHeader(value: string | undefined): EventHeader | undefined {
  if (value === undefined) return undefined;
  const parts = value.split(';');
  const pkg = parts[0]!.trim();
  if (!/^[A-Za-z0-9!%'*+\-._`~]+$/.test(pkg)) return undefined;
  const params = new Params();
  for (const raw of parts.slice(1)) {
    const [name, ...rest] = raw.split('=');
    const n = name!.trim();
    if (!n) return undefined;
    params.set(n, rest.length ? rest.join('=').trim() : null);
  }
  const id = params.get('id');
  return { package: pkg, id: typeof id === 'string' ? id : undefined, params };
}

export function sameEvent(a: EventHeader, b: EventHeader): boolean {
  return a.package.toLowerCase() === b.package.toLowerCase() && a.id === b.id;
}

export type SubscriptionStateValue = 'active' | 'pending' | 'terminated';

/** RFC 6665 §4.1.3 / §8.2.3 reasons, plus extension values kept as strings. */
export type TerminationReason =
  | 'deactivated'
  | 'probation'
  | 'rejected'
  | 'timeout'
  | 'giveup'
  | 'noresource'
  | 'invariant'
  | (string & {});

export interface SubscriptionStateHeader {
  state: SubscriptionStateValue | (string & {});
  expires?: number;
  reason?: TerminationReason;
  retryAfter?: number;
}

export function parseSubscriptionState(value: string | undefined): SubscriptionStateHeader | undefined {
  const event = parseEventHeader(value);
  if (!event) return undefined;
  const out: SubscriptionStateHeader = { state: event.package.toLowerCase() };
  const num = (v: string | null | undefined) =>
    typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : undefined;
  const expires = num(event.params.get('expires'));
  if (expires !== undefined) out.expires = expires;
  const reason = event.params.get('reason');
  if (typeof reason === 'string') out.reason = reason.toLowerCase();
  const retry = num(event.params.get('retry-after'));
  if (retry !== undefined) out.retryAfter = retry;
  return out;
}

export function formatSubscriptionState(s: SubscriptionStateHeader): string {
  let out = s.state;
  if (s.state !== 'terminated' && s.expires !== undefined) out += `;expires=${s.expires}`;
  if (s.state === 'terminated' && s.reason) out += `;reason=${s.reason}`;
  if (s.retryAfter !== undefined) out += `;retry-after=${s.retryAfter}`;
  return out;
}

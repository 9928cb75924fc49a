// WV addresses (imps.md §11): wv:[user][/resource][@domain], case-insensitive; bare user@domain
// is accepted and prefixed; an id without a domain belongs to the server's home domain [I].

export interface WvAddress {
  user: string;
  resource?: string;
  domain: string;
}

/** Canonical form `wv:user[/resource]@domain`, lower-cased; undefined when not an address at all. */
export function normalizeWvId(raw: string, homeDomain: string): string | undefined {
  const parsed = parseWvId(raw, homeDomain);
  if (parsed === undefined) return undefined;
  return formatWvId(parsed);
}

export function parseWvId(raw: string, homeDomain: string): WvAddress | undefined {
  let s = raw.trim().toLowerCase();
  if (s.startsWith('wv:')) s = s.slice(3);
  // imps.md §11: printable ASCII 32-126 only; '@' at most once.
  if (s === '' || s.length > 256 || !/^[\x21-\x7e]+$/.test(s)) return undefined;
  const at = s.indexOf('@');
  if (at !== s.lastIndexOf('@')) return undefined;
  const local = at < 0 ? s : s.slice(0, at);
  const domain = at < 0 ? homeDomain.toLowerCase() : s.slice(at + 1);
  if (domain === '' || domain.includes('/')) return undefined;
  const slash = local.indexOf('/');
  const user = slash < 0 ? local : local.slice(0, slash);
  const resource = slash < 0 ? undefined : local.slice(slash + 1);
  if (resource !== undefined && resource === '') return undefined;
  return resource === undefined ? { user, domain } : { user, resource, domain };
}

export function formatWvId(a: WvAddress): string {
  return `wv:${a.user}${a.resource === undefined ? '' : `/${a.resource}`}@${a.domain}`;
}

export function domainOf(wvId: string): string {
  const at = wvId.lastIndexOf('@');
  return at < 0 ? '' : wvId.slice(at + 1);
}

/** The owner of a contact list id `wv:john/friends@d` -> `wv:john@d`. */
export function ownerOfList(listId: string): string | undefined {
  const m = /^wv:([^/@]*)\/[^@]+@(.+)$/.exec(listId);
  return m === null ? undefined : `wv:${m[1]}@${m[2]}`;
}

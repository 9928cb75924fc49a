// The IMPS publisher's presence authorization as one value (imps.md §3.2, §6.4): attribute
// lists (proactive), block and grant lists, reactive decisions. The IWF's SSP face and PS1 fill
// it in; the mappers turn it into pres-rules (RFC 5025) and back. Identities are wv: addresses.

export interface ImpsPresencePolicy {
  /** CreateAttributeList with UserID, and PresenceAuth-User Acceptance T with its PresenceSubList. */
  userGrants: Array<{ userId: string; attributes: string[] }>;
  /** CreateAttributeList with ContactList; `members` resolved by the caller (mappers do no lookups). */
  contactListGrants: Array<{ contactList: string; members: string[]; attributes: string[] }>;
  /** CreateAttributeList with DefaultList=T: everyone else. */
  defaultGrant?: string[];
  /** In-use BlockList (imps.md §6.4): no presence at all. */
  blocked: string[];
  /** In-use GrantList (imps.md §6.4): only these may see presence. */
  grantList?: string[];
  /** PresenceAuth-User Acceptance F: not asked again, sees only what a default grant gives. */
  denied: string[];
  /** The publisher's client authorizes reactively (1.2 REACT, 1.3 DefaultNotify/UserNotify). */
  reactive: boolean;
}

export function emptyPolicy(): ImpsPresencePolicy {
  return { userGrants: [], contactListGrants: [], blocked: [], denied: [], reactive: false };
}

/** What IMPS decides for one watcher (imps.md §3.2: user > contact list > default > none). */
export type ImpsDecision = { kind: 'grant'; attributes: string[] } | { kind: 'reactive' } | { kind: 'block' };

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** The reference resolution of imps.md §3.2 (used by PS1-side logic and the tests). */
export function resolveImpsDecision(policy: ImpsPresencePolicy, watcher: string): ImpsDecision {
  if (policy.blocked.some((b) => same(b, watcher))) return { kind: 'block' };
  if (policy.grantList && !policy.grantList.some((g) => same(g, watcher))) return { kind: 'block' };
  const user = policy.userGrants.find((g) => same(g.userId, watcher));
  if (user) return { kind: 'grant', attributes: user.attributes };
  const list = policy.contactListGrants.find((g) => g.members.some((m) => same(m, watcher)));
  if (list) return { kind: 'grant', attributes: list.attributes };
  if (policy.defaultGrant) return { kind: 'grant', attributes: policy.defaultGrant };
  if (policy.reactive && !policy.denied.some((d) => same(d, watcher))) return { kind: 'reactive' };
  return { kind: 'block' };
}

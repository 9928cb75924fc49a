// CSP 1.3 wraps ids in lists (imps.md §3.1, §13 item 8: "1.3 id-list wrappers `UserIDList`,
// `ContactListIDList`"). The codec keeps them as extension elements of 1.2-shaped primitives;
// these helpers read them, so a handler sees the same ids whatever version the client spoke.
import type { XmlElement } from '../../../common/xml/xml-node.ts';
import { textOf } from '../csp/model/schema.ts';

interface WithExtensions {
  $extensions?: XmlElement[];
}

/** Texts of `<item>` children of every `<wrapper>` extension, e.g. UserIDList/UserID. */
export function listedIds(body: WithExtensions, wrapper: string, item: string): string[] {
  const out: string[] = [];
  for (const e of body.$extensions ?? []) {
    if (e.local !== wrapper) continue;
    for (const c of e.children) if (typeof c !== 'string' && c.local === item) out.push(textOf(c).trim());
  }
  return out;
}

/** User ids of a request: 1.1/1.2 `User*` plus 1.3 `UserIDList`. */
export function requestUsers(
  body: WithExtensions & { users?: Array<{ userId?: string }> },
): Array<{ userId?: string }> {
  return [...(body.users ?? []), ...listedIds(body, 'UserIDList', 'UserID').map((userId) => ({ userId }))];
}

/** Contact list ids of a request: `ContactList*` plus 1.3 `ContactListIDList`. */
export function requestLists(body: WithExtensions & { contactLists?: string[] }): string[] {
  return [...(body.contactLists ?? []), ...listedIds(body, 'ContactListIDList', 'ContactList')];
}

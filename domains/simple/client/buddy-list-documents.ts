// Jane's buddy list as XCAP documents (RFC 4826): the members are a named <list> of her
// resource-lists document, and a <service> of her rls-services document points at it, so that a
// SUBSCRIBE to the service URI reaches PS2's RLS (docs/ps2.md "Resource List Server"). Pure: the
// terminal reads and writes the documents (simple-terminal.ts).
import {
  collectMembers,
  entry,
  list,
  type ResourceList,
  type ResourceLists,
} from '../payloads/resource-lists.ts';
import type { RlsServices } from '../payloads/rls-services.ts';

/** `sip:jane-buddies@domain2.lab` → `jane-buddies`: the <list name> that holds its members. */
export function listNameOf(serviceUri: string): string {
  const m = /^[a-z]+:([^@;]+)@/i.exec(serviceUri);
  return (m?.[1] ?? serviceUri).replace(/[^A-Za-z0-9._~-]/g, '_');
}

/**
 * The XCAP URI of that list in the owner's resource-lists document (RFC 4826 §4.2 <resource-list>:
 * "an HTTP URI … that identifies a list"), with the node selector of RFC 4825 §6.3.
 */
export function resourceListRef(xcapRoot: string, xui: string, name: string): string {
  const selector = encodeURIComponent(`resource-lists/list[@name="${name}"]`).replace(/%2F/g, '/');
  return `${xcapRoot}/resource-lists/users/${encodeURIComponent(xui)}/index/~~/${selector}`;
}

/** The document with the top-level list `name` holding exactly `members` (others kept as they are). */
export function withListMembers(
  doc: ResourceLists | undefined,
  name: string,
  members: string[],
): ResourceLists {
  const lists = (doc?.lists ?? []).filter((l) => l.name !== name);
  return {
    lists: [
      ...lists,
      list(
        name,
        members.map((uri) => entry(uri)),
      ),
    ],
  };
}

export function listMembers(doc: ResourceLists | undefined, name: string): string[] | undefined {
  const found: ResourceList | undefined = doc?.lists.find((l) => l.name === name);
  return found === undefined ? undefined : collectMembers(found).uris;
}

/** The document with a presence service `serviceUri` backed by `ref` (an existing one replaced). */
export function withService(doc: RlsServices | undefined, serviceUri: string, ref: string): RlsServices {
  const services = (doc?.services ?? []).filter((s) => s.uri !== serviceUri);
  return {
    services: [...services, { uri: serviceUri, resourceList: ref, packages: ['presence'], extensions: [] }],
  };
}

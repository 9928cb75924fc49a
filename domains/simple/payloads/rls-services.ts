// RFC 4826 §4 RLS services (application/rls-services+xml): each <service uri> is a list URI the
// RLS answers for, backed by an XCAP <resource-list> reference or an inline <list>, optionally
// restricted to some event <packages>.
import { children, el, text } from '../../../common/xml/query.ts';
import { serializeXml } from '../../../common/xml/serialize.ts';
import type { XmlElement } from '../../../common/xml/xml-node.ts';
import { NS } from './namespaces.ts';
import { decodeXml, invalid, type PayloadLimits, requireAttr, xmlns } from './payload-codec.ts';
import type { PayloadResult } from './payload-error.ts';
import { type ResourceList, readList, writeList } from './resource-lists.ts';

export const RLS_SERVICES_CONTENT_TYPE = 'application/rls-services+xml';

export interface RlsService {
  uri: string;
  /** Exactly one of resourceList (an XCAP URI) and list (inline), per rlsservices.xsd. */
  resourceList?: string;
  list?: ResourceList;
  /** Event packages the service is for; empty = any (RFC 4826 §4.3). */
  packages: string[];
  extensions: XmlElement[];
}

export interface RlsServices {
  services: RlsService[];
}

function readService(e: XmlElement): RlsService {
  const s: RlsService = { uri: requireAttr(e, 'uri'), packages: [], extensions: [] };
  for (const c of children(e)) {
    if (c.ns !== NS.rlsServices) {
      s.extensions.push(c);
      continue;
    }
    if (c.local === 'resource-list' && s.list === undefined && s.resourceList === undefined) {
      s.resourceList = text(c).trim();
    } else if (c.local === 'list' && s.list === undefined && s.resourceList === undefined) {
      // The inline list is of rl:listType but its own elements live in the rls-services namespace
      // only at the top; children are resource-lists elements (RFC 4826 §4.2).
      s.list = readList({ ...c, ns: NS.resourceLists });
    } else if (c.local === 'packages') {
      for (const p of children(c)) {
        if (p.ns === NS.rlsServices && p.local === 'package') s.packages.push(text(p).trim());
        else if (p.ns === NS.rlsServices) invalid(`<${p.name}> is not allowed in <packages>`);
      }
    } else invalid(`<${c.name}> is not allowed in <service> here`);
  }
  if (s.list === undefined && s.resourceList === undefined) {
    invalid(`<service uri="${s.uri}"> needs <resource-list> or <list> (RFC 4826 §4.2)`);
  }
  return s;
}

function fromXml(root: XmlElement): RlsServices {
  const services: RlsService[] = [];
  const uris = new Set<string>();
  for (const c of children(root)) {
    if (c.ns !== NS.rlsServices || c.local !== 'service')
      invalid(`<${c.name}> is not allowed in <rls-services>`);
    const s = readService(c);
    // RFC 4826 §4.4: a service URI is unique (server-wide; here at least within the document).
    if (uris.has(s.uri)) invalid(`service uri "${s.uri}" repeats`);
    uris.add(s.uri);
    services.push(s);
  }
  return { services };
}

export function parseRlsServices(input: Buffer | string, limits?: PayloadLimits): PayloadResult<RlsServices> {
  return decodeXml(input, limits, [{ ns: NS.rlsServices, local: 'rls-services' }], fromXml);
}

export function rlsServicesToXml(doc: RlsServices): XmlElement {
  return el(
    NS.rlsServices,
    'rls-services',
    [xmlns('', NS.rlsServices), xmlns('rl', NS.resourceLists)],
    doc.services.map((s) => {
      let backing: XmlElement;
      if (s.list) {
        // The <list> element itself is in the rls-services namespace, its contents in resource-lists'.
        const inner = writeList(s.list, NS.resourceLists, 'rl:list', 'rl');
        backing = { ...inner, name: 'list', local: 'list', ns: NS.rlsServices };
      } else backing = el(NS.rlsServices, 'resource-list', {}, [s.resourceList ?? '']);
      return el(NS.rlsServices, 'service', { uri: s.uri }, [
        backing,
        s.packages.length > 0 &&
          el(
            NS.rlsServices,
            'packages',
            {},
            s.packages.map((p) => el(NS.rlsServices, 'package', {}, [p])),
          ),
        ...s.extensions,
      ]);
    }),
  );
}

export function serializeRlsServices(doc: RlsServices, options: { indent?: string } = {}): string {
  return serializeXml(rlsServicesToXml(doc), options);
}

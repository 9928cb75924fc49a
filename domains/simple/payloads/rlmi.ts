// RFC 4662 §5 Resource List Meta-Information (application/rlmi+xml): the root part of an RLS
// NOTIFY. `version` counts NOTIFYs of the subscription; `fullState` says whether every resource
// is listed; each <instance cid> points at the MIME part holding that resource's state.
import { attr, attribute, children, el } from '../../../common/xml/query.ts';
import { serializeXml } from '../../../common/xml/serialize.ts';
import type { XmlAttribute, XmlElement } from '../../../common/xml/xml-node.ts';
import { NS } from './namespaces.ts';
import {
  decodeXml,
  invalid,
  type Note,
  oneOf,
  type PayloadLimits,
  parseBoolean,
  parseUnsignedInt,
  readNote,
  requireAttr,
  writeNote,
  xmlns,
} from './payload-codec.ts';
import type { PayloadResult } from './payload-error.ts';

export const RLMI_CONTENT_TYPE = 'application/rlmi+xml';

export type InstanceState = 'active' | 'pending' | 'terminated';

export interface RlmiInstance {
  id: string;
  state: InstanceState;
  /** With state terminated: an RFC 6665 reason (deactivated, probation, rejected, timeout, giveup, noresource). */
  reason?: string;
  /** Content-ID (without angle brackets) of the part carrying this instance's state. */
  cid?: string;
  extensions: XmlElement[];
}

export interface RlmiResource {
  uri: string;
  names: Note[];
  instances: RlmiInstance[];
}

export interface RlmiList {
  uri: string;
  version: number;
  fullState: boolean;
  cid?: string;
  names: Note[];
  resources: RlmiResource[];
}

function fromXml(root: XmlElement): RlmiList {
  const list: RlmiList = {
    uri: requireAttr(root, 'uri'),
    version: parseUnsignedInt(requireAttr(root, 'version'), 'version'),
    fullState: parseBoolean(requireAttr(root, 'fullState'), 'fullState'),
    names: [],
    resources: [],
  };
  const cid = attr(root, 'cid');
  if (cid !== undefined) list.cid = cid;
  for (const c of children(root)) {
    if (c.ns !== NS.rlmi) invalid(`<${c.name}> is not allowed in <list>`);
    if (c.local === 'name') list.names.push(readNote(c));
    else if (c.local === 'resource') {
      const r: RlmiResource = { uri: requireAttr(c, 'uri'), names: [], instances: [] };
      for (const x of children(c)) {
        if (x.ns === NS.rlmi && x.local === 'name') r.names.push(readNote(x));
        else if (x.ns === NS.rlmi && x.local === 'instance') {
          const i: RlmiInstance = {
            id: requireAttr(x, 'id'),
            state: oneOf(
              requireAttr(x, 'state'),
              ['active', 'pending', 'terminated'] as const,
              'instance state',
            ),
            extensions: children(x),
          };
          const reason = attr(x, 'reason');
          const icid = attr(x, 'cid');
          if (reason !== undefined) i.reason = reason;
          if (icid !== undefined) i.cid = icid;
          r.instances.push(i);
        } else invalid(`<${x.name}> is not allowed in <resource>`);
      }
      list.resources.push(r);
    } else invalid(`<${c.name}> is not allowed in <list>`);
  }
  return list;
}

export function parseRlmi(input: Buffer | string, limits?: PayloadLimits): PayloadResult<RlmiList> {
  return decodeXml(input, limits, [{ ns: NS.rlmi, local: 'list' }], fromXml);
}

export function rlmiToXml(list: RlmiList): XmlElement {
  const rootAttrs: XmlAttribute[] = [
    xmlns('', NS.rlmi),
    attribute('uri', list.uri),
    attribute('version', String(list.version)),
    attribute('fullState', String(list.fullState)),
  ];
  if (list.cid !== undefined) rootAttrs.push(attribute('cid', list.cid));
  return el(NS.rlmi, 'list', rootAttrs, [
    ...list.names.map((n) => writeNote(NS.rlmi, 'name', n)),
    ...list.resources.map((r) =>
      el(NS.rlmi, 'resource', { uri: r.uri }, [
        ...r.names.map((n) => writeNote(NS.rlmi, 'name', n)),
        ...r.instances.map((i) =>
          el(NS.rlmi, 'instance', { id: i.id, state: i.state, reason: i.reason, cid: i.cid }, i.extensions),
        ),
      ]),
    ),
  ]);
}

export function serializeRlmi(list: RlmiList, options: { indent?: string } = {}): string {
  return serializeXml(rlmiToXml(list), options);
}

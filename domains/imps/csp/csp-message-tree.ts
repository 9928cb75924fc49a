// CspMessage <-> XmlElement tree (imps.md §1.1). The reader checks the envelope and answers
// every problem with a CSP status; the writer builds the tree for any target version, moving
// Poll between TransactionDescriptor (1.1) and Session (1.2+) and renaming namespaces.
import type { XmlAttribute, XmlElement, XmlNode } from '../../../common/xml/xml-node.ts';
import { type CspDecodeError, cspError } from './csp-errors.ts';
import type { CspEncoding } from './csp-version.ts';
import { CSP_NAMESPACES, type CspVersion, parseCspNamespace } from './csp-version.ts';
import type {
  CspEnvelope,
  CspMessage,
  CspTransaction,
  SessionType,
  TransactionMode,
} from './model/envelope.ts';
import {
  type CspPrimitive,
  isKnownPrimitiveName,
  isTypedPrimitiveName,
  PRIMITIVE_SCHEMAS,
} from './model/primitives.ts';
import {
  BadParameter,
  type Model,
  readStruct,
  type Struct,
  textOf,
  type WriteContext,
  writeStruct,
  XMLNS_NS,
} from './model/schema.ts';

export type ReadResult = { ok: true; message: CspMessage } | { ok: false; error: CspDecodeError };

function elementChildren(el: XmlElement): XmlElement[] {
  const out: XmlElement[] = [];
  for (const c of el.children) if (typeof c !== 'string') out.push(c);
  return out;
}

/** A primitive element whose model was already read (the WBXML fast path, wbxml-decoder.ts). */
export interface PrebuiltPrimitive {
  element: XmlElement;
  body: Record<string, unknown>;
}

class Refuse {
  constructor(readonly error: CspDecodeError) {}
}

/**
 * Reads a CSP message from its tree. `fallbackVersion` (the WBXML public id) is used only when the
 * root has no namespace at all; a namespace of an unknown version is 505 (imps.md §7).
 */
export function readCspMessage(
  root: XmlElement,
  encoding: CspEncoding,
  fallbackVersion?: CspVersion,
  prebuilt?: PrebuiltPrimitive,
): ReadResult {
  try {
    return { ok: true, message: read(root, encoding, fallbackVersion, prebuilt) };
  } catch (e) {
    if (e instanceof Refuse) return { ok: false, error: e.error };
    if (e instanceof BadParameter) return { ok: false, error: cspError('CSP_ERR_BAD_PARAMETER', e.detail) };
    return { ok: false, error: cspError('CSP_ERR_BAD_ENVELOPE', String((e as Error)?.message ?? e)) };
  }
}

function refuse(...args: Parameters<typeof cspError>): never {
  throw new Refuse(cspError(...args));
}

function read(
  root: XmlElement,
  encoding: CspEncoding,
  fallbackVersion: CspVersion | undefined,
  prebuilt: PrebuiltPrimitive | undefined,
): CspMessage {
  if (root.local !== 'WV-CSP-Message') refuse('CSP_ERR_NOT_CSP', `root element is ${root.local}`);
  let version: CspVersion;
  if (root.ns === '') {
    if (fallbackVersion === undefined) refuse('CSP_ERR_NOT_CSP', 'WV-CSP-Message has no CSP namespace');
    version = fallbackVersion;
  } else {
    const parsed = parseCspNamespace(root.ns);
    if (parsed === undefined || parsed.kind !== 'csp') refuse('CSP_ERR_NOT_CSP', `namespace ${root.ns}`);
    if (parsed.version === undefined) refuse('CSP_ERR_VERSION_NOT_SUPPORTED', `CSP ${parsed.versionText}`);
    version = parsed.version;
  }
  const envelope = readSession(root, version, prebuilt);
  const first = envelope.transactions[0]!;
  return { version, encoding, envelope, primitive: first.primitive };
}

function standardXmlns(a: XmlAttribute): boolean {
  return a.name === 'xmlns' && parseCspNamespace(a.value) !== undefined;
}

function bool(el: XmlElement): boolean {
  const v = textOf(el).trim();
  if (v === 'T') return true;
  if (v === 'F') return false;
  throw new BadParameter(`${el.local} must be T or F`);
}

function readSession(
  root: XmlElement,
  version: CspVersion,
  prebuilt: PrebuiltPrimitive | undefined,
): CspEnvelope {
  const rootAttributes = root.attributes.filter((a) => !standardXmlns(a));
  const session = elementChildren(root).find((c) => c.local === 'Session');
  if (session === undefined) refuse('CSP_ERR_BAD_ENVELOPE', 'no Session');
  let sessionType: SessionType | undefined;
  let sessionId: string | undefined;
  const transactions: CspTransaction[] = [];
  const env: Partial<CspEnvelope> = {};
  const extensions: XmlElement[] = [];
  for (const c of elementChildren(root)) if (c !== session) extensions.push(c);
  for (const c of elementChildren(session)) {
    switch (c.local) {
      case 'SessionDescriptor':
        for (const d of elementChildren(c)) {
          if (d.local === 'SessionType') {
            const t = textOf(d).trim();
            if (t !== 'Inband' && t !== 'Outband')
              refuse('CSP_ERR_BAD_ENVELOPE', `SessionType "${t.slice(0, 20)}"`);
            sessionType = t;
          } else if (d.local === 'SessionID') sessionId = textOf(d);
          else extensions.push(d);
        }
        break;
      case 'Transaction':
        transactions.push(readTransaction(c, version, prebuilt));
        break;
      case 'Poll':
        env.poll = bool(c);
        break;
      case 'CIR':
        env.cir = bool(c);
        break;
      default:
        extensions.push(c);
    }
  }
  if (sessionType === undefined) refuse('CSP_ERR_BAD_ENVELOPE', 'no SessionDescriptor/SessionType');
  if (transactions.length === 0) refuse('CSP_ERR_BAD_ENVELOPE', 'no Transaction');
  const out: CspEnvelope = { sessionType, transactions };
  if (sessionId !== undefined) out.sessionId = sessionId;
  if (env.poll !== undefined) out.poll = env.poll;
  if (env.cir !== undefined) out.cir = env.cir;
  if (rootAttributes.length > 0) out.$attributes = rootAttributes;
  if (extensions.length > 0) out.$extensions = extensions;
  return out;
}

function readTransaction(
  tx: XmlElement,
  version: CspVersion,
  prebuilt: PrebuiltPrimitive | undefined,
): CspTransaction {
  let mode: TransactionMode | undefined;
  let primitive: CspPrimitive | undefined;
  const out: Partial<CspTransaction> = {};
  const extensions: XmlElement[] = [];
  for (const c of elementChildren(tx)) {
    if (c.local === 'TransactionDescriptor') {
      for (const t of c.children)
        if (typeof t === 'string' && t.trim() !== '') out.$descriptorText = (out.$descriptorText ?? '') + t;
      for (const d of elementChildren(c)) {
        if (d.local === 'TransactionMode') {
          const m = textOf(d).trim();
          if (m !== 'Request' && m !== 'Response')
            refuse('CSP_ERR_BAD_ENVELOPE', `TransactionMode "${m.slice(0, 20)}"`);
          mode = m;
        } else if (d.local === 'TransactionID') out.transactionId = textOf(d);
        else if (d.local === 'Poll') out.poll = bool(d);
        else if (d.local === 'SegmentInfo') out.segmentInfo = d;
        else extensions.push(d);
      }
    } else if (c.local === 'TransactionContent') primitive = readContent(c, version, prebuilt);
    else if (c.local === 'ExtBlock') {
      if (out.extBlocks === undefined) out.extBlocks = [];
      out.extBlocks.push(c);
    } else extensions.push(c);
  }
  if (mode === undefined) refuse('CSP_ERR_BAD_ENVELOPE', 'no TransactionDescriptor/TransactionMode');
  if (primitive === undefined) refuse('CSP_ERR_BAD_ENVELOPE', 'no TransactionContent');
  const result: CspTransaction = { mode, primitive };
  if (out.transactionId !== undefined) result.transactionId = out.transactionId;
  if (out.poll !== undefined) result.poll = out.poll;
  if (out.segmentInfo !== undefined) result.segmentInfo = out.segmentInfo;
  if (out.extBlocks !== undefined) result.extBlocks = out.extBlocks;
  if (out.$descriptorText !== undefined) result.$descriptorText = out.$descriptorText;
  if (extensions.length > 0) result.$extensions = extensions;
  return result;
}

function readContent(
  content: XmlElement,
  version: CspVersion,
  prebuilt: PrebuiltPrimitive | undefined,
): CspPrimitive {
  const trc = parseCspNamespace(content.ns);
  if (trc !== undefined) {
    if (trc.version === undefined) refuse('CSP_ERR_VERSION_NOT_SUPPORTED', `TRC ${trc.versionText}`);
    if (trc.version !== version)
      refuse('CSP_ERR_VERSION_NOT_SUPPORTED', `TRC ${trc.versionText} inside a CSP ${version} message`);
  }
  const kids = elementChildren(content);
  if (kids.length === 0) refuse('CSP_ERR_NO_PRIMITIVE');
  if (kids.length > 1) refuse('CSP_ERR_BAD_ENVELOPE', 'TransactionContent holds more than one primitive');
  const p = kids[0]!;
  const foreign = p.ns !== '' && parseCspNamespace(p.ns) === undefined;
  if (foreign || !isKnownPrimitiveName(p.local))
    refuse('CSP_ERR_UNKNOWN_PRIMITIVE', `unknown primitive ${p.local}`);
  if (!isTypedPrimitiveName(p.local)) return { name: p.local, generic: true, element: p };
  if (prebuilt !== undefined && p === prebuilt.element)
    return { name: p.local, body: prebuilt.body } as CspPrimitive;
  const schema: Struct = PRIMITIVE_SCHEMAS[p.local];
  return { name: p.local, body: readStruct(p, schema) } as CspPrimitive;
}

// ---- writer ----

function leaf(name: string, ns: string, value: string): XmlElement {
  return { name, local: name, ns, attributes: [], children: value === '' ? [] : [value] };
}

function xmlns(value: string): XmlAttribute {
  return { name: 'xmlns', local: 'xmlns', ns: XMLNS_NS, value };
}

/** Renames CSP/TRC/PA namespaces of other versions in a kept element to the target version's. */
export function retargetNamespaces(el: XmlElement, version: CspVersion): XmlElement {
  const parsed = el.ns === '' ? undefined : parseCspNamespace(el.ns);
  const ns =
    parsed !== undefined && parsed.version !== version ? CSP_NAMESPACES[version][parsed.kind] : el.ns;
  let changed = ns !== el.ns;
  const attributes = el.attributes.map((a) => {
    if (a.name !== 'xmlns') return a;
    const p = parseCspNamespace(a.value);
    if (p === undefined || p.version === version) return a;
    changed = true;
    return { ...a, value: CSP_NAMESPACES[version][p.kind] };
  });
  const children: XmlNode[] = el.children.map((c) => {
    if (typeof c === 'string') return c;
    const r = retargetNamespaces(c, version);
    if (r !== c) changed = true;
    return r;
  });
  return changed ? { ...el, ns, attributes, children } : el;
}

/**
 * Builds the tree of `message` for `version` (its own version when omitted). With `primitiveStandIn`,
 * that element takes the place of the first transaction's primitive (the WBXML fast path writes
 * the primitive itself, see csp-codec.ts).
 */
export function writeCspMessage(
  message: CspMessage,
  version: CspVersion = message.version,
  primitiveStandIn?: XmlElement,
): XmlElement {
  const ns = CSP_NAMESPACES[version];
  const retarget = (e: XmlElement) => retargetNamespaces(e, version);
  const env = message.envelope;
  const sessionKids: XmlNode[] = [];
  const descriptor: XmlNode[] = [leaf('SessionType', ns.csp, env.sessionType)];
  if (env.sessionId !== undefined) descriptor.push(leaf('SessionID', ns.csp, env.sessionId));
  sessionKids.push({
    name: 'SessionDescriptor',
    local: 'SessionDescriptor',
    ns: ns.csp,
    attributes: [],
    children: descriptor,
  });
  const anyPoll = env.poll ?? env.transactions.find((t) => t.poll !== undefined)?.poll;
  const trcCtx: WriteContext = { ns: ns.trc, paNs: ns.pa, retarget };
  for (const tx of env.transactions) {
    const primitiveElement =
      primitiveStandIn !== undefined && tx === env.transactions[0]
        ? primitiveStandIn
        : writePrimitive(tx.primitive, trcCtx);
    const d: XmlNode[] = [leaf('TransactionMode', ns.csp, tx.mode)];
    if (tx.transactionId !== undefined) d.push(leaf('TransactionID', ns.csp, tx.transactionId));
    // imps.md §1.1: Poll in TransactionDescriptor for 1.1, in Session for 1.2+.
    const poll = version === '1.1' ? (tx.poll ?? env.poll) : undefined;
    if (poll !== undefined) d.push(leaf('Poll', ns.csp, poll ? 'T' : 'F'));
    if (tx.segmentInfo !== undefined && version === '1.3') d.push(retarget(tx.segmentInfo));
    if (tx.$descriptorText !== undefined) d.push(tx.$descriptorText);
    const txKids: XmlNode[] = [
      {
        name: 'TransactionDescriptor',
        local: 'TransactionDescriptor',
        ns: ns.csp,
        attributes: [],
        children: d,
      },
      {
        name: 'TransactionContent',
        local: 'TransactionContent',
        ns: ns.trc,
        attributes: [xmlns(ns.trc)],
        children: [primitiveElement],
      },
    ];
    if (tx.extBlocks !== undefined) for (const e of tx.extBlocks) txKids.push(retarget(e));
    if (tx.$extensions !== undefined) for (const e of tx.$extensions) txKids.push(retarget(e));
    sessionKids.push({
      name: 'Transaction',
      local: 'Transaction',
      ns: ns.csp,
      attributes: [],
      children: txKids,
    });
  }
  if (version !== '1.1' && anyPoll !== undefined) sessionKids.push(leaf('Poll', ns.csp, anyPoll ? 'T' : 'F'));
  if (version !== '1.1' && env.cir !== undefined) sessionKids.push(leaf('CIR', ns.csp, env.cir ? 'T' : 'F'));
  if (env.$extensions !== undefined) for (const e of env.$extensions) sessionKids.push(retarget(e));
  const session: XmlElement = {
    name: 'Session',
    local: 'Session',
    ns: ns.csp,
    attributes: [],
    children: sessionKids,
  };
  return {
    name: 'WV-CSP-Message',
    local: 'WV-CSP-Message',
    ns: ns.csp,
    attributes: [xmlns(ns.csp), ...(env.$attributes ?? [])],
    children: [session],
  };
}

function writePrimitive(p: CspPrimitive, ctx: WriteContext): XmlElement {
  if ('generic' in p) return ctx.retarget(p.element);
  const schema: Struct = PRIMITIVE_SCHEMAS[p.name];
  return writeStruct(p.name, p.body as Model<Struct>, schema, ctx);
}

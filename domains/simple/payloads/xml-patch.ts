// RFC 5261 XML patch operations (<add>, <replace>, <remove> with sel, pos, type, ws), as used by
// pidf-diff (RFC 5262). Selectors are the XPath subset of xpath-subset.ts, resolved with the
// namespaces in scope at the operation in the patch document (RFC 5261 §4.2.1: an unprefixed
// name takes the patch document's default namespace). Application works on a copy and stops at
// the first failing operation with the RFC 5261 §5 error tag in the message.
import { attribute, cloneElement, el } from '../../../common/xml/query.ts';
import { XMLNS_NS } from '../../../common/xml/serialize.ts';
import type { XmlAttribute, XmlElement, XmlNode } from '../../../common/xml/xml-node.ts';
import { invalid } from './payload-codec.ts';
import { type PayloadResult, payloadError } from './payload-error.ts';
import { compilePath, type Selected, select } from './xpath-subset.ts';

/** Namespaces in scope for a selector: prefix → URI, '' = default namespace. */
export type NamespaceScope = Record<string, string>;

export type PatchOp =
  | {
      op: 'add';
      sel: string;
      pos?: 'before' | 'after' | 'prepend';
      /** `@name` to add an attribute, `namespace::prefix` to add a declaration. */
      type?: string;
      content: XmlNode[];
      namespaces: NamespaceScope;
    }
  | { op: 'replace'; sel: string; content: XmlNode[]; namespaces: NamespaceScope }
  | { op: 'remove'; sel: string; ws?: 'before' | 'after' | 'both'; namespaces: NamespaceScope };

/** RFC 5261 §5.1 error element names. */
export type PatchErrorTag =
  | 'invalid-attribute-value'
  | 'invalid-diff-format'
  | 'invalid-namespace-prefix'
  | 'invalid-node-types'
  | 'invalid-patch-directive'
  | 'invalid-root-element-operation'
  | 'invalid-whitespace-directive'
  | 'unlocated-node';

function fail(tag: PatchErrorTag, message: string): never {
  return invalid(`${tag}: ${message}`);
}

/** Reads one operation element; `scope` is the namespaces in scope at its parent. */
export function readPatchOp(e: XmlElement, scope: NamespaceScope): PatchOp {
  const namespaces = { ...scope };
  for (const a of e.attributes) {
    if (a.ns === XMLNS_NS) namespaces[a.name === 'xmlns' ? '' : a.local] = a.value;
  }
  const get = (n: string) => e.attributes.find((a) => a.name === n)?.value;
  const sel = get('sel');
  if (sel === undefined) fail('invalid-diff-format', `<${e.name}> lacks sel`);
  const content = e.children;
  switch (e.local) {
    case 'add': {
      const op: PatchOp = { op: 'add', sel, content, namespaces };
      const pos = get('pos');
      const type = get('type');
      if (pos !== undefined) {
        if (pos !== 'before' && pos !== 'after' && pos !== 'prepend')
          fail('invalid-patch-directive', `pos="${pos}"`);
        op.pos = pos;
      }
      if (type !== undefined) op.type = type;
      return op;
    }
    case 'replace':
      return { op: 'replace', sel, content, namespaces };
    case 'remove': {
      const op: PatchOp = { op: 'remove', sel, namespaces };
      const ws = get('ws');
      if (ws !== undefined) {
        if (ws !== 'before' && ws !== 'after' && ws !== 'both')
          fail('invalid-whitespace-directive', `ws="${ws}"`);
        op.ws = ws;
      }
      return op;
    }
    default:
      return fail('invalid-diff-format', `<${e.name}> is not a patch operation`);
  }
}

/** Writes an operation element in namespace `ns` with prefix `prefix` (e.g. pidf-diff's `p`). */
export function writePatchOp(op: PatchOp, ns: string, prefix: string, rootScope: NamespaceScope): XmlElement {
  const decls: XmlAttribute[] = [];
  for (const [p, uri] of Object.entries(op.namespaces)) {
    if (rootScope[p] !== uri) decls.push(attribute(p === '' ? 'xmlns' : `xmlns:${p}`, uri));
  }
  const qn = `${prefix}:${op.op}`;
  if (op.op === 'remove') return el(ns, qn, [...decls, ...attrs({ sel: op.sel, ws: op.ws })]);
  if (op.op === 'replace') return el(ns, qn, [...decls, attribute('sel', op.sel)], op.content);
  return el(ns, qn, [...decls, ...attrs({ sel: op.sel, pos: op.pos, type: op.type })], op.content);
}

function attrs(r: Record<string, string | undefined>): XmlAttribute[] {
  return Object.entries(r).flatMap(([k, v]) => (v === undefined ? [] : [attribute(k, v)]));
}

function locate(root: XmlElement, op: PatchOp): Selected {
  const c = compilePath(op.sel, (p) => op.namespaces[p], op.namespaces[''] ?? '');
  if (!c.ok) {
    fail(/unbound prefix/.test(c.message) ? 'invalid-namespace-prefix' : 'invalid-diff-format', c.message);
  }
  const hits = select(root, c.path);
  // RFC 5261 §4.1: the selector must match exactly one node.
  if (hits.length !== 1) fail('unlocated-node', `sel="${op.sel}" matches ${hits.length} nodes`);
  return hits[0]!;
}

function significant(content: XmlNode[]): XmlNode[] {
  return content.filter((c) => typeof c !== 'string' || c.trim() !== '');
}

function textOf(content: XmlNode[]): string {
  if (content.some((c) => typeof c !== 'string')) fail('invalid-node-types', 'expected text content');
  return content.join('');
}

function clone(n: XmlNode): XmlNode {
  return typeof n === 'string' ? n : cloneElement(n);
}

function qualifiedAttribute(name: string, value: string, ns: NamespaceScope): XmlAttribute {
  const i = name.indexOf(':');
  if (i < 0) return attribute(name, value);
  const prefix = name.slice(0, i);
  if (prefix === 'xml') return attribute(name, value);
  const uri = ns[prefix];
  if (uri === undefined) fail('invalid-namespace-prefix', `prefix "${prefix}" in type`);
  return attribute(name, value, uri);
}

function removeWhitespace(
  parent: XmlElement,
  index: number,
  ws: 'before' | 'after' | 'both' | undefined,
): number {
  const isWs = (n: XmlNode | undefined) => typeof n === 'string' && n.trim() === '';
  if ((ws === 'after' || ws === 'both') && isWs(parent.children[index])) parent.children.splice(index, 1);
  else if (ws === 'after' || ws === 'both')
    fail('invalid-whitespace-directive', 'no whitespace after the node');
  if (ws === 'before' || ws === 'both') {
    if (!isWs(parent.children[index - 1]))
      fail('invalid-whitespace-directive', 'no whitespace before the node');
    parent.children.splice(index - 1, 1);
    return index - 1;
  }
  return index;
}

function applyOne(root: XmlElement, op: PatchOp): XmlElement {
  const target = locate(root, op);
  if (op.op === 'add') {
    if (target.kind !== 'element') fail('invalid-node-types', 'add needs an element selector');
    const e = target.node;
    if (op.type !== undefined) {
      const value = textOf(op.content);
      if (op.type.startsWith('@')) {
        const name = op.type.slice(1);
        if (e.attributes.some((a) => a.name === name))
          fail('invalid-attribute-value', `${name} exists already`);
        e.attributes.push(qualifiedAttribute(name, value, op.namespaces));
      } else if (op.type.startsWith('namespace::')) {
        e.attributes.push(attribute(`xmlns:${op.type.slice(11)}`, value));
      } else fail('invalid-patch-directive', `type="${op.type}"`);
      return root;
    }
    const nodes = op.content.map(clone);
    if (op.pos === undefined) e.children.push(...nodes);
    else if (op.pos === 'prepend') e.children.unshift(...nodes);
    else {
      const parent = target.parent;
      // RFC 5261 §4.3: nothing can be added beside the root element.
      if (!parent) fail('invalid-root-element-operation', 'siblings of the root');
      const i = parent.children.indexOf(e);
      parent.children.splice(op.pos === 'before' ? i : i + 1, 0, ...nodes);
    }
    return root;
  }
  if (op.op === 'replace') {
    switch (target.kind) {
      case 'element': {
        const repl = significant(op.content);
        if (repl.length !== 1 || typeof repl[0] === 'string')
          fail('invalid-node-types', 'replace an element by one element');
        const next = cloneElement(repl[0] as XmlElement);
        if (!target.parent) return next; // replacing the root element is allowed (§4.4)
        const i = target.parent.children.indexOf(target.node);
        target.parent.children[i] = next;
        return root;
      }
      case 'attribute':
        target.attribute.value = textOf(op.content);
        return root;
      case 'text':
        target.parent.children[target.index] = textOf(op.content);
        return root;
      case 'namespace': {
        const a = target.owner.attributes.find((x) => x.name === `xmlns:${target.prefix}`);
        if (!a) fail('unlocated-node', `no declaration of ${target.prefix}`);
        a.value = textOf(op.content);
        return root;
      }
    }
  }
  switch (target.kind) {
    case 'element': {
      if (!target.parent) fail('invalid-root-element-operation', 'the root element cannot be removed');
      const i = target.parent.children.indexOf(target.node);
      target.parent.children.splice(i, 1);
      removeWhitespace(target.parent, i, op.ws);
      return root;
    }
    case 'attribute':
      target.owner.attributes = target.owner.attributes.filter((a) => a !== target.attribute);
      return root;
    case 'text':
      target.parent.children.splice(target.index, 1);
      return root;
    case 'namespace':
      target.owner.attributes = target.owner.attributes.filter((a) => a.name !== `xmlns:${target.prefix}`);
      return root;
  }
}

/** Applies the operations in order to a copy of `doc`. */
export function applyPatch(doc: XmlElement, ops: readonly PatchOp[]): PayloadResult<XmlElement> {
  let root = cloneElement(doc);
  try {
    for (const op of ops) root = applyOne(root, op);
    return { ok: true, value: root };
  } catch (e) {
    return {
      ok: false,
      error: payloadError('PAYLOAD_ERR_INVALID', e instanceof Error ? e.message : String(e)),
    };
  }
}

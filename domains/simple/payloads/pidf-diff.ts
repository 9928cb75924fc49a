// RFC 5262 partial PIDF (application/pidf-diff+xml): either <p:pidf-full version> carrying a
// whole PIDF document, or <p:patch version> carrying RFC 5261 operations against the previous
// state. The version grows by one per document; a receiver that sees a gap, or a patch that does
// not apply, must fetch full state again (RFC 5263 §5 — for a watcher: refresh the SUBSCRIBE).
import { attr, children } from '../../../common/xml/query.ts';
import { serializeXml, XMLNS_NS } from '../../../common/xml/serialize.ts';
import type { XmlElement } from '../../../common/xml/xml-node.ts';
import { NS, PREFIX } from './namespaces.ts';
import {
  decodeXml,
  guard,
  invalid,
  type PayloadLimits,
  parseUnsignedInt,
  requireAttr,
  xmlns,
} from './payload-codec.ts';
import { type PayloadResult, payloadError } from './payload-error.ts';
import { type Pidf, pidfFromXml, pidfToXml } from './pidf.ts';
import { applyPatch, type NamespaceScope, type PatchOp, readPatchOp, writePatchOp } from './xml-patch.ts';

export const PIDF_DIFF_CONTENT_TYPE = 'application/pidf-diff+xml';

export type PidfDiff =
  | { kind: 'full'; version: number; doc: Pidf }
  | { kind: 'patch'; version: number; ops: PatchOp[] };

function scopeOf(e: XmlElement, parent: NamespaceScope): NamespaceScope {
  const out = { ...parent };
  for (const a of e.attributes) if (a.ns === XMLNS_NS) out[a.name === 'xmlns' ? '' : a.local] = a.value;
  return out;
}

function fromXml(root: XmlElement): PidfDiff {
  const version = parseUnsignedInt(requireAttr(root, 'version'), 'version');
  if (root.local === 'pidf-full') {
    // The full form is a <presence> under another name: same attributes, same children.
    const presence: XmlElement = { ...root, name: 'presence', local: 'presence', ns: NS.pidf };
    presence.attributes = root.attributes.filter((a) => a.name !== 'version');
    return { kind: 'full', version, doc: pidfFromXml(presence) };
  }
  const scope = scopeOf(root, {});
  const ops: PatchOp[] = [];
  for (const c of children(root)) {
    if (c.ns !== NS.pidfDiff) invalid(`<${c.name}> is not allowed in <patch>`);
    ops.push(readPatchOp(c, scope));
  }
  return { kind: 'patch', version, ops };
}

export function parsePidfDiff(input: Buffer | string, limits?: PayloadLimits): PayloadResult<PidfDiff> {
  return decodeXml(
    input,
    limits,
    [
      { ns: NS.pidfDiff, local: 'pidf-full' },
      { ns: NS.pidfDiff, local: 'patch' },
    ],
    fromXml,
  );
}

/** Namespaces the lab's patch documents declare on <p:patch>: pidf as default, plus the usual prefixes. */
const PATCH_SCOPE: NamespaceScope = {
  '': NS.pidf,
  [PREFIX.dm]: NS.dm,
  [PREFIX.rpid]: NS.rpid,
  [PREFIX.cipid]: NS.cipid,
  [PREFIX.caps]: NS.caps,
};

export function pidfDiffToXml(d: PidfDiff): XmlElement {
  const p = (local: string) => `${PREFIX.pidfDiff}:${local}`;
  if (d.kind === 'full') {
    const presence = pidfToXml(d.doc);
    return {
      ...presence,
      name: p('pidf-full'),
      local: 'pidf-full',
      ns: NS.pidfDiff,
      attributes: [
        xmlns(PREFIX.pidfDiff, NS.pidfDiff),
        ...presence.attributes,
        { name: 'version', local: 'version', ns: '', value: String(d.version) },
      ],
    };
  }
  return {
    name: p('patch'),
    local: 'patch',
    ns: NS.pidfDiff,
    attributes: [
      xmlns(PREFIX.pidfDiff, NS.pidfDiff),
      ...Object.entries(PATCH_SCOPE).map(([pfx, uri]) => xmlns(pfx, uri)),
      { name: 'version', local: 'version', ns: '', value: String(d.version) },
    ],
    children: d.ops.map((op) => writePatchOp(op, NS.pidfDiff, PREFIX.pidfDiff, PATCH_SCOPE)),
  };
}

export function serializePidfDiff(d: PidfDiff, options: { indent?: string } = {}): string {
  return serializeXml(pidfDiffToXml(d), options);
}

function idOf(e: XmlElement): string | undefined {
  return e.ns === NS.pidf || e.ns === NS.dm ? attr(e, 'id') : undefined;
}

/** The selector step naming a top-level component in PATCH_SCOPE terms. */
function stepOf(e: XmlElement): string {
  const name = e.ns === NS.pidf ? e.local : `${PREFIX.dm}:${e.local}`;
  return `${name}[@id='${idOf(e)}']`;
}

const canonical = (e: XmlElement) => serializeXml(e, { declaration: false });

/** The tuple's <basic> element, if any. */
function basicOf(tuple: XmlElement): XmlElement | undefined {
  const status = children(tuple).find((c) => c.ns === NS.pidf && c.local === 'status');
  return status && children(status).find((c) => c.ns === NS.pidf && c.local === 'basic');
}

/** A copy of a tuple with its <basic> emptied, to see whether basic is all that changed. */
function withoutBasic(tuple: XmlElement): string {
  const basic = basicOf(tuple);
  const strip = (e: XmlElement): XmlElement => ({
    ...e,
    children: e.children.map((c) =>
      typeof c === 'string' ? c : c === basic ? { ...c, children: [] } : strip(c),
    ),
  });
  return canonical(strip(tuple));
}

/** The most common change — open ⇄ closed — is patched as a text replace, as in RFC 5262 §5. */
function basicOnlyChange(old: XmlElement, next: XmlElement): string | undefined {
  if (old.ns !== NS.pidf || old.local !== 'tuple') return undefined;
  const a = basicOf(old);
  const b = basicOf(next);
  if (!a || !b || withoutBasic(old) !== withoutBasic(next)) return undefined;
  const value = b.children.join('');
  return a.children.length === 1 && b.children.length === 1 ? value : undefined;
}

/**
 * Computes the patch taking `oldDoc` to `newDoc` (RFC 5262 §4), at the granularity of tuples,
 * persons and devices (by id): removed ones get <remove>, changed ones <replace> (only the
 * text of <basic> when that is all that changed in a tuple), new ones
 * <add> in schema order (new tuples after the last tuple). When something else changes — the
 * entity, presence-level notes or extensions — a patch would not be smaller, so the result is
 * a `pidf-full` document instead.
 */
export function diffPidf(oldDoc: Pidf, newDoc: Pidf, version: number): PidfDiff {
  const full: PidfDiff = { kind: 'full', version, doc: newDoc };
  const a = pidfToXml(oldDoc);
  const b = pidfToXml(newDoc);
  if (oldDoc.entity !== newDoc.entity) return full;
  const unkeyed = (x: XmlElement) =>
    children(x)
      .filter((c) => idOf(c) === undefined)
      .map(canonical)
      .join('');
  if (unkeyed(a) !== unkeyed(b)) return full;

  const key = (e: XmlElement) => `${e.ns} ${idOf(e)}`;
  const before = new Map(
    children(a)
      .filter((c) => idOf(c) !== undefined)
      .map((c) => [key(c), c]),
  );
  const after = children(b).filter((c) => idOf(c) !== undefined);
  const afterKeys = new Set(after.map(key));
  const ops: PatchOp[] = [];
  const scope = PATCH_SCOPE;
  for (const [k, e] of before) {
    if (!afterKeys.has(k)) ops.push({ op: 'remove', sel: `presence/${stepOf(e)}`, namespaces: scope });
  }
  // Track the last tuple present after removals, to add new tuples in schema order.
  let lastTuple = children(a)
    .filter((c) => c.ns === NS.pidf && c.local === 'tuple' && afterKeys.has(key(c)))
    .at(-1);
  const presenceHasChildren = () => children(a).some((c) => afterKeys.has(key(c)) || idOf(c) === undefined);
  for (const e of after) {
    const old = before.get(key(e));
    if (old) {
      if (canonical(old) !== canonical(e)) {
        const basic = basicOnlyChange(old, e);
        if (basic !== undefined) {
          const sel = `presence/${stepOf(e)}/status/basic/text()`;
          ops.push({ op: 'replace', sel, content: [basic], namespaces: scope });
        } else ops.push({ op: 'replace', sel: `presence/${stepOf(e)}`, content: [e], namespaces: scope });
      }
      if (e.ns === NS.pidf && e.local === 'tuple') lastTuple = e;
      continue;
    }
    if (e.ns === NS.pidf && e.local === 'tuple') {
      if (lastTuple)
        ops.push({
          op: 'add',
          sel: `presence/${stepOf(lastTuple)}`,
          pos: 'after',
          content: [e],
          namespaces: scope,
        });
      else if (presenceHasChildren() || ops.some((o) => o.op === 'add')) {
        ops.push({ op: 'add', sel: 'presence', pos: 'prepend', content: [e], namespaces: scope });
      } else ops.push({ op: 'add', sel: 'presence', content: [e], namespaces: scope });
      lastTuple = e;
    } else ops.push({ op: 'add', sel: 'presence', content: [e], namespaces: scope });
  }
  return { kind: 'patch', version, ops };
}

/**
 * Applies a pidf-diff document to the state held at `currentVersion` (RFC 5263 §5): full state
 * replaces it; a patch must carry `currentVersion + 1` and apply cleanly. Any failure means
 * "resynchronise" — the caller re-SUBSCRIBEs (or re-PUBLISHes full state, RFC 5264).
 */
export function applyPidfDiff(
  doc: Pidf | undefined,
  diff: PidfDiff,
  currentVersion?: number,
): PayloadResult<{ doc: Pidf; version: number }> {
  if (diff.kind === 'full') return { ok: true, value: { doc: diff.doc, version: diff.version } };
  if (!doc)
    return { ok: false, error: payloadError('PAYLOAD_ERR_INVALID', 'a patch needs prior full state') };
  if (currentVersion !== undefined && diff.version !== currentVersion + 1) {
    return {
      ok: false,
      error: payloadError(
        'PAYLOAD_ERR_INVALID',
        `version ${diff.version} after ${currentVersion}: state lost`,
      ),
    };
  }
  const patched = applyPatch(pidfToXml(doc), diff.ops);
  if (!patched.ok) return patched;
  const next = guard(() => pidfFromXml(patched.value));
  if (!next.ok) return next;
  return { ok: true, value: { doc: next.value, version: diff.version } };
}

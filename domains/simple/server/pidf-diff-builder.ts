// RFC 5263 partial notification: the pidf-diff document (RFC 5262) a watcher that accepts
// application/pidf-diff+xml gets — `<p:pidf-full>` on the first NOTIFY (and whenever a patch
// cannot express the change), then `<p:patch>` with RFC 5261 add/replace/remove operations on
// the tuples, persons and devices that changed, each addressed by its id.
import { escapeAttribute, serializeXml } from '../../../common/xml/serialize.ts';
import type { XmlElement } from '../../../common/xml/xml-node.ts';
import { NS } from '../payloads/namespaces.ts';

export const PIDF_DIFF_CONTENT_TYPE = 'application/pidf-diff+xml';

const PREFIXES: ReadonlyArray<[string, string]> = [
  ['dm', NS.dm],
  ['rpid', NS.rpid],
  ['c', NS.cipid],
  ['caps', NS.caps],
];

interface Keyed {
  key: string;
  sel: string;
  element: XmlElement;
}

/** Children addressable by id: pidf tuples and RFC 4479 persons and devices. */
function addressable(root: XmlElement): { items: Keyed[]; others: string } | undefined {
  const items: Keyed[] = [];
  const others: string[] = [];
  for (const c of root.children) {
    if (typeof c === 'string') continue;
    const id = c.attributes.find((a) => a.local === 'id' && a.ns === '')?.value;
    const kind =
      c.ns === NS.pidf && c.local === 'tuple'
        ? 'tuple'
        : c.ns === NS.dm && (c.local === 'person' || c.local === 'device')
          ? `dm:${c.local}`
          : undefined;
    if (kind && id !== undefined && !id.includes("'")) {
      items.push({ key: `${kind}#${id}`, sel: `*/${kind}[@id='${id}']`, element: c });
    } else others.push(serializeXml(c, { declaration: false }));
  }
  return { items, others: others.join('') };
}

function fragment(e: XmlElement): string {
  return serializeXml(e, { declaration: false });
}

function header(local: string, version: number, entity: string): string {
  const decls = PREFIXES.map(([p, ns]) => ` xmlns:${p}="${ns}"`).join('');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<p:${local} xmlns="${NS.pidf}" xmlns:p="${NS.pidfDiff}"${decls} version="${version}" entity="${escapeAttribute(entity)}">`;
}

/**
 * The pidf-diff body taking a watcher from `previous` to `next` (both `<presence>` trees).
 * Without `previous`, or when something other than id-addressed elements changed, a full
 * document (RFC 5262 §4.1 pidf-full).
 */
export function buildPidfDiff(previous: XmlElement | undefined, next: XmlElement, version: number): string {
  const entity = next.attributes.find((a) => a.local === 'entity')?.value ?? '';
  const full = () =>
    `${header('pidf-full', version, entity)}${next.children.map((c) => (typeof c === 'string' ? '' : fragment(c))).join('')}</p:pidf-full>`;
  if (!previous) return full();
  const before = addressable(previous);
  const after = addressable(next);
  if (!before || !after || before.others !== after.others) return full();
  const old = new Map(before.items.map((i) => [i.key, i]));
  const ops: string[] = [];
  const keys = new Set(after.items.map((i) => i.key));
  for (const i of before.items) if (!keys.has(i.key)) ops.push(`<p:remove sel="${escapeAttribute(i.sel)}"/>`);
  let lastTuple: Keyed | undefined;
  for (const i of after.items) {
    const was = old.get(i.key);
    if (was) {
      if (fragment(was.element) !== fragment(i.element)) {
        ops.push(`<p:replace sel="${escapeAttribute(i.sel)}">${fragment(i.element)}</p:replace>`);
      }
    } else if (i.key.startsWith('tuple#')) {
      // pidf.xsd orders tuples first: a new tuple goes after the previous one, or first.
      const anchor = lastTuple && old.has(lastTuple.key) ? lastTuple : undefined;
      ops.push(
        anchor
          ? `<p:add sel="${escapeAttribute(anchor.sel)}" pos="after">${fragment(i.element)}</p:add>`
          : `<p:add sel="*" pos="prepend">${fragment(i.element)}</p:add>`,
      );
    } else ops.push(`<p:add sel="*">${fragment(i.element)}</p:add>`);
    if (i.key.startsWith('tuple#') && old.has(i.key)) lastTuple = i;
  }
  return `${header('patch', version, entity)}${ops.join('')}</p:patch>`;
}

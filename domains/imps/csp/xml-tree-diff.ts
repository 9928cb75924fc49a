// Infoset comparison of two CSP trees, the equivalence the round-trip tests and the libwbxml
// cross-check assert: same elements (namespace + local name) in the same order, same non-xmlns
// attributes, same text. Formatting whitespace between elements and the place where a namespace
// is declared do not count (WBXML carries neither).
import type { XmlElement, XmlNode } from '../../../common/xml/xml-node.ts';

function isBlank(s: string): boolean {
  return /^[ \t\r\n]*$/.test(s);
}

function significant(children: readonly XmlNode[]): XmlNode[] {
  const hasElement = children.some((c) => typeof c !== 'string');
  const out: XmlNode[] = [];
  for (const c of children) {
    if (typeof c === 'string') {
      if (hasElement && isBlank(c)) continue;
      const last = out[out.length - 1];
      if (typeof last === 'string') out[out.length - 1] = last + c;
      else if (c !== '') out.push(c);
    } else out.push(c);
  }
  return out;
}

function attributesOf(el: XmlElement): string[] {
  return el.attributes
    .filter((a) => a.name !== 'xmlns' && !a.name.startsWith('xmlns:'))
    .map((a) => `${a.ns}|${a.local}=${a.value}`)
    .sort();
}

/** Describes the first difference between two trees, or returns undefined when they are equivalent. */
export interface DiffOptions {
  /** Compare leaf text with leading/trailing XML whitespace removed (model round trips normalise it). */
  trimText?: boolean;
  /** Compare local names only (libwbxml drops every xmlns when it encodes CSP). */
  ignoreNamespaces?: boolean;
}

export function diffXmlTrees(
  a: XmlElement,
  b: XmlElement,
  options: DiffOptions = {},
  path = '',
): string | undefined {
  const here = `${path}/${a.local}`;
  if (a.local !== b.local || (!options.ignoreNamespaces && a.ns !== b.ns))
    return `${here}: element {${a.ns}}${a.local} vs {${b.ns}}${b.local}`;
  const aa = attributesOf(a).join(' ');
  const ba = attributesOf(b).join(' ');
  if (aa !== ba) return `${here}: attributes [${aa}] vs [${ba}]`;
  const ac = significant(a.children);
  const bc = significant(b.children);
  const n = Math.max(ac.length, bc.length);
  for (let i = 0; i < n; i++) {
    const x = ac[i];
    const y = bc[i];
    if (x === undefined || y === undefined) {
      const extra = (x ?? y)!;
      return `${here}: child ${i} only on one side (${typeof extra === 'string' ? JSON.stringify(extra) : extra.local})`;
    }
    if (typeof x === 'string' || typeof y === 'string') {
      const same =
        options.trimText && typeof x === 'string' && typeof y === 'string' ? x.trim() === y.trim() : x === y;
      if (!same)
        return `${here}: text ${JSON.stringify(typeof x === 'string' ? x : x.local)} vs ${JSON.stringify(typeof y === 'string' ? y : y.local)}`;
      continue;
    }
    const d = diffXmlTrees(x, y, options, here);
    if (d !== undefined) return d;
  }
  return undefined;
}

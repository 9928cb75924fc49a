// RFC 4825 §6.3 node selectors over the lab's XML tree: `step/step/…` where a step is
// `name`, `*`, `name[n]`, `name[@att="v"]` or `name[n][@att="v"]`, and an optional final
// `@attr` (attribute selector). Unprefixed names take the application usage's default namespace
// (§6.3 "the default namespace"); prefixes come from the request's `xmlns(p=uri)` query (§6.4).
import { isElement, type XmlElement } from '../../../common/xml/xml-node.ts';

export interface Step {
  ns: string | undefined;
  local: string;
  position?: number;
  attrName?: string;
  attrValue?: string;
}

export interface NodeSelector {
  steps: Step[];
  /** A final attribute selector (`@name`). */
  attribute?: string;
}

/** Parses a node selector; undefined when malformed (the server answers 400). */
export function parseNodeSelector(
  raw: string,
  defaultNs: string,
  prefixes: ReadonlyMap<string, string>,
): NodeSelector | undefined {
  const parts = splitSteps(raw);
  if (!parts || parts.length === 0) return undefined;
  const steps: Step[] = [];
  let attribute: string | undefined;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (part.startsWith('@')) {
      if (i !== parts.length - 1 || !/^@[A-Za-z_][\w.-]*$/.test(part)) return undefined;
      attribute = part.slice(1);
      continue;
    }
    const m = /^([A-Za-z_*][\w.:-]*)((?:\[[^\]]*\])*)$/.exec(part);
    if (!m) return undefined;
    const name = m[1]!;
    let ns: string | undefined;
    let local = name;
    if (name === '*') ns = undefined;
    else if (name.includes(':')) {
      const [prefix, l] = name.split(':') as [string, string];
      const uri = prefixes.get(prefix);
      if (uri === undefined) return undefined;
      ns = uri;
      local = l;
    } else ns = defaultNs;
    const step: Step = { ns, local };
    for (const pred of m[2]!.match(/\[[^\]]*\]/g) ?? []) {
      const inner = pred.slice(1, -1).trim();
      const pos = /^(\d+)$/.exec(inner);
      const att = /^@([A-Za-z_][\w.-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')$/.exec(inner);
      if (pos) step.position = Number(pos[1]);
      else if (att) {
        step.attrName = att[1]!;
        step.attrValue = att[2] ?? att[3] ?? '';
      } else return undefined;
    }
    steps.push(step);
  }
  if (steps.length === 0) return undefined;
  const out: NodeSelector = { steps };
  if (attribute !== undefined) out.attribute = attribute;
  return out;
}

/** Splits on `/` outside quotes and brackets. */
function splitSteps(raw: string): string[] | undefined {
  const out: string[] = [];
  let cur = '';
  let quote = '';
  let depth = 0;
  for (const ch of raw) {
    if (quote) {
      if (ch === quote) quote = '';
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '[') depth++;
    else if (ch === ']') depth--;
    else if (ch === '/' && depth === 0) {
      if (cur === '') return undefined;
      out.push(cur);
      cur = '';
      continue;
    }
    cur += ch;
  }
  if (quote || depth !== 0 || cur === '') return undefined;
  out.push(cur);
  return out;
}

export function stepMatches(e: XmlElement, s: Step): boolean {
  if (s.local !== '*' && (e.local !== s.local || e.ns !== s.ns)) return false;
  if (s.attrName !== undefined) {
    const a = e.attributes.find((x) => x.local === s.attrName && x.ns === '');
    if (!a || a.value !== s.attrValue) return false;
  }
  return true;
}

/**
 * The elements a step selects among `parent`'s children. Per §6.3 the position counts the
 * children matching the name (and then the attribute test), 1-based.
 */
export function selectChildren(parent: XmlElement, s: Step): XmlElement[] {
  const byName = parent.children
    .filter(isElement)
    .filter((e) => stepMatches(e, { ...s, attrName: undefined }));
  let candidates = byName;
  if (s.position !== undefined) candidates = candidates[s.position - 1] ? [candidates[s.position - 1]!] : [];
  return candidates.filter((e) => stepMatches(e, s));
}

export interface Located {
  /** The parent of the selected element (undefined when the root itself is selected). */
  parent: XmlElement | undefined;
  element: XmlElement;
}

/**
 * Resolves the element part of a selector. `no-match` when nothing matches, `ambiguous` when
 * more than one does (§6.3: a selector must select one element).
 */
export function locate(root: XmlElement, sel: NodeSelector): Located | 'no-match' | 'ambiguous' {
  const first = sel.steps[0]!;
  if (!stepMatches(root, first) || (first.position !== undefined && first.position !== 1)) return 'no-match';
  let current: Located = { parent: undefined, element: root };
  for (const s of sel.steps.slice(1)) {
    const found = selectChildren(current.element, s);
    if (found.length === 0) return 'no-match';
    if (found.length > 1) return 'ambiguous';
    current = { parent: current.element, element: found[0]! };
  }
  return current;
}

/** Parses `xmlns(p=uri)xmlns(q=uri2)` (RFC 4825 §6.4). */
export function parseXmlnsQuery(query: string): Map<string, string> | undefined {
  const out = new Map<string, string>();
  const re = /xmlns\(\s*([A-Za-z_][\w.-]*)\s*=\s*([^)]*)\)/g;
  let rest = query;
  for (const m of query.matchAll(re)) {
    out.set(m[1]!, m[2]!.trim());
    rest = rest.replace(m[0], '');
  }
  return rest.trim() === '' ? out : undefined;
}

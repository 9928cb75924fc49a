// The XPath subset the SIMPLE documents need, shared by event filters (RFC 4661 §3.3: location
// paths of named steps with predicates) and XML patch selectors (RFC 5261 §3.1 / §4.1):
//
//   path  := ['/' | '//'] step (('/' | '//') step)*
//   step  := qname | prefix:* | * | '@' qname | 'text()' | 'namespace::' ncname    (then predicates)
//   pred  := '[' N ']' | '[' '@' qname [= literal] ']' | '[' relpath [= literal] ']' | '[' . = literal ']'
//
// The context node is the document node, so `/presence/tuple` and `presence/tuple` are the same.
// Prefixes resolve through the caller's bindings; an unprefixed name is in `defaultNs` ('' in
// XPath 1.0; RFC 5261 §4.2.1 applies the patch document's default namespace).
import type { XmlAttribute, XmlElement } from '../../../common/xml/xml-node.ts';

interface NameTest {
  /** '*' = any namespace (only with local '*', or prefix:* which pins the namespace). */
  ns: string;
  local: string;
}

export type Predicate =
  | { kind: 'position'; n: number }
  | { kind: 'attr'; name: NameTest; value?: string }
  | { kind: 'path'; steps: Step[]; value?: string }
  | { kind: 'self'; value: string };

export type Step =
  | { axis: 'child' | 'descendant'; name: NameTest; predicates: Predicate[] }
  | { axis: 'attribute'; name: NameTest }
  | { axis: 'text'; predicates: Predicate[] }
  | { axis: 'namespace'; prefix: string };

export interface CompiledPath {
  source: string;
  steps: Step[];
}

export type Selected =
  | { kind: 'element'; node: XmlElement; parent: XmlElement | undefined }
  | { kind: 'attribute'; owner: XmlElement; attribute: XmlAttribute }
  | { kind: 'text'; parent: XmlElement; index: number }
  | { kind: 'namespace'; owner: XmlElement; prefix: string };

export type Resolver = (prefix: string) => string | undefined;

class Syntax extends Error {}

const NCNAME = /^[A-Za-z_][\w.-]*/;

export function compilePath(
  source: string,
  resolve: Resolver,
  defaultNs = '',
): { ok: true; path: CompiledPath } | { ok: false; message: string } {
  try {
    const p = new PathParser(source, resolve, defaultNs);
    const steps = p.path(true);
    if (p.i !== source.length) throw new Syntax(`unexpected "${source.slice(p.i)}"`);
    if (steps.length === 0) throw new Syntax('empty path');
    return { ok: true, path: { source, steps } };
  } catch (e) {
    return { ok: false, message: `XPath "${source}": ${(e as Error).message}` };
  }
}

class PathParser {
  i = 0;
  constructor(
    readonly s: string,
    readonly resolve: Resolver,
    readonly defaultNs: string,
  ) {}

  private peek(t: string): boolean {
    return this.s.startsWith(t, this.i);
  }
  private eat(t: string): boolean {
    if (!this.peek(t)) return false;
    this.i += t.length;
    return true;
  }
  private ws() {
    while (this.s[this.i] === ' ') this.i++;
  }
  private ncname(): string {
    const m = NCNAME.exec(this.s.slice(this.i));
    if (!m) throw new Syntax(`name expected at ${this.i}`);
    this.i += m[0].length;
    return m[0];
  }
  private nameTest(forAttribute: boolean): NameTest {
    if (this.eat('*')) return { ns: '*', local: '*' };
    const first = this.ncname();
    if (this.eat(':')) {
      const ns = this.resolve(first);
      if (ns === undefined) throw new Syntax(`unbound prefix "${first}"`);
      if (this.eat('*')) return { ns, local: '*' };
      return { ns, local: this.ncname() };
    }
    // XPath: unprefixed attribute names are never in a namespace.
    return { ns: forAttribute ? '' : this.defaultNs, local: first };
  }
  private literal(): string {
    const q = this.s[this.i];
    if (q !== '"' && q !== "'") throw new Syntax(`literal expected at ${this.i}`);
    const end = this.s.indexOf(q, this.i + 1);
    if (end < 0) throw new Syntax('unterminated literal');
    const v = this.s.slice(this.i + 1, end);
    this.i = end + 1;
    return v;
  }
  private optionalValue(): string | undefined {
    this.ws();
    if (!this.eat('=')) return undefined;
    this.ws();
    return this.literal();
  }
  private predicates(): Predicate[] {
    const out: Predicate[] = [];
    while (this.eat('[')) {
      this.ws();
      const num = /^\d+/.exec(this.s.slice(this.i));
      if (num) {
        this.i += num[0].length;
        const n = Number(num[0]);
        if (n < 1) throw new Syntax('positions start at 1');
        out.push({ kind: 'position', n });
      } else if (this.eat('@')) {
        const name = this.nameTest(true);
        const value = this.optionalValue();
        out.push(value === undefined ? { kind: 'attr', name } : { kind: 'attr', name, value });
      } else if (this.eat('.')) {
        const value = this.optionalValue();
        if (value === undefined) throw new Syntax('"[.]" needs "= literal"');
        out.push({ kind: 'self', value });
      } else {
        const steps = this.path(false);
        const value = this.optionalValue();
        out.push(value === undefined ? { kind: 'path', steps } : { kind: 'path', steps, value });
      }
      this.ws();
      if (!this.eat(']')) throw new Syntax(`"]" expected at ${this.i}`);
    }
    return out;
  }
  private step(axis: 'child' | 'descendant'): Step {
    if (this.eat('@')) return { axis: 'attribute', name: this.nameTest(true) };
    if (this.eat('text()')) return { axis: 'text', predicates: this.predicates() };
    if (this.eat('namespace::')) return { axis: 'namespace', prefix: this.ncname() };
    const name = this.nameTest(false);
    return { axis, name, predicates: this.predicates() };
  }
  path(allowAbsolute: boolean): Step[] {
    const steps: Step[] = [];
    let axis: 'child' | 'descendant' = 'child';
    if (allowAbsolute) {
      if (this.eat('//')) axis = 'descendant';
      else this.eat('/');
    }
    for (;;) {
      const st = this.step(axis);
      steps.push(st);
      if (this.eat('//')) axis = 'descendant';
      else if (this.eat('/')) axis = 'child';
      else break;
      if (st.axis === 'attribute' || st.axis === 'text' || st.axis === 'namespace') {
        throw new Syntax('nothing can follow an attribute, text() or namespace step');
      }
    }
    return steps;
  }
}

function nameMatches(t: NameTest, ns: string, local: string): boolean {
  return (t.ns === '*' || t.ns === ns) && (t.local === '*' || t.local === local);
}

function elementChildren(e: XmlElement): XmlElement[] {
  return e.children.filter((c): c is XmlElement => typeof c !== 'string');
}

function descendants(e: XmlElement, out: Array<{ node: XmlElement; parent: XmlElement }>) {
  for (const c of elementChildren(e)) {
    out.push({ node: c, parent: e });
    descendants(c, out);
  }
}

function textValue(e: XmlElement): string {
  let s = '';
  for (const c of e.children) s += typeof c === 'string' ? c : textValue(c);
  return s;
}

function predicateHolds(p: Predicate, node: XmlElement, position: number): boolean {
  switch (p.kind) {
    case 'position':
      return position === p.n;
    case 'attr':
      return node.attributes.some(
        (a) =>
          a.ns !== 'http://www.w3.org/2000/xmlns/' &&
          nameMatches(p.name, a.ns, a.local) &&
          (p.value === undefined || a.value === p.value),
      );
    case 'self':
      return textValue(node) === p.value;
    case 'path': {
      const hits = evaluate(p.steps, [{ kind: 'element', node, parent: undefined }]);
      if (p.value === undefined) return hits.length > 0;
      return hits.some((h) => selectedValue(h) === p.value);
    }
  }
}

/** The string value of a selection (XPath string()). */
export function selectedValue(s: Selected): string {
  switch (s.kind) {
    case 'element':
      return textValue(s.node);
    case 'attribute':
      return s.attribute.value;
    case 'text':
      return s.parent.children[s.index] as string;
    case 'namespace':
      return '';
  }
}

function evaluate(steps: Step[], context: Selected[]): Selected[] {
  let current = context;
  for (const step of steps) {
    const next: Selected[] = [];
    for (const ctx of current) {
      if (ctx.kind !== 'element') continue;
      const e = ctx.node;
      if (step.axis === 'attribute') {
        for (const a of e.attributes) {
          if (a.ns !== 'http://www.w3.org/2000/xmlns/' && nameMatches(step.name, a.ns, a.local)) {
            next.push({ kind: 'attribute', owner: e, attribute: a });
          }
        }
      } else if (step.axis === 'namespace') {
        next.push({ kind: 'namespace', owner: e, prefix: step.prefix });
      } else if (step.axis === 'text') {
        let pos = 0;
        e.children.forEach((c, index) => {
          if (typeof c !== 'string') return;
          pos++;
          if (step.predicates.every((p) => p.kind === 'position' && p.n === pos)) {
            next.push({ kind: 'text', parent: e, index });
          }
        });
      } else {
        const candidates =
          step.axis === 'child'
            ? elementChildren(e).map((node) => ({ node, parent: e }))
            : (() => {
                const out: Array<{ node: XmlElement; parent: XmlElement }> = [];
                descendants(e, out);
                return out;
              })();
        let matched = candidates.filter((c) => nameMatches(step.name, c.node.ns, c.node.local));
        for (const p of step.predicates) {
          matched = matched.filter((c, i) => predicateHolds(p, c.node, i + 1));
        }
        for (const m of matched) next.push({ kind: 'element', node: m.node, parent: m.parent });
      }
    }
    current = next;
  }
  return current;
}

/** Evaluates a compiled path against a document whose root element is `root`. */
export function select(root: XmlElement, path: CompiledPath): Selected[] {
  // The document node, as a synthetic element holding the root, so the first step tests the root.
  const documentNode: XmlElement = {
    name: '#document',
    local: '#document',
    ns: '#',
    attributes: [],
    children: [root],
  };
  const hits = evaluate(path.steps, [{ kind: 'element', node: documentNode, parent: undefined }]);
  return hits.map((h) =>
    h.kind === 'element' && h.parent === documentNode ? { ...h, parent: undefined } : h,
  );
}

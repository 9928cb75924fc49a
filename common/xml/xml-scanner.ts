// The scanner behind parseXml: a strict, non-validating, namespace-aware reader of the XML 1.0
// subset the lab accepts, building the XmlElement tree in one pass over a decoded string.
// Why hand-written: the CSP/PIDF throughput targets (Domain1, Domain2, IWF issues) need ~10× what
// saxes delivers on 0.5-2 KB bodies, and fast-xml-parser is not strict enough to keep the
// well-formedness guarantees (see docs/benchmarks.md, "XML layer", for the figures).
//
// What it accepts: XML 1.0 §2.8 prolog without a DOCTYPE (any `<!DOCTYPE` is refused at sight, so
// no DTD is ever read: no XXE, no entity expansion), the five predefined entities and character
// references (§4.1, §4.6), CDATA, comments, PIs, Namespaces in XML 1.0 (3rd ed.) §3-§6. Outcomes
// match the former saxes-based parser (a differential test over every fixture holds them equal).
import { XML_NS, XMLNS_NS } from './serialize.ts';
import { isChar, isNameChar, isNameStartChar, isSpace } from './xml-chars.ts';
import { readXmlDeclaration } from './xml-declaration.ts';
import type { XmlAttribute, XmlElement } from './xml-node.ts';

export type ScanErrorCode =
  | 'XML_ERR_TOO_DEEP'
  | 'XML_ERR_TOO_MANY_NODES'
  | 'XML_ERR_TOO_MANY_ATTRIBUTES'
  | 'XML_ERR_DTD'
  | 'XML_ERR_ENTITY'
  | 'XML_ERR_ENCODING'
  | 'XML_ERR_NAMESPACE'
  | 'XML_ERR_MALFORMED';

/** Thrown inside the scanner to stop at the first error; parseXml turns it into a result. */
export class ScanAbort {
  constructor(
    readonly code: ScanErrorCode,
    readonly message: string,
  ) {}
}

export interface ScanLimits {
  maxDepth: number;
  maxNodes: number;
  maxAttributes: number;
}

const LT = 0x3c;
const GT = 0x3e;
const AMP = 0x26;
const SLASH = 0x2f;
const QUESTION = 0x3f;
const BANG = 0x21;
const EQUAL = 0x3d;
const DQUOTE = 0x22;
const SQUOTE = 0x27;
const CR = 0x0d;
const LF = 0x0a;
const TAB = 0x09;
const SEMICOLON = 0x3b;
const COLON = 0x3a;
const RBRACKET = 0x5d;

const PREDEFINED = new Map([
  ['lt', '<'],
  ['gt', '>'],
  ['amp', '&'],
  ['apos', "'"],
  ['quot', '"'],
]);
const HEX_REF = /^#x[0-9a-fA-F]+$/;
const DEC_REF = /^#[0-9]+$/;
const NC_NAME_TEST = /^[^:]*$/;

/** Parses a whole document held in `s` (already decoded, BOM removed); throws ScanAbort. */
export function scanDocument(s: string, limits: ScanLimits): XmlElement {
  return new Scanner(s, limits).document();
}

class Scanner {
  private i = 0;
  private readonly n: number;
  private nodes = 0;
  /** Open elements, innermost last. */
  private readonly stack: XmlElement[] = [];
  /** Pending character data of the innermost open element (merged across comments, PIs, CDATA). */
  private text = '';
  /**
   * In-scope namespace bindings: prefix → URI, with an undo log (prefix and the URI it shadowed)
   * so an element's declarations are taken back when it ends. Lookups stay O(1) however many
   * declarations a hostile document stacks up. `marks[d]` is the log length before depth d opened.
   */
  private readonly bindings = new Map<string, string>([
    ['xml', XML_NS],
    ['xmlns', XMLNS_NS],
  ]);
  private readonly undoPrefixes: string[] = [];
  private readonly undoUris: Array<string | undefined> = [];
  private undoCount = 0;
  private readonly marks: number[] = [];
  /** Raw attributes of the start tag being read. */
  private readonly attrNames: string[] = [];
  private readonly attrValues: string[] = [];
  private attrCount = 0;

  constructor(
    private readonly s: string,
    private readonly limits: ScanLimits,
  ) {
    this.n = s.length;
  }

  private fail(code: ScanErrorCode, message: string, at = this.i): never {
    let line = 1;
    let lineStart = 0;
    const end = Math.min(at, this.n);
    for (let k = this.s.indexOf('\n'); k >= 0 && k < end; k = this.s.indexOf('\n', k + 1)) {
      line++;
      lineStart = k + 1;
    }
    throw new ScanAbort(code, `${line}:${end - lineStart + 1}: ${message}`);
  }

  private malformed(message: string, at = this.i): never {
    return this.fail('XML_ERR_MALFORMED', message, at);
  }

  document(): XmlElement {
    const s = this.s;
    // §2.8 [23]: the XML declaration, if any, is the very first thing.
    if (s.startsWith('<?xml') && (isSpace(s.charCodeAt(5)) || s.charCodeAt(5) === QUESTION)) {
      this.i = readXmlDeclaration(s, (code, message, at) => this.fail(code, message, at));
    }
    let root: XmlElement | undefined;
    for (;;) {
      this.misc();
      if (this.i >= this.n) break;
      // §2.1 [1] document ::= prolog element Misc*: one root only.
      if (root !== undefined) this.malformed('documents may contain only one root.');
      root = this.element();
    }
    if (root === undefined) this.malformed('document must contain a root element.');
    return root;
  }

  /** §2.8 [27] Misc ::= Comment | PI | S — everything allowed outside the root. Stops at a start tag. */
  private misc(): void {
    const s = this.s;
    const n = this.n;
    while (this.i < n) {
      const c = s.charCodeAt(this.i);
      if (isSpace(c)) {
        this.i++;
        continue;
      }
      if (c !== LT) {
        this.checkChar(this.i);
        this.malformed('text data outside of root node.');
      }
      const c1 = s.charCodeAt(this.i + 1);
      if (c1 === QUESTION) this.processingInstruction();
      else if (c1 === BANG) this.bang(false);
      else if (c1 === SLASH) this.malformed('unexpected close tag.');
      else if (this.i + 1 >= n) this.malformed('unexpected end.');
      else return;
    }
  }

  /** `<!` — a comment; CDATA (only inside the root); a DOCTYPE is refused before it is read. */
  private bang(inRoot: boolean): void {
    const s = this.s;
    if (s.startsWith('<!--', this.i)) this.comment();
    else if (s.startsWith('<![CDATA[', this.i)) {
      if (!inRoot) this.malformed('text data outside of root node.');
      this.cdata();
    } else if (s.startsWith('<!DOCTYPE', this.i)) {
      this.fail('XML_ERR_DTD', 'DOCTYPE/DTD is not accepted');
    } else this.malformed('incorrect syntax.');
  }

  /** Reads the root element and everything inside it, iteratively (no recursion, any depth). */
  private element(): XmlElement {
    const s = this.s;
    const root = this.startTag();
    const stack = this.stack;
    while (stack.length > 0) {
      this.charData();
      if (this.i >= this.n) this.malformed(`unclosed tag: ${stack[stack.length - 1]!.name}`);
      const c1 = s.charCodeAt(this.i + 1);
      if (c1 === SLASH) this.endTag();
      else if (c1 === BANG) this.bang(true);
      else if (c1 === QUESTION) this.processingInstruction();
      else this.startTag();
    }
    return root;
  }

  private countNode(): void {
    if (++this.nodes > this.limits.maxNodes) {
      this.fail('XML_ERR_TOO_MANY_NODES', `more than ${this.limits.maxNodes} nodes`);
    }
  }

  private flushText(parent: XmlElement): void {
    if (this.text === '') return;
    this.countNode();
    parent.children.push(this.text);
    this.text = '';
  }

  /** Advances over a Name (§2.3 [5]) starting at this.i; returns its end. Caller checks the start. */
  private nameEnd(): number {
    const s = this.s;
    const n = this.n;
    let i = this.i;
    while (i < n) {
      const c = s.charCodeAt(i);
      if (c < 0x80) {
        if (isNameChar(c)) {
          i++;
          continue;
        }
        return i;
      }
      const cp = s.codePointAt(i)!;
      if (!isNameChar(cp)) return i;
      i += cp > 0xffff ? 2 : 1;
    }
    return i;
  }

  private startsName(at: number): boolean {
    const c = this.s.charCodeAt(at);
    if (c < 0x80) return isNameStartChar(c);
    const cp = this.s.codePointAt(at);
    return cp !== undefined && isNameStartChar(cp);
  }

  private skipSpaces(): boolean {
    const s = this.s;
    const from = this.i;
    let i = from;
    while (isSpace(s.charCodeAt(i))) i++;
    this.i = i;
    return i > from;
  }

  /** §3.1 [40]/[44] STag / EmptyElemTag at `<`; Namespaces §5/§6 resolution of names. */
  private startTag(): XmlElement {
    const s = this.s;
    const stack = this.stack;
    const parent = stack[stack.length - 1];
    this.i++;
    if (!this.startsName(this.i)) this.malformed('disallowed character in tag name.');
    const nameStart = this.i;
    this.i = this.nameEnd();
    const qname = s.slice(nameStart, this.i);
    if (parent !== undefined) this.flushText(parent);
    if (stack.length + 1 > this.limits.maxDepth) {
      this.fail('XML_ERR_TOO_DEEP', `nesting deeper than ${this.limits.maxDepth}`);
    }
    this.countNode();

    const mark = this.undoCount;
    this.attrCount = 0;
    let selfClosing = false;
    for (;;) {
      const spaced = this.skipSpaces();
      const c = s.charCodeAt(this.i);
      if (c === GT) {
        this.i++;
        break;
      }
      if (c === SLASH) {
        if (s.charCodeAt(this.i + 1) !== GT)
          this.malformed('forward-slash in opening tag not followed by >.');
        this.i += 2;
        selfClosing = true;
        break;
      }
      if (this.i >= this.n) this.malformed('unexpected end.');
      if (!this.startsName(this.i)) this.malformed('disallowed character in attribute name.');
      if (!spaced) this.malformed('no whitespace between attributes.');
      this.attribute();
    }

    const colon = qname.indexOf(':');
    let prefix = '';
    let local = qname;
    if (colon >= 0) {
      prefix = qname.slice(0, colon);
      local = qname.slice(colon + 1);
      if (prefix === '' || local === '' || local.indexOf(':') >= 0)
        this.malformed(`malformed name: ${qname}.`);
    }
    const ns = this.resolve(prefix) ?? '';
    if (prefix !== '') {
      // Namespaces §3 [NSC: Reserved Prefixes] and §5 [NSC: Prefix Declared].
      if (prefix === 'xmlns') this.fail('XML_ERR_NAMESPACE', 'tags may not have "xmlns" as prefix.');
      if (ns === '') this.fail('XML_ERR_NAMESPACE', `unbound namespace prefix: ${JSON.stringify(prefix)}.`);
    }
    const element: XmlElement = {
      name: qname,
      local,
      ns,
      attributes: this.attrCount === 0 ? [] : this.resolveAttributes(),
      children: [],
    };
    if (parent !== undefined) parent.children.push(element);
    if (selfClosing) this.unbind(mark);
    else {
      stack.push(element);
      this.marks.push(mark);
    }
    return element;
  }

  /** §3.1 [41] Attribute ::= Name Eq AttValue; namespace declarations are bound as they are read. */
  private attribute(): void {
    const s = this.s;
    const nameStart = this.i;
    this.i = this.nameEnd();
    const name = s.slice(nameStart, this.i);
    this.skipSpaces();
    if (s.charCodeAt(this.i) !== EQUAL) this.malformed('attribute without value.');
    this.i++;
    this.skipSpaces();
    const q = s.charCodeAt(this.i);
    if (q !== DQUOTE && q !== SQUOTE) this.malformed('unquoted attribute value.');
    this.i++;
    const value = this.attributeValue(q);
    if (this.attrCount + 1 > this.limits.maxAttributes) {
      this.fail(
        'XML_ERR_TOO_MANY_ATTRIBUTES',
        `more than ${this.limits.maxAttributes} attributes on one element`,
      );
    }
    this.attrNames[this.attrCount] = name;
    this.attrValues[this.attrCount] = value;
    this.attrCount++;
    const colon = name.indexOf(':');
    // Namespaces §3 [7] QName: at most one colon, with a non-empty prefix and local part.
    if (colon >= 0 && (colon === 0 || colon === name.length - 1 || name.indexOf(':', colon + 1) >= 0)) {
      this.malformed(`malformed name: ${name}.`, nameStart);
    }
    if (name === 'xmlns') this.declare('', value.trim());
    else if (colon === 5 && name.startsWith('xmlns')) {
      const prefix = name.slice(6);
      const uri = value.trim();
      // Namespaces §5 [NSC: No Prefix Undeclaring] (XML 1.0 form of the Recommendation).
      if (uri === '') this.fail('XML_ERR_NAMESPACE', 'invalid attempt to undefine prefix in XML 1.0');
      this.declare(prefix, uri);
    }
  }

  /** Namespaces §3 [NSC: Reserved Prefixes and Namespace Names]. */
  private declare(prefix: string, uri: string): void {
    if (prefix === 'xml' && uri !== XML_NS) this.malformed(`xml prefix must be bound to ${XML_NS}.`);
    if (prefix === 'xmlns') this.malformed(`xmlns prefix must be bound to ${XMLNS_NS}.`);
    if (uri === XMLNS_NS) this.malformed(`may not assign a prefix (even "xmlns") to the URI ${XMLNS_NS}.`);
    if (uri === XML_NS && prefix !== 'xml')
      this.malformed('may not assign the xml namespace to another prefix.');
    this.undoPrefixes[this.undoCount] = prefix;
    this.undoUris[this.undoCount] = this.bindings.get(prefix);
    this.undoCount++;
    this.bindings.set(prefix, uri);
  }

  private resolve(prefix: string): string | undefined {
    return this.bindings.get(prefix);
  }

  /** Takes back the declarations logged since `mark`, innermost first. */
  private unbind(mark: number): void {
    for (let k = this.undoCount - 1; k >= mark; k--) {
      const previous = this.undoUris[k];
      if (previous === undefined) this.bindings.delete(this.undoPrefixes[k]!);
      else this.bindings.set(this.undoPrefixes[k]!, previous);
    }
    this.undoCount = mark;
  }

  /** Namespaces §6.3: unprefixed attributes are in no namespace; §6.3 uniqueness of expanded names. */
  private resolveAttributes(): XmlAttribute[] {
    const names = this.attrNames;
    const values = this.attrValues;
    const out: XmlAttribute[] = [];
    // Few attributes: compare pairwise. Many (a caller may raise maxAttributes): a Set, so a
    // hostile start tag costs linear time, not quadratic.
    const seenKeys = this.attrCount > 16 ? new Set<string>() : undefined;
    for (let k = 0; k < this.attrCount; k++) {
      const name = names[k]!;
      const colon = name.indexOf(':');
      let local = name;
      let ns = name === 'xmlns' ? XMLNS_NS : '';
      if (colon >= 0) {
        const prefix = name.slice(0, colon);
        local = name.slice(colon + 1);
        const uri = this.resolve(prefix);
        if (uri === undefined) {
          this.fail('XML_ERR_NAMESPACE', `unbound namespace prefix: ${JSON.stringify(prefix)}.`);
        }
        ns = uri;
      }
      // Unprefixed attributes compare by name, prefixed ones by {namespace}local (§3.1 WFC: Unique
      // Att Spec, Namespaces §6.3). A name cannot start with `{`, so the two kinds never collide.
      let dup = false;
      if (seenKeys !== undefined) {
        const key = colon < 0 ? name : `{${ns}}${local}`;
        dup = seenKeys.has(key);
        seenKeys.add(key);
      } else {
        for (const seen of out) {
          if (
            colon < 0
              ? seen.name === name
              : seen.local === local && seen.ns === ns && seen.name !== seen.local
          ) {
            dup = true;
            break;
          }
        }
      }
      if (dup) this.malformed(`duplicate attribute: ${colon < 0 ? name : `{${ns}}${local}`}.`);
      out.push({ name, local, ns, value: values[k]! });
    }
    return out;
  }

  /** §3.1 [42] ETag at `</`: must close the innermost open element. */
  private endTag(): void {
    const s = this.s;
    const stack = this.stack;
    const top = stack[stack.length - 1]!;
    this.i += 2;
    const nameStart = this.i;
    // Fast path: `</name>` exactly as opened (name is known to be well formed).
    const after = nameStart + top.name.length;
    if (s.charCodeAt(after) === GT && s.startsWith(top.name, nameStart)) {
      this.i = after + 1;
      this.flushText(top);
      stack.pop();
      this.unbind(this.marks.pop()!);
      return;
    }
    if (!this.startsName(nameStart)) this.malformed('disallowed character in closing tag.');
    this.i = this.nameEnd();
    const end = this.i;
    this.skipSpaces();
    if (s.charCodeAt(this.i) !== GT) this.malformed('disallowed character in closing tag.');
    if (end - nameStart !== top.name.length || !s.startsWith(top.name, nameStart)) {
      this.malformed(`unmatched closing tag: ${s.slice(nameStart, end)}.`, nameStart);
    }
    this.i++;
    this.flushText(top);
    stack.pop();
    this.unbind(this.marks.pop()!);
  }

  /**
   * §2.4 [14] CharData and §4.1 [66]/[67] references, up to the next `<`. Applies §2.11 line-end
   * normalization (CR LF and lone CR become LF) and refuses `]]>` and non-Chars (§2.2).
   */
  private charData(): void {
    const s = this.s;
    const n = this.n;
    let i = this.i;
    let start = i;
    let out = '';
    while (i < n) {
      const c = s.charCodeAt(i);
      if (c > RBRACKET && c < 0xd800) {
        i++;
        continue;
      }
      if (c === LT) break;
      if (c >= 0x20 && c !== AMP && c !== RBRACKET && c < 0xd800) {
        i++;
        continue;
      }
      if (c === AMP) {
        out += s.slice(start, i);
        this.i = i;
        out += this.reference();
        i = start = this.i;
        continue;
      }
      if (c === RBRACKET) {
        if (s.charCodeAt(i + 1) === RBRACKET && s.charCodeAt(i + 2) === GT) {
          this.malformed('the string "]]>" is disallowed in char data.', i);
        }
        i++;
        continue;
      }
      if (c === CR) {
        out += `${s.slice(start, i)}\n`;
        i += s.charCodeAt(i + 1) === LF ? 2 : 1;
        start = i;
        continue;
      }
      i = this.checkChar(i);
    }
    this.i = i;
    if (i > start) out += s.slice(start, i);
    if (out !== '') this.text += out;
  }

  /** Checks the character at `at` is a §2.2 Char (a surrogate pair counts as one); returns the index after it. */
  private checkChar(at: number): number {
    const c = this.s.charCodeAt(at);
    if (c === TAB || c === LF || c === CR || (c >= 0x20 && c < 0xd800) || (c >= 0xe000 && c <= 0xfffd)) {
      return at + 1;
    }
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = this.s.charCodeAt(at + 1);
      if (d >= 0xdc00 && d <= 0xdfff) return at + 2;
    }
    return this.malformed('disallowed character.', at);
  }

  /** Checks every character in [from, to) is a Char. */
  private checkChars(from: number, to: number): void {
    for (let k = from; k < to; ) k = this.checkChar(k);
  }

  /** §3.1 [10] AttValue with §3.3.3 normalization for CDATA attributes: literal TAB, LF, CR → space. */
  private attributeValue(q: number): string {
    const s = this.s;
    const n = this.n;
    let i = this.i;
    let start = i;
    let out = '';
    for (;;) {
      if (i >= n) this.malformed('unexpected end.', i);
      const c = s.charCodeAt(i);
      if (c === q) break;
      if (c >= 0x20 && c < 0xd800 && c !== LT && c !== AMP) {
        i++;
        continue;
      }
      if (c === LT) this.malformed('disallowed character.', i);
      if (c === AMP) {
        out += s.slice(start, i);
        this.i = i;
        out += this.reference();
        i = start = this.i;
        continue;
      }
      if (c === TAB || c === LF || c === CR) {
        out += `${s.slice(start, i)} `;
        i += c === CR && s.charCodeAt(i + 1) === LF ? 2 : 1;
        start = i;
        continue;
      }
      i = this.checkChar(i);
    }
    this.i = i + 1;
    return out === '' ? s.slice(start, i) : out + s.slice(start, i);
  }

  /** §4.1 [67] Reference at `&`: only the five predefined entities (§4.6) and character references. */
  private reference(): string {
    const s = this.s;
    const from = this.i + 1;
    let end = from;
    while (end < this.n && s.charCodeAt(end) !== SEMICOLON) end = this.checkChar(end);
    if (end >= this.n) this.malformed('unexpected end.', end);
    const name = s.slice(from, end);
    this.i = end + 1;
    const predefined = PREDEFINED.get(name);
    if (predefined !== undefined) return predefined;
    if (name === '') this.fail('XML_ERR_ENTITY', 'empty entity name.', from);
    if (name.charCodeAt(0) === 0x23 /* # */) {
      let code = Number.NaN;
      if (HEX_REF.test(name) && name.charCodeAt(1) === 0x78) code = Number.parseInt(name.slice(2), 16);
      else if (DEC_REF.test(name)) code = Number.parseInt(name.slice(1), 10);
      // §4.1 WFC: Legal Character.
      if (!isChar(code)) this.fail('XML_ERR_ENTITY', 'malformed character entity.', from);
      return String.fromCodePoint(code);
    }
    // §4.1 WFC: Entity Declared — with no DTD, nothing but the predefined five is declared.
    const isName = this.startsName(from) && NC_NAME_TEST.test(name) && this.isNameAll(from, end);
    return this.fail(
      'XML_ERR_ENTITY',
      isName ? 'undefined entity.' : 'disallowed character in entity name.',
      from,
    );
  }

  private isNameAll(from: number, to: number): boolean {
    const save = this.i;
    this.i = from;
    const end = this.nameEnd();
    this.i = save;
    return end === to;
  }

  /** §2.5 [15] Comment: `--` may not occur inside; content must be Chars. */
  private comment(): void {
    const from = this.i + 4;
    const end = this.s.indexOf('--', from);
    if (end < 0) this.malformed('unexpected end.', this.n);
    if (this.s.charCodeAt(end + 2) !== GT) this.malformed('malformed comment.', end);
    this.checkChars(from, end);
    this.i = end + 3;
  }

  /** §2.7 [18] CDSect: its content is character data, line ends normalized. */
  private cdata(): void {
    const s = this.s;
    const from = this.i + 9;
    const end = s.indexOf(']]>', from);
    if (end < 0) this.malformed('unexpected end.', this.n);
    this.checkChars(from, end);
    const raw = s.slice(from, end);
    this.text += raw.indexOf('\r') < 0 ? raw : raw.replace(/\r\n?/g, '\n');
    this.i = end + 3;
  }

  /** §2.6 [16] PI: target is an NCName (Namespaces §7) and not `xml` in any case. Skipped. */
  private processingInstruction(): void {
    const s = this.s;
    const from = this.i + 2;
    this.i = from;
    if (!this.startsName(from) || s.charCodeAt(from) === COLON) {
      this.malformed('disallowed character in processing instruction name.');
    }
    const targetEnd = this.nameEnd();
    const target = s.slice(from, targetEnd);
    if (target.indexOf(':') >= 0)
      this.malformed('disallowed character in processing instruction name.', from);
    if (target.toLowerCase() === 'xml') {
      this.malformed('an XML declaration must be at the start of the document.', from);
    }
    if (s.startsWith('?>', targetEnd)) {
      this.i = targetEnd + 2;
      return;
    }
    if (!isSpace(s.charCodeAt(targetEnd))) {
      this.malformed('disallowed character in processing instruction name.', targetEnd);
    }
    const end = s.indexOf('?>', targetEnd);
    if (end < 0) this.malformed('unexpected end.', this.n);
    this.checkChars(targetEnd, end);
    this.i = end + 2;
  }
}

// The XML declaration, read once at offset 0 by the scanner. Kept apart because it is a grammar of
// its own (pseudo-attributes in a fixed order) and the one place where the encoding is checked.
import { isSpace } from './xml-chars.ts';
import type { ScanErrorCode } from './xml-scanner.ts';

type Fail = (code: ScanErrorCode, message: string, at: number) => never;

const NAMES = ['version', 'encoding', 'standalone'];
const EQUAL = 0x3d;
const DQUOTE = 0x22;
const SQUOTE = 0x27;

/**
 * §2.8 [23] XMLDecl ::= '<?xml' VersionInfo EncodingDecl? SDDecl? S? '?>', with `s` starting at
 * `<?xml`. Returns the index just past `?>`; calls `fail` (which throws) on any fault.
 */
export function readXmlDeclaration(s: string, fail: Fail): number {
  const malformed = (message: string, at: number): never => fail('XML_ERR_MALFORMED', message, at);
  const skipSpaces = (from: number): number => {
    let k = from;
    while (isSpace(s.charCodeAt(k))) k++;
    return k;
  };
  let i = 5;
  let next = 0;
  let encoding: string | undefined;
  let sawVersion = false;
  for (;;) {
    const afterSpace = skipSpaces(i);
    const spaced = afterSpace > i;
    i = afterSpace;
    if (s.startsWith('?>', i)) {
      i += 2;
      break;
    }
    if (i >= s.length) malformed('XML declaration is incomplete.', i);
    if (!spaced) malformed('whitespace required.', i);
    const nameStart = i;
    for (let c = s.charCodeAt(i); c >= 0x61 && c <= 0x7a; c = s.charCodeAt(i)) i++;
    const name = s.slice(nameStart, i);
    // VersionInfo first, then EncodingDecl and SDDecl, each at most once and in this order.
    const at = NAMES.indexOf(name, next);
    if (at < 0 || (next === 0 && at !== 0))
      malformed(`expected one of ${NAMES.slice(next).join(', ')}`, nameStart);
    next = at + 1;
    i = skipSpaces(i);
    if (s.charCodeAt(i) !== EQUAL) malformed('value required.', i);
    i = skipSpaces(i + 1);
    const q = s.charCodeAt(i);
    if (q !== DQUOTE && q !== SQUOTE) malformed('value must be quoted.', i);
    const valueEnd = s.indexOf(String.fromCharCode(q), i + 1);
    if (valueEnd < 0) malformed('XML declaration is incomplete.', s.length);
    const value = s.slice(i + 1, valueEnd);
    if (name === 'version') {
      // §2.8 [26] VersionNum ::= '1.' [0-9]+ — a 1.x document is read with the 1.0 rules.
      if (!/^1\.[0-9]+$/.test(value)) malformed('version number must match /^1\\.[0-9]+$/.', i);
      sawVersion = true;
    } else if (name === 'encoding') {
      // §4.3.3 [81] EncName ::= [A-Za-z] ([A-Za-z0-9._] | '-')*
      if (!/^[A-Za-z][A-Za-z0-9._-]*$/.test(value)) malformed('encoding value is malformed.', i);
      encoding = value;
    } else if (value !== 'yes' && value !== 'no') {
      // §2.9 [32] SDDecl
      malformed('standalone value must match "yes" or "no".', i);
    }
    i = valueEnd + 1;
  }
  if (!sawVersion) malformed('XML declaration must contain a version.', i);
  // Every SIMPLE/CSP body the lab handles is UTF-8 (RFC 3863 §4 mandates it for PIDF).
  if (encoding !== undefined && !/^utf-8$/i.test(encoding)) {
    fail('XML_ERR_ENCODING', `encoding ${encoding} is not supported (UTF-8 only)`, 0);
  }
  return i;
}

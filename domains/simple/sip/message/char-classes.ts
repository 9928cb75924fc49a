// Character classes of the RFC 3261 §25.1 ABNF as one lookup table, so the parsers scan by
// charCode with a single array access and a mask instead of regular expressions.

export const C_ALPHA = 1;
export const C_DIGIT = 2;
/** token = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~") */
export const C_TOKEN = 4;
/** unreserved = alphanum / mark ( "-" / "_" / "." / "!" / "~" / "*" / "'" / "(" / ")" ) */
export const C_UNRESERVED = 8;
/** user-unreserved = "&" / "=" / "+" / "$" / "," / ";" / "?" / "/" (plus unreserved) */
export const C_USER = 16;
/** password = *( unreserved / escaped / "&" / "=" / "+" / "$" / "," ) */
export const C_PASSWORD = 32;
/** paramchar = param-unreserved ("[" / "]" / "/" / ":" / "&" / "+" / "$") / unreserved */
export const C_PARAM = 64;
/** hnv-unreserved = "[" / "]" / "/" / "?" / ":" / "+" / "$" (plus unreserved) */
export const C_HNV = 128;
/** word (Call-ID) = token chars plus "(" / ")" / "<" / ">" / ":" / "\" / DQUOTE / "/" / "[" / "]" / "?" / "{" / "}" */
export const C_WORD = 256;
/** uric of absoluteURI: reserved / unreserved (escaped handled apart) */
export const C_URIC = 512;
/** hostname and IPv4 characters: alphanum / "-" / "." */
export const C_HOST = 1024;
/** hex digits */
export const C_HEX = 2048;
/** scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) (after the first char) */
export const C_SCHEME = 4096;

/** gen-value = token / host: token characters plus ':' '[' ']' (IPv6 references) */
export const C_GENVALUE = 8192;

export const CHAR = new Uint16Array(128);

function mark(chars: string, flag: number): void {
  for (let i = 0; i < chars.length; i++) CHAR[chars.charCodeAt(i)]! |= flag;
}

const ALPHA = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const DIGIT = '0123456789';
const ALNUM = ALPHA + DIGIT;
mark(ALPHA, C_ALPHA);
mark(DIGIT, C_DIGIT);
mark(`${ALNUM}-.!%*_+\`'~`, C_TOKEN);
const UNRESERVED = `${ALNUM}-_.!~*'()`;
mark(UNRESERVED, C_UNRESERVED);
mark(`${UNRESERVED}&=+$,;?/`, C_USER);
mark(`${UNRESERVED}&=+$,`, C_PASSWORD);
mark(`${UNRESERVED}[]/:&+$`, C_PARAM);
mark(`${UNRESERVED}[]/?:+$`, C_HNV);
mark(`${ALNUM}-.!%*_+\`'~()<>:\\"/[]?{}`, C_WORD);
mark(`${UNRESERVED};/?:@&=+$,`, C_URIC);
mark(`${ALNUM}-.`, C_HOST);
mark('0123456789abcdefABCDEF', C_HEX);
mark(`${ALNUM}+-.`, C_SCHEME);
mark(`${ALNUM}-.!%*_+\`'~:[]`, C_GENVALUE);

/** True when code (a UTF-16 unit) is ASCII and in class `flag`. */
export function is(code: number, flag: number): boolean {
  return code < 128 && (CHAR[code]! & flag) !== 0;
}

export function isWs(code: number): boolean {
  return code === 32 || code === 9;
}

/** True when every char of s[from, to) is in `flag`, %-escapes (`% HEX HEX`) allowed when `escapes`. */
export function allIn(s: string, from: number, to: number, flag: number, escapes: boolean): boolean {
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c < 128 && (CHAR[c]! & flag) !== 0 && c !== 37) continue;
    if (c === 37) {
      if (escapes) {
        if (i + 2 >= to || !is(s.charCodeAt(i + 1), C_HEX) || !is(s.charCodeAt(i + 2), C_HEX)) return false;
        i += 2;
        continue;
      }
      // '%' is a plain token character (RFC 4475 intmeth/esc02: not an escape in tokens).
      if ((CHAR[37]! & flag) !== 0) continue;
    }
    return false;
  }
  return true;
}

export function isToken(s: string, from = 0, to = s.length): boolean {
  return to > from && allIn(s, from, to, C_TOKEN, false);
}

import { CANONICAL_HEADER_NAMES } from './header-names.ts';
import type { SipMessage } from './sip-message.ts';
import { formatUri } from './uri-codec.ts';

// SipMessage → bytes (RFC 3261 §7). Header names are written as SipHeaders holds them (canonical
// spelling, compact forms expanded); Content-Length always states the body's length in bytes
// (§20.14), in place of any stored value, or appended when absent. Values are written as stored;
// a CR or LF inside a value would split the field, so it is written as SP instead.

// The canonical spellings hold no CR or LF: one Set lookup (cached hash) instead of two scans.
const CANONICAL = new Set<string>(CANONICAL_HEADER_NAMES);

function cleanName(name: string): string {
  return CANONICAL.has(name) ? name : clean(name);
}

function clean(value: string): string {
  if (value.indexOf('\r') === -1 && value.indexOf('\n') === -1) return value;
  return value.replace(/\r\n|\r|\n/g, ' ');
}

/** The wire form of a message. Never throws for any SipMessage the model can hold. */
export function encodeSipMessage(msg: SipMessage): Buffer {
  let head =
    msg.kind === 'request'
      ? `${clean(msg.method)} ${clean(formatUri(msg.uri))} ${msg.version}\r\n`
      : `${msg.version} ${msg.status} ${clean(msg.reason)}\r\n`;
  const body = msg.body;
  let wroteLength = false;
  const fields = msg.headers.all;
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]!;
    if (f.name === 'Content-Length' || (f.name.length === 14 && f.name.toLowerCase() === 'content-length')) {
      if (wroteLength) continue; // one Content-Length only (RFC 4475 mcl01)
      wroteLength = true;
      head += `Content-Length: ${body.length}\r\n`;
      continue;
    }
    head += `${cleanName(f.name)}: ${clean(f.value)}\r\n`;
  }
  if (!wroteLength) head += `Content-Length: ${body.length}\r\n`;
  head += '\r\n';
  const headLength = Buffer.byteLength(head, 'utf8');
  const out = Buffer.allocUnsafe(headLength + body.length);
  out.write(head, 0, 'utf8');
  body.copy(out, headLength);
  return out;
}

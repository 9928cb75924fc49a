// What the WBXML fast readers are checked against: decodeCsp's WBXML branch without any fast
// path (every element as an XmlElement, errors mapped as in csp-codec.ts), and the corpus both
// readers run over (the WBXML vectors, and every XML sample encoded in each CSP version).
import { type DecodeCspResult, decodeCsp, encodeCsp } from '../../../../../../domains/imps/csp/csp-codec.ts';
import { cspError } from '../../../../../../domains/imps/csp/csp-errors.ts';
import { readCspMessage } from '../../../../../../domains/imps/csp/csp-message-tree.ts';
import type { CspVersion } from '../../../../../../domains/imps/csp/csp-version.ts';
import type { WbxmlLimits } from '../../../../../../domains/imps/csp/wbxml/wbxml-byte-reader.ts';
import { decodeWbxml } from '../../../../../../domains/imps/csp/wbxml/wbxml-decoder.ts';
import { wbxmlVectors, xmlSamples } from '../samples.ts';

export const VERSIONS: readonly CspVersion[] = ['1.1', '1.2', '1.3'];
export const LIMITS = { maxBytes: 256 * 1024, maxDepth: 48, maxNodes: 20_000 };

export function treePath(bytes: Buffer, limits: WbxmlLimits = LIMITS): DecodeCspResult {
  const doc = decodeWbxml(bytes, limits);
  if (!doc.ok) {
    const name =
      doc.error.code === 'WBXML_ERR_UNSUPPORTED' ? 'CSP_ERR_UNSUPPORTED_WBXML' : 'CSP_ERR_MALFORMED_WBXML';
    const err = doc.error.code === 'WBXML_ERR_TOO_DEEP' ? 'CSP_ERR_TOO_DEEP' : name;
    return { ok: false, status: cspError(err, doc.error.message) };
  }
  const d = doc.document;
  if (!d.versionKnown && d.root.ns === '')
    return { ok: false, status: cspError('CSP_ERR_VERSION_NOT_SUPPORTED') };
  const r = readCspMessage(d.root, 'wbxml', d.versionKnown ? d.version : undefined);
  return r.ok ? r : { ok: false, status: r.error };
}

export function wbxmlCorpus(): Array<{ id: string; bytes: Buffer }> {
  const out: Array<{ id: string; bytes: Buffer }> = [];
  for (const v of wbxmlVectors()) out.push({ id: `${v.name}.wbxml`, bytes: v.bytes });
  for (const s of xmlSamples()) {
    const r = decodeCsp(s.bytes, 'application/vnd.wv.csp.xml');
    if (!r.ok) continue;
    for (const version of VERSIONS)
      out.push({
        id: `${s.id} as ${version}`,
        bytes: encodeCsp(r.message, { version, encoding: 'wbxml' }).body,
      });
  }
  return out;
}

// Loads the CSP sample corpus copied into tests/fixtures/imps (see its README for the sources).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeCsp } from '../../../../../domains/imps/csp/csp-codec.ts';
import type { CspMessage } from '../../../../../domains/imps/csp/model/envelope.ts';

export const FIXTURES = join(import.meta.dirname, '..', '..', '..', '..', 'fixtures', 'imps');
export const SAMPLES = join(FIXTURES, 'imps-samples');

export interface XmlSample {
  /** folder/file, e.g. csp11-spec-examples/001-Status-Response.xml */
  id: string;
  folder: string;
  path: string;
  bytes: Buffer;
}

export const XML_FOLDERS = [
  'csp11-spec-examples',
  'real-client-csp11',
  'real-client-csp12-colibria',
  'wbxml-vectors',
];

export function xmlSamples(folders: readonly string[] = XML_FOLDERS): XmlSample[] {
  const out: XmlSample[] = [];
  for (const folder of folders) {
    for (const name of readdirSync(join(SAMPLES, folder)).sort()) {
      if (!name.endsWith('.xml')) continue;
      const path = join(SAMPLES, folder, name);
      out.push({ id: `${folder}/${name}`, folder, path, bytes: readFileSync(path) });
    }
  }
  return out;
}

export interface WbxmlVector {
  /** e.g. encoder__cap_request */
  name: string;
  bytes: Buffer;
  /** The XML twin, when the corpus has one. */
  xml: Buffer | undefined;
}

export function wbxmlVectors(): WbxmlVector[] {
  const dir = join(SAMPLES, 'wbxml-vectors');
  const names = readdirSync(dir);
  return names
    .filter((n) => n.endsWith('.wbxml.hex'))
    .sort()
    .map((n) => {
      const name = n.slice(0, -'.wbxml.hex'.length);
      const hex = readFileSync(join(dir, n), 'utf8').replace(/\s+/g, '');
      const xmlName = `${name}.xml`;
      return {
        name,
        bytes: Buffer.from(hex, 'hex'),
        xml: names.includes(xmlName) ? readFileSync(join(dir, xmlName)) : undefined,
      };
    });
}

/** Drops a leading `<!DOCTYPE …>` so the DTD-refusing parser can read a sample as a plain tree. */
export function withoutDoctype(xml: Buffer): string {
  return xml.toString('utf8').replace(/<!DOCTYPE[^>[]*>/, '');
}

/** Every XML sample and WBXML vector that decodes, as its message (the model writers' corpus). */
export function decodedSamples(): Array<{ id: string; message: CspMessage }> {
  const out: Array<{ id: string; message: CspMessage }> = [];
  for (const s of xmlSamples()) {
    const r = decodeCsp(s.bytes, 'application/vnd.wv.csp.xml');
    if (r.ok) out.push({ id: s.id, message: r.message });
  }
  for (const v of wbxmlVectors()) {
    const r = decodeCsp(v.bytes, 'application/vnd.wv.csp.wbxml');
    if (r.ok) out.push({ id: `${v.name}.wbxml`, message: r.message });
  }
  return out;
}

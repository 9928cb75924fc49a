// Validates an XML document against one of the SIMPLE schemas with libxml2's xmllint
// (`xmllint --noout --nonet --schema <xsd> -`). Schemas live in tests/fixtures/simple-xsd and
// import each other by relative path, so validation never touches the network.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

export const SIMPLE_XSD_DIR = join(import.meta.dirname, '..', 'fixtures', 'simple-xsd');

export interface XmllintResult {
  valid: boolean;
  /** xmllint's diagnostics (stderr), for assertion messages. */
  output: string;
}

/** `schema` is a file name inside tests/fixtures/simple-xsd (e.g. `lab-presence.xsd`). */
export function xmllintValidate(xml: string, schema: string, timeoutMs = 10_000): XmllintResult {
  const r = spawnSync('xmllint', ['--noout', '--nonet', '--schema', join(SIMPLE_XSD_DIR, schema), '-'], {
    input: xml,
    encoding: 'utf8',
    timeout: timeoutMs,
  });
  if (r.error) throw new Error(`xmllint could not run (install libxml2-utils): ${r.error.message}`);
  if (r.signal) throw new Error(`xmllint killed by ${r.signal} after ${timeoutMs} ms`);
  return { valid: r.status === 0, output: `${r.stderr}` };
}

/** Assertion helper: throws with xmllint's message (and the document) when invalid. */
export function assertSchemaValid(xml: string, schema: string): void {
  const r = xmllintValidate(xml, schema);
  if (!r.valid) throw new Error(`${schema} rejects the document:\n${r.output}\n${xml}`);
}

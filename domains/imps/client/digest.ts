// imps.md §2.2: DigestBytes = Base64(H(nonce || password)), bytes as ISO-8859-1; SHA = SHA-1.
import { createHash } from 'node:crypto';

const ALGORITHMS: Record<string, string> = { MD5: 'md5', SHA: 'sha1' };

export function digestBytes(schema: string, nonce: string, password: string): string | undefined {
  const algorithm = ALGORITHMS[schema.trim().toUpperCase()];
  if (algorithm === undefined) return undefined;
  return createHash(algorithm)
    .update(Buffer.from(nonce + password, 'latin1'))
    .digest('base64');
}

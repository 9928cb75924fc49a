// Test helper: a deep copy of any model with namespace-declaration attributes removed from every
// embedded XmlElement, so models compare by meaning (where a declaration sits is not meaning).
const XMLNS = 'http://www.w3.org/2000/xmlns/';

export function stripXmlns<T>(value: T): T {
  if (Array.isArray(value)) return value.map(stripXmlns) as T;
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === 'attributes' && Array.isArray(v)) out[k] = v.filter((a: { ns?: string }) => a.ns !== XMLNS);
    else out[k] = stripXmlns(v);
  }
  return out as T;
}

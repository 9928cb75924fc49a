// Typed CSP message -> XML text without the intermediate XmlElement tree: the envelope and the
// typed primitive written straight from the model by the schema, as the same text
// `serializeXml(writeCspMessage(...))` gives (checked on every sample by
// tests/unit/domains/imps/csp/xml-model-writer.test.ts). It is the encode half of `encodeCsp`
// for XML (docs/imps-csp.md, "Performance"). Whatever needs namespace bookkeeping or the
// sender's own order — kept elements, foreign attributes, `$layout`, `$text`, several
// transactions, a generic primitive — makes it answer undefined, and the tree path writes it.
import { escapeAttribute, escapeText } from '../../../common/xml/serialize.ts';
import { CSP_NAMESPACES, type CspVersion } from './csp-version.ts';
import type { CspMessage } from './model/envelope.ts';
import { PRIMITIVE_SCHEMAS } from './model/primitives.ts';
import { type Field, fieldList, type Meta, type Struct } from './model/schema.ts';

const DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';

class Unusual {}
const UNUSUAL = new Unusual();

/** The XML text of `message` in `version` (no indent), or undefined when the tree path must write it. */
export function writeCspXml(message: CspMessage, version: CspVersion): string | undefined {
  const env = message.envelope;
  if (env.transactions.length !== 1 || env.$attributes !== undefined || env.$extensions !== undefined)
    return undefined;
  const tx = env.transactions[0]!;
  if (
    tx.segmentInfo !== undefined ||
    tx.extBlocks !== undefined ||
    tx.$extensions !== undefined ||
    tx.$descriptorText !== undefined
  )
    return undefined;
  const p = tx.primitive;
  if ('generic' in p) return undefined;
  const ns = CSP_NAMESPACES[version];
  const schema: Struct = PRIMITIVE_SCHEMAS[p.name];
  let primitive: string;
  try {
    primitive = struct(p.name, p.body as Record<string, unknown> & Meta, schema, '', escapeAttribute(ns.pa));
  } catch (e) {
    if (e === UNUSUAL) return undefined;
    throw e;
  }
  let out = `${DECLARATION}<WV-CSP-Message xmlns="${escapeAttribute(ns.csp)}"><Session><SessionDescriptor>`;
  out += leaf('SessionType', env.sessionType);
  if (env.sessionId !== undefined) out += leaf('SessionID', env.sessionId);
  out += '</SessionDescriptor><Transaction><TransactionDescriptor>';
  out += leaf('TransactionMode', tx.mode);
  if (tx.transactionId !== undefined) out += leaf('TransactionID', tx.transactionId);
  // imps.md §1.1: Poll in TransactionDescriptor for 1.1, in Session for 1.2+ (as writeCspMessage).
  const txPoll = tx.poll ?? env.poll;
  if (version === '1.1' && txPoll !== undefined) out += leaf('Poll', txPoll ? 'T' : 'F');
  const poll = env.poll ?? tx.poll;
  out += `</TransactionDescriptor><TransactionContent xmlns="${escapeAttribute(ns.trc)}">${primitive}`;
  out += '</TransactionContent></Transaction>';
  if (version !== '1.1' && poll !== undefined) out += leaf('Poll', poll ? 'T' : 'F');
  if (version !== '1.1' && env.cir !== undefined) out += leaf('CIR', env.cir ? 'T' : 'F');
  return `${out}</Session></WV-CSP-Message>`;
}

function leaf(name: string, value: string): string {
  return value === '' ? `<${name}/>` : `<${name}>${escapeText(value)}</${name}>`;
}

/** `paXmlns` is the escaped PA namespace; `xmlns` the escaped namespace this element declares, or ''. */
function struct(
  name: string,
  model: Record<string, unknown> & Meta,
  schema: Struct,
  xmlns: string,
  paXmlns: string,
): string {
  if (
    model.$layout !== undefined ||
    model.$text !== undefined ||
    model.$extensions !== undefined ||
    model.$attributes !== undefined
  )
    throw UNUSUAL;
  let out = '';
  const fields = fieldList(schema);
  for (let i = 0; i < fields.length; i++) {
    const [key, field] = fields[i]!;
    const v = model[key];
    if (v === undefined) continue;
    if (field.many) {
      const list = v as unknown[];
      for (let j = 0; j < list.length; j++) out += value(field, list[j], paXmlns);
    } else out += value(field, v, paXmlns);
  }
  const open = xmlns === '' ? `<${name}` : `<${name} xmlns="${xmlns}"`;
  return out === '' ? `${open}/>` : `${open}>${out}</${name}>`;
}

function value(field: Field, v: unknown, paXmlns: string): string {
  switch (field.kind) {
    case 'text':
      return leaf(field.el, v as string);
    case 'int':
      return leaf(field.el, String(v));
    case 'bool':
      return leaf(field.el, v ? 'T' : 'F');
    case 'element':
      throw UNUSUAL; // a kept tree: its namespaces need serializeXml's scopes
    default:
      return struct(
        field.el,
        v as Record<string, unknown> & Meta,
        field.kind,
        field.pa ? paXmlns : '',
        paXmlns,
      );
  }
}

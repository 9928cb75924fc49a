// WBXML bytes -> CspMessage for the plain message, envelope included, with no XmlElement at all:
// the hot half of `decodeCsp` for WBXML. It reads the envelope the way our encoder and the usual
// terminals write it (imps.md §1.1, §9):
//
//   WV-CSP-Message xmlns=CSP / Session / SessionDescriptor (SessionType, SessionID?) /
//   Transaction (TransactionDescriptor (TransactionMode, TransactionID?, Poll?),
//   TransactionContent xmlns=TRC? (typed primitive)) / Poll? / CIR?
//
// and the primitive by its schema (wbxml-struct-reader.ts). Anything else — another order, PIs,
// kept elements, several transactions, a generic primitive, text between elements, an element
// without content, a root without the CSP xmlns, any error or limit — answers undefined, and the
// codec decodes by the tree, whose readCspMessage gives the same message or the CSP status
// (tests/unit/domains/imps/csp/wbxml/wbxml-message-reader.test.ts compares the two).
import type { CspVersion } from '../csp-version.ts';
import type {
  CspEnvelope,
  CspMessage,
  CspTransaction,
  SessionType,
  TransactionMode,
} from '../model/envelope.ts';
import { isTypedPrimitiveName, PRIMITIVE_SCHEMAS, type TypedPrimitive } from '../model/primitives.ts';
import type { Struct } from '../model/schema.ts';
import { END, LITERAL, SWITCH_PAGE, type WbxmlLimits } from './wbxml-byte-reader.ts';
import { bail, boolValue, NS_CSP, readPlan, WbxmlStructReader } from './wbxml-struct-reader.ts';
import { PAGE_COUNT, TABLES } from './wbxml-tables.ts';

const VERSIONS: readonly CspVersion[] = ['1.1', '1.2', '1.3'];

// WV-CSP-Message with attributes and content: tag token 0x09 on page 0 in every version.
const ROOT_TAG = 0xc9;
for (const t of TABLES)
  if (t.tagNames[ROOT_TAG & 0x3f] !== 'WV-CSP-Message') throw new Error('WV-CSP-Message is not 0x09');

/** The message, or undefined when the tree path must read it. Never throws. */
export function readCspWbxml(bytes: Uint8Array, limits: Required<WbxmlLimits>): CspMessage | undefined {
  try {
    return new MessageReader(bytes, limits).message();
  } catch {
    return undefined;
  }
}

class MessageReader extends WbxmlStructReader {
  /** Whether the tag `tag` just read has attributes. */
  private withAttributes = false;

  message(): CspMessage {
    this.header();
    // WBXML §5.8.2: the root; the public id is not needed, the xmlns names the version.
    if (this.limits.maxDepth < 1 || this.byte() !== ROOT_TAG) bail();
    this.nodes = 1;
    const ns = this.xmlnsAttribute(this.byte());
    if (this.byte() !== END || ns >> 2 !== NS_CSP || (ns & 3) === 3) bail();
    const vi = ns & 3;
    this.useVersion(vi);

    if (this.tag(1) !== 'Session' || this.withAttributes) bail();
    if (this.tag(2) !== 'SessionDescriptor' || this.withAttributes) bail();
    if (this.tag(3) !== 'SessionType' || this.withAttributes) bail();
    const sessionType = this.envelopeText().trim();
    if (sessionType !== 'Inband' && sessionType !== 'Outband') bail();
    let name = this.tag(3);
    let sessionId: string | undefined;
    if (name === 'SessionID' && !this.withAttributes) {
      sessionId = this.envelopeText();
      name = this.tag(3);
    }
    if (name !== '') bail();

    if (this.tag(2) !== 'Transaction' || this.withAttributes) bail();
    if (this.tag(3) !== 'TransactionDescriptor' || this.withAttributes) bail();
    if (this.tag(4) !== 'TransactionMode' || this.withAttributes) bail();
    const mode = this.envelopeText().trim();
    if (mode !== 'Request' && mode !== 'Response') bail();
    name = this.tag(4);
    let transactionId: string | undefined;
    if (name === 'TransactionID' && !this.withAttributes) {
      transactionId = this.envelopeText();
      name = this.tag(4);
    }
    // Poll in TransactionDescriptor: CSP 1.1 (imps.md §1.1); read in any version, as the tree does.
    let txPoll: boolean | undefined;
    if (name === 'Poll' && !this.withAttributes) {
      txPoll = boolValue(this.envelopeText());
      name = this.tag(4);
    }
    if (name !== '') bail();

    if (this.tag(3) !== 'TransactionContent') bail();
    // imps.md §1.2: a TRC namespace of another version is 505; the tree path answers that.
    if (this.withAttributes) {
      const trc = this.xmlnsAttribute(this.byte());
      if (this.byte() !== END || (trc & 3) !== vi) bail();
    }
    const primitiveName = this.tag(4);
    if (!isTypedPrimitiveName(primitiveName)) return bail();
    if (this.withAttributes) this.schemaAttributes();
    const schema: Struct = PRIMITIVE_SCHEMAS[primitiveName];
    const body = this.structBody(readPlan(schema, vi), 5);
    // One primitive per TransactionContent, one transaction (several: the tree path).
    if (this.tag(4) !== '' || this.tag(3) !== '') bail();

    name = this.tag(2);
    let poll: boolean | undefined;
    if (name === 'Poll' && !this.withAttributes) {
      poll = boolValue(this.envelopeText());
      name = this.tag(2);
    }
    let cir: boolean | undefined;
    if (name === 'CIR' && !this.withAttributes) {
      cir = boolValue(this.envelopeText());
      name = this.tag(2);
    }
    if (name !== '' || this.tag(1) !== '' || this.pos !== this.buf.length) bail();

    // The objects readCspMessage builds, with their keys in its order.
    const primitive = { name: primitiveName, body } as TypedPrimitive;
    const tx: CspTransaction = { mode: mode as TransactionMode, primitive };
    if (transactionId !== undefined) tx.transactionId = transactionId;
    if (txPoll !== undefined) tx.poll = txPoll;
    const envelope: CspEnvelope = { sessionType: sessionType as SessionType, transactions: [tx] };
    if (sessionId !== undefined) envelope.sessionId = sessionId;
    if (poll !== undefined) envelope.poll = poll;
    if (cir !== undefined) envelope.cir = cir;
    return { version: VERSIONS[vi]!, encoding: 'wbxml', envelope, primitive };
  }

  /**
   * The next element's name ('' for the END of the open one), its tag consumed; elements
   * without content, text and LITERAL names bail. `depth` is the element's nesting (root 0).
   */
  private tag(depth: number): string {
    let t = this.byte();
    while (t === SWITCH_PAGE) {
      this.page = this.byte();
      t = this.byte();
    }
    if (t === END) return '';
    const low = t & 0x3f;
    if ((t & 0x40) === 0 || low <= LITERAL || this.page >= PAGE_COUNT) return bail();
    const name = this.tables.tagNames[this.page * 64 + low];
    if (name === undefined || depth >= this.limits.maxDepth || ++this.nodes > this.limits.maxNodes)
      return bail();
    this.withAttributes = (t & 0x80) !== 0;
    return name;
  }

  /** An envelope leaf's text (no envelope element is an integer or a date-time). */
  private envelopeText(): string {
    return this.leafText(false, false, '');
  }
}

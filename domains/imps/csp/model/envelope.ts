// The CSP envelope (imps.md §1.1): WV-CSP-Message / Session / SessionDescriptor / Transaction+.
import type { XmlAttribute, XmlElement } from '../../../../common/xml/xml-node.ts';
import type { CspEncoding, CspVersion } from '../csp-version.ts';
import type { CspPrimitive } from './primitives.ts';

export type SessionType = 'Inband' | 'Outband';
export type TransactionMode = 'Request' | 'Response';

export interface CspTransaction {
  mode: TransactionMode;
  /** Free-form; copied verbatim by the responder. May be '' (Colibria Polling-Request). */
  transactionId?: string;
  /** CSP 1.1 only: Poll lives in TransactionDescriptor. */
  poll?: boolean;
  /** CSP 1.3 SegmentInfo, kept as an element. */
  segmentInfo?: XmlElement;
  primitive: CspPrimitive;
  /** 1.2+ vendor ExtBlock elements after TransactionContent. */
  extBlocks?: XmlElement[];
  /** Stray non-blank text inside TransactionDescriptor (seen in CSP 1.1 example 002), kept. */
  $descriptorText?: string;
  /** Unknown children of Transaction / TransactionDescriptor. */
  $extensions?: XmlElement[];
}

export interface CspEnvelope {
  sessionType: SessionType;
  /** Present iff Inband. */
  sessionId?: string;
  transactions: CspTransaction[];
  /** CSP 1.2/1.3: Poll after the transactions (1.1 keeps it per transaction). */
  poll?: boolean;
  /** CSP 1.2/1.3: CIR=F means the CIR channel is down. */
  cir?: boolean;
  /** Attributes of WV-CSP-Message other than the CSP xmlns (e.g. xmlns:xsi). */
  $attributes?: XmlAttribute[];
  /** Unknown children of Session. */
  $extensions?: XmlElement[];
}

export interface CspMessage {
  version: CspVersion;
  encoding: CspEncoding;
  envelope: CspEnvelope;
  /** The first transaction's primitive (most messages carry exactly one). */
  primitive: CspPrimitive;
}

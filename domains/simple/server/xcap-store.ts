// The XCAP server's documents (RFC 4825 §5-§6): one XML document per (application usage, user,
// document name), each with its entity tag. Changes are announced so the presence agent can
// re-evaluate subscriptions at once when pres-rules change and the RLS can follow its lists.
import type { IdSource } from '../../../common/ids.ts';
import { NS } from '../payloads/namespaces.ts';
import type { PayloadResult } from '../payloads/payload-error.ts';
import { parsePresRules } from '../payloads/pres-rules.ts';
import { parseResourceLists } from '../payloads/resource-lists.ts';
import { parseRlsServices } from '../payloads/rls-services.ts';

/** An application usage (RFC 4825 §5): its AUID, MIME type, default namespace and validator. */
export interface AppUsage {
  auid: string;
  mime: string;
  defaultNs: string;
  /** Schema + semantic checks; the codec's error becomes a 409 schema-validation-error. */
  validate(xml: string): PayloadResult<unknown>;
}

export const APP_USAGES: readonly AppUsage[] = [
  {
    // RFC 5025 §9: pres-rules, default namespace pres-rules.
    auid: 'pres-rules',
    mime: 'application/auth-policy+xml',
    defaultNs: NS.presRules,
    validate: (xml) => parsePresRules(xml),
  },
  {
    auid: 'resource-lists',
    mime: 'application/resource-lists+xml',
    defaultNs: NS.resourceLists,
    validate: (xml) => parseResourceLists(xml),
  },
  {
    auid: 'rls-services',
    mime: 'application/rls-services+xml',
    defaultNs: NS.rlsServices,
    validate: (xml) => parseRlsServices(xml),
  },
];

export interface XcapDocument {
  xml: string;
  etag: string;
}

export interface DocumentChange {
  auid: string;
  /** The XUI (e.g. `sip:jane@domain2.lab`). */
  user: string;
  document: string;
  /** The new content; undefined when the document was deleted. */
  xml: string | undefined;
}

export type DocumentListener = (change: DocumentChange) => void;

export class XcapStore {
  private readonly docs = new Map<string, XcapDocument>();
  private readonly listeners = new Set<DocumentListener>();
  /** auid → document key → (user, document), so the RLS scans one application usage only. */
  private readonly byAuid = new Map<string, Map<string, { user: string; document: string }>>();

  constructor(private readonly ids: IdSource) {}

  static key(auid: string, user: string, document: string): string {
    return `${auid}\u0000${user.toLowerCase()}\u0000${document}`;
  }

  get(auid: string, user: string, document: string): XcapDocument | undefined {
    return this.docs.get(XcapStore.key(auid, user, document));
  }

  /** Every document of an AUID (the RLS scans rls-services of all users, RFC 4826 §4.4). */
  all(auid: string): Array<{ user: string; document: string; doc: XcapDocument }> {
    const out: Array<{ user: string; document: string; doc: XcapDocument }> = [];
    for (const [key, where] of this.byAuid.get(auid) ?? []) {
      const doc = this.docs.get(key);
      if (doc) out.push({ ...where, doc });
    }
    return out;
  }

  /** Stores a document and returns its new entity tag. */
  put(auid: string, user: string, document: string, xml: string): string {
    const etag = this.ids.token(16);
    const key = XcapStore.key(auid, user, document);
    this.docs.set(key, { xml, etag });
    const index = this.byAuid.get(auid) ?? new Map<string, { user: string; document: string }>();
    index.set(key, { user: user.toLowerCase(), document });
    this.byAuid.set(auid, index);
    this.announce({ auid, user: user.toLowerCase(), document, xml });
    return etag;
  }

  delete(auid: string, user: string, document: string): boolean {
    const key = XcapStore.key(auid, user, document);
    const existed = this.docs.delete(key);
    this.byAuid.get(auid)?.delete(key);
    if (existed) this.announce({ auid, user: user.toLowerCase(), document, xml: undefined });
    return existed;
  }

  onChange(listener: DocumentListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private announce(change: DocumentChange): void {
    for (const l of this.listeners) l(change);
  }
}

// RFC 5438 Instant Message Disposition Notification: the CPIM headers a sender adds to ask for
// notifications (§6), and the message/imdn+xml document a recipient returns (§7, imdn.xsd).
import { children, el, text } from '../../../common/xml/query.ts';
import { serializeXml } from '../../../common/xml/serialize.ts';
import type { XmlElement } from '../../../common/xml/xml-node.ts';
import { type CpimAddress, type CpimMessage, cpimExtension, emptyCpim } from './cpim.ts';
import { NS } from './namespaces.ts';
import { decodeXml, invalid, type PayloadLimits, xmlns } from './payload-codec.ts';
import type { PayloadResult } from './payload-error.ts';

export const IMDN_CONTENT_TYPE = 'message/imdn+xml';
/** The CPIM namespace of the IMDN headers (RFC 5438 §6.1), distinct from the XML namespace. */
export const IMDN_CPIM_NS = 'urn:ietf:params:imdn';

export const DISPOSITIONS = ['positive-delivery', 'negative-delivery', 'display', 'processing'] as const;
export type Disposition = (typeof DISPOSITIONS)[number];

const STATUSES = {
  delivery: ['delivered', 'failed', 'forbidden', 'error'],
  display: ['displayed', 'forbidden', 'error'],
  processing: ['processed', 'stored', 'forbidden', 'error'],
} as const;
export type NotificationKind = keyof typeof STATUSES;
export type DeliveryStatus = (typeof STATUSES.delivery)[number];
export type DisplayStatus = (typeof STATUSES.display)[number];
export type ProcessingStatus = (typeof STATUSES.processing)[number];

export type ImdnNotification =
  | { kind: 'delivery'; status: DeliveryStatus }
  | { kind: 'display'; status: DisplayStatus }
  | { kind: 'processing'; status: ProcessingStatus };

export interface Imdn {
  messageId: string;
  /** DateTime of the original message (RFC 5438 §7.2.1.2). */
  datetime: string;
  recipientUri?: string;
  originalRecipientUri?: string;
  subject?: string;
  notification?: ImdnNotification;
  extensions: XmlElement[];
}

function fromXml(root: XmlElement): Imdn {
  const out: Partial<Imdn> & { extensions: XmlElement[] } = { extensions: [] };
  for (const c of children(root)) {
    if (c.ns !== NS.imdn) {
      out.extensions.push(c);
      continue;
    }
    const v = text(c).trim();
    switch (c.local) {
      case 'message-id':
        out.messageId = v;
        break;
      case 'datetime':
        out.datetime = v;
        break;
      case 'recipient-uri':
        out.recipientUri = v;
        break;
      case 'original-recipient-uri':
        out.originalRecipientUri = v;
        break;
      case 'subject':
        out.subject = text(c);
        break;
      case 'delivery-notification':
      case 'display-notification':
      case 'processing-notification': {
        if (out.notification) invalid('<imdn> carries two notifications');
        const kind = c.local.replace('-notification', '') as NotificationKind;
        const status = children(c, NS.imdn, 'status')[0] ?? invalid(`<${c.name}> lacks <status>`);
        const value = children(status, NS.imdn)[0]?.local ?? invalid(`<${c.name}> has an empty <status>`);
        if (!(STATUSES[kind] as readonly string[]).includes(value))
          invalid(`"${value}" is not a ${kind} status`);
        out.notification = { kind, status: value } as ImdnNotification;
        break;
      }
      default:
        invalid(`<${c.name}> is not allowed in <imdn>`);
    }
  }
  if (out.messageId === undefined || out.messageId === '') invalid('<imdn> lacks <message-id>');
  if (out.datetime === undefined) invalid('<imdn> lacks <datetime>');
  if ((out.recipientUri === undefined) !== (out.originalRecipientUri === undefined)) {
    invalid('<recipient-uri> and <original-recipient-uri> go together (imdn.xsd)');
  }
  return out as Imdn;
}

export function parseImdn(input: Buffer | string, limits?: PayloadLimits): PayloadResult<Imdn> {
  return decodeXml(input, limits, [{ ns: NS.imdn, local: 'imdn' }], fromXml);
}

export function imdnToXml(m: Imdn): XmlElement {
  const N = NS.imdn;
  const leaf = (local: string, v: string) => el(N, local, {}, [v]);
  const recipients = m.recipientUri !== undefined && m.originalRecipientUri !== undefined;
  return el(
    N,
    'imdn',
    [xmlns('', N)],
    [
      leaf('message-id', m.messageId),
      leaf('datetime', m.datetime),
      recipients && leaf('recipient-uri', m.recipientUri!),
      recipients && leaf('original-recipient-uri', m.originalRecipientUri!),
      recipients && m.subject !== undefined && leaf('subject', m.subject),
      m.notification &&
        el(N, `${m.notification.kind}-notification`, {}, [
          el(N, 'status', {}, [el(N, m.notification.status)]),
        ]),
      ...m.extensions,
    ],
  );
}

export function serializeImdn(m: Imdn, options: { indent?: string } = {}): string {
  return serializeXml(imdnToXml(m), options);
}

/** What a sender asked for, read from the CPIM headers of a received message (RFC 5438 §6). */
export interface ImdnRequest {
  messageId: string;
  dispositions: Disposition[];
  /** imdn.IMDN-Record-Route / IMDN-Route values, when exploders are in the path (§6.4). */
  recordRoutes: string[];
}

export function readImdnRequest(msg: CpimMessage): ImdnRequest | undefined {
  const messageId = cpimExtension(msg, IMDN_CPIM_NS, 'Message-ID');
  const dn = cpimExtension(msg, IMDN_CPIM_NS, 'Disposition-Notification');
  if (messageId === undefined || dn === undefined) return undefined;
  const prefixes = msg.namespaces.filter((n) => n.uri === IMDN_CPIM_NS).map((n) => n.prefix);
  const dispositions = dn
    .split(',')
    .map((s) => s.trim())
    .filter((s): s is Disposition => (DISPOSITIONS as readonly string[]).includes(s));
  const recordRoutes = msg.extensionHeaders
    .filter((h) => prefixes.includes(h.prefix) && h.name === 'IMDN-Record-Route')
    .map((h) => h.value);
  return { messageId, dispositions, recordRoutes };
}

/** Adds the IMDN request headers to an outgoing CPIM message (RFC 5438 §6.1-6.3); DateTime is required. */
export function addImdnRequest(
  msg: CpimMessage,
  messageId: string,
  dispositions: Disposition[],
): CpimMessage {
  const namespaces = msg.namespaces.some((n) => n.uri === IMDN_CPIM_NS)
    ? msg.namespaces
    : [...msg.namespaces, { prefix: 'imdn', uri: IMDN_CPIM_NS }];
  const prefix = namespaces.find((n) => n.uri === IMDN_CPIM_NS)!.prefix;
  return {
    ...msg,
    namespaces,
    extensionHeaders: [
      ...msg.extensionHeaders,
      { prefix, name: 'Message-ID', value: messageId },
      { prefix, name: 'Disposition-Notification', value: dispositions.join(', ') },
    ],
  };
}

/**
 * Builds the CPIM message that carries a disposition notification back to the sender
 * (RFC 5438 §7.1): From the recipient, To the original sender, a fresh imdn.Message-ID, and the
 * message/imdn+xml document with Content-Disposition: notification.
 */
export function buildImdnNotification(args: {
  from: CpimAddress;
  to: CpimAddress;
  dateTime: string;
  notificationMessageId: string;
  imdn: Imdn;
}): CpimMessage {
  const body = Buffer.from(serializeImdn(args.imdn));
  return {
    ...emptyCpim(),
    from: args.from,
    to: [args.to],
    dateTime: args.dateTime,
    namespaces: [{ prefix: 'imdn', uri: IMDN_CPIM_NS }],
    extensionHeaders: [{ prefix: 'imdn', name: 'Message-ID', value: args.notificationMessageId }],
    contentHeaders: [
      ['Content-Type', `${IMDN_CONTENT_TYPE}`],
      ['Content-Disposition', 'notification'],
      ['Content-Length', String(body.length)],
    ],
    body,
  };
}

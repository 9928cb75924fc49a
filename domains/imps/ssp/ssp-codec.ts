// SSP XML codec (imps.md §10): pure, bytes <-> SspMessage, never throws. Unknown content
// elements are reported as SSP_ERR_UNKNOWN_ELEMENT (answered 405, as baraza does); DTDs and
// entities are refused by the hardened parser.
import { parseXml } from '../../../common/xml/parse.ts';
import { attr, child, children, el, leaf, trimmedText } from '../../../common/xml/query.ts';
import { serializeXml } from '../../../common/xml/serialize.ts';
import type { XmlElement } from '../../../common/xml/xml-node.ts';
import { PresenceSubListSchema } from '../csp/model/presence-attributes.ts';
import { BadParameter, readStruct, writeStruct } from '../csp/model/schema.ts';
import {
  SSP_NS,
  SSP_PA_NS,
  type SspContent,
  type SspMessage,
  type SspMessageInfo,
  type SspMetaInfo,
  type SspPresenceValue,
  type SspStatus,
  type SspTransaction,
} from './ssp-model.ts';

export type SspErrorName =
  | 'SSP_ERR_MALFORMED'
  | 'SSP_ERR_NOT_SSP'
  | 'SSP_ERR_UNKNOWN_ELEMENT'
  | 'SSP_ERR_BAD_PARAMETER';

export const SSP_ERRORS: Readonly<Record<SspErrorName, readonly [number, string]>> = {
  SSP_ERR_MALFORMED: [400, 'Bad request: malformed SSP XML'],
  SSP_ERR_NOT_SSP: [400, 'Bad request: not a WV-SSP-Message'],
  SSP_ERR_UNKNOWN_ELEMENT: [405, 'Service not supported'],
  SSP_ERR_BAD_PARAMETER: [402, 'Bad parameter'],
};

export interface SspDecodeError {
  name: SspErrorName;
  code: number;
  description: string;
  /** Set when the envelope was readable: the answer can go back to this transaction. */
  transactionId?: string;
}

export type DecodeSspResult = { ok: true; message: SspMessage } | { ok: false; error: SspDecodeError };

class Refuse {
  constructor(
    readonly name: SspErrorName,
    readonly detail: string,
  ) {}
}

function refuse(name: SspErrorName, detail: string): never {
  throw new Refuse(name, detail);
}

function sspError(name: SspErrorName, detail: string, transactionId?: string): SspDecodeError {
  const [code, text] = SSP_ERRORS[name];
  const e: SspDecodeError = { name, code, description: `${text} (${detail})` };
  if (transactionId !== undefined) e.transactionId = transactionId;
  return e;
}

export const SSP_LIMITS = { maxBytes: 256 * 1024, maxDepth: 40, maxNodes: 20_000 };

export function decodeSsp(bytes: Uint8Array | string): DecodeSspResult {
  const parsed = parseXml(
    typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : Buffer.from(bytes),
    SSP_LIMITS,
  );
  if (!parsed.ok) return { ok: false, error: sspError('SSP_ERR_MALFORMED', parsed.error.message) };
  const root = parsed.root;
  if (root.local !== 'WV-SSP-Message' || root.ns !== SSP_NS)
    return { ok: false, error: sspError('SSP_ERR_NOT_SSP', `root ${root.local} in "${root.ns}"`) };
  let tid: string | undefined;
  try {
    const message: SspMessage = { setup: false, transactions: [] };
    const setup = children(root, SSP_NS, 'SetupTransaction');
    const session = child(root, SSP_NS, 'Session');
    if (setup.length > 0) {
      message.setup = true;
      for (const t of setup) {
        tid = attr(t, 'transactionID');
        message.transactions.push(readTransaction(t));
      }
    } else if (session !== undefined) {
      const sid = attr(session, 'sessionID');
      if (sid !== undefined) message.sessionId = sid;
      for (const t of children(session, SSP_NS, 'Transaction')) {
        tid = attr(t, 'transactionID');
        message.transactions.push(readTransaction(t));
      }
    }
    if (message.transactions.length === 0) refuse('SSP_ERR_NOT_SSP', 'no transaction');
    return { ok: true, message };
  } catch (e) {
    if (e instanceof Refuse) return { ok: false, error: sspError(e.name, e.detail, tid) };
    if (e instanceof BadParameter)
      return { ok: false, error: sspError('SSP_ERR_BAD_PARAMETER', e.detail, tid) };
    return { ok: false, error: sspError('SSP_ERR_MALFORMED', String((e as Error)?.message ?? e), tid) };
  }
}

function readTransaction(t: XmlElement): SspTransaction {
  const mode = attr(t, 'mode');
  const transactionId = attr(t, 'transactionID');
  if (mode !== 'Request' && mode !== 'Response') refuse('SSP_ERR_NOT_SSP', `mode "${mode ?? ''}"`);
  if (transactionId === undefined || transactionId === '') refuse('SSP_ERR_NOT_SSP', 'no transactionID');
  const kids = children(t);
  if (kids.length !== 1) refuse('SSP_ERR_NOT_SSP', 'a transaction holds exactly one content element');
  return { mode, transactionId, content: readContent(kids[0]!) };
}

function users(e: XmlElement, local: string): string[] {
  return children(e, SSP_NS, local)
    .map((u) => attr(u, 'userID'))
    .filter((u): u is string => u !== undefined);
}

function readMeta(e: XmlElement): SspMetaInfo {
  const m = child(e, SSP_NS, 'MetaInfo');
  const r = m === undefined ? undefined : child(m, SSP_NS, 'Requestor');
  const serviceId = r === undefined ? undefined : attr(r, 'serviceID');
  if (serviceId === undefined) refuse('SSP_ERR_BAD_PARAMETER', 'MetaInfo/Requestor serviceID missing');
  const meta: SspMetaInfo = { serviceId };
  const u = child(r!, SSP_NS, 'User');
  const userId = u === undefined ? undefined : attr(u, 'userID');
  if (userId !== undefined) meta.userId = userId;
  const co = attr(m!, 'clientOriginated');
  if (co !== undefined) meta.clientOriginated = co === 'Yes';
  return meta;
}

function readAttributes(e: XmlElement): string[] | undefined {
  const list = child(e, SSP_NS, 'AttributeList');
  const psl = list?.children.find(
    (c): c is XmlElement => typeof c !== 'string' && c.local === 'PresenceSubList',
  );
  if (psl === undefined) return undefined;
  const names = children(psl).map((c) => c.local);
  return names.length === 0 ? undefined : names;
}

function readPresenceValues(e: XmlElement): SspPresenceValue[] {
  return children(e, SSP_NS, 'PresenceValue').map((pv) => {
    const psl = pv.children.find(
      (c): c is XmlElement => typeof c !== 'string' && c.local === 'PresenceSubList',
    );
    return {
      userId: attr(pv, 'userID') ?? '',
      presenceSubList: psl === undefined ? {} : readStruct(psl, PresenceSubListSchema),
    };
  });
}

function int(v: string | undefined, what: string): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d{1,12}$/.test(v)) refuse('SSP_ERR_BAD_PARAMETER', `${what} must be an integer`);
  return Number(v);
}

export function readStatus(s: XmlElement | undefined): SspStatus {
  if (s === undefined) refuse('SSP_ERR_BAD_PARAMETER', 'Status missing');
  const code = int(attr(s!, 'code'), 'Status code');
  if (code === undefined) refuse('SSP_ERR_BAD_PARAMETER', 'Status code missing');
  const out: SspStatus = { code };
  const d = child(s!, SSP_NS, 'StatusDescription');
  if (d !== undefined) out.description = trimmedText(d);
  const details = children(s!, SSP_NS, 'DetailedResult').map((dr) => {
    const x = { code: int(attr(dr, 'code'), 'DetailedResult code') ?? 500, userIds: users(dr, 'UserID') } as {
      code: number;
      userIds: string[];
      description?: string;
    };
    const dd = child(dr, SSP_NS, 'StatusDescription');
    if (dd !== undefined) x.description = trimmedText(dd);
    return x;
  });
  if (details.length > 0) out.details = details;
  return out;
}

function readMessageInfo(e: XmlElement): SspMessageInfo {
  const mi = child(e, SSP_NS, 'MessageInfo');
  if (mi === undefined) refuse('SSP_ERR_BAD_PARAMETER', 'MessageInfo missing');
  const recipient = child(mi!, SSP_NS, 'Recipient');
  const sender = child(mi!, SSP_NS, 'Sender');
  const info: SspMessageInfo = {
    recipients: recipient === undefined ? [] : users(recipient, 'User'),
    sender: (sender === undefined ? undefined : users(sender, 'User')[0]) ?? '',
  };
  const id = attr(mi!, 'messageID');
  if (id !== undefined) info.messageId = id;
  const ct = attr(mi!, 'contentType');
  if (ct !== undefined) info.contentType = ct;
  const size = int(attr(mi!, 'contentSize'), 'contentSize');
  if (size !== undefined) info.contentSize = size;
  const validity = int(attr(mi!, 'validity'), 'validity');
  if (validity !== undefined) info.validity = validity;
  const dt = child(mi!, SSP_NS, 'DateTime');
  if (dt !== undefined) info.dateTime = trimmedText(dt);
  return info;
}

function readContent(e: XmlElement): SspContent {
  if (e.ns !== SSP_NS) refuse('SSP_ERR_UNKNOWN_ELEMENT', `${e.local} in "${e.ns}"`);
  switch (e.local) {
    case 'SendSecretToken': {
      const t = child(e, SSP_NS, 'SecretToken');
      return {
        kind: 'SendSecretToken',
        serviceId: attr(e, 'serviceID') ?? '',
        secretToken: t ? trimmedText(t) : '',
      };
    }
    case 'LoginRequest': {
      const d = child(e, SSP_NS, 'PasswordDigest');
      const ttl = int(attr(e, 'timeToLive'), 'timeToLive');
      return {
        kind: 'LoginRequest',
        serviceId: attr(e, 'serviceID') ?? '',
        passwordDigest: d ? trimmedText(d) : '',
        ...(ttl === undefined ? {} : { timeToLive: ttl }),
      };
    }
    case 'LoginResponse': {
      const sid = attr(e, 'sessionID');
      const ttl = int(attr(e, 'timeToLive'), 'timeToLive');
      return {
        kind: 'LoginResponse',
        status: readStatus(child(e, SSP_NS, 'Status')),
        ...(sid === undefined ? {} : { sessionId: sid }),
        ...(ttl === undefined ? {} : { timeToLive: ttl }),
      };
    }
    case 'SubscribeRequest': {
      const attributes = readAttributes(e);
      return {
        kind: 'SubscribeRequest',
        meta: readMeta(e),
        userIds: users(e, 'UserID'),
        ...(attributes === undefined ? {} : { attributes }),
      };
    }
    case 'UnsubscribeRequest':
      return { kind: 'UnsubscribeRequest', meta: readMeta(e), userIds: users(e, 'UserID') };
    case 'PresenceNotification':
      return {
        kind: 'PresenceNotification',
        meta: readMeta(e),
        recipients: users(e, 'User'),
        presences: readPresenceValues(e),
      };
    case 'GetPresenceRequest': {
      const attributes = readAttributes(e);
      return {
        kind: 'GetPresenceRequest',
        meta: readMeta(e),
        userIds: users(e, 'VerUserID'),
        ...(attributes === undefined ? {} : { attributes }),
      };
    }
    case 'GetPresenceResponse':
      return {
        kind: 'GetPresenceResponse',
        status: readStatus(child(e, SSP_NS, 'Status')),
        presences: readPresenceValues(e),
      };
    case 'SendMessageRequest': {
      const cd = child(e, SSP_NS, 'ContentData');
      const raw = cd === undefined ? '' : trimmedText(cd);
      const b64 = cd !== undefined && attr(cd, 'encoding') === 'base64';
      if (b64 && !/^[A-Za-z0-9+/=\s]*$/.test(raw))
        refuse('SSP_ERR_BAD_PARAMETER', 'ContentData is not base64');
      return {
        kind: 'SendMessageRequest',
        meta: readMeta(e),
        deliveryReport: attr(e, 'deliveryReport') === 'Yes',
        message: readMessageInfo(e),
        content: b64 ? Buffer.from(raw, 'base64').toString('utf8') : raw,
      };
    }
    case 'SendMessageResponse': {
      const id = attr(e, 'messageID');
      return {
        kind: 'SendMessageResponse',
        status: readStatus(child(e, SSP_NS, 'Status')),
        ...(id === undefined ? {} : { messageId: id }),
      };
    }
    case 'DeliveryStatusReport': {
      const dr = child(e, SSP_NS, 'DeliveryResult');
      const dt = child(e, SSP_NS, 'DeliveryTime');
      return {
        kind: 'DeliveryStatusReport',
        meta: readMeta(e),
        result: readStatus(dr === undefined ? undefined : child(dr, SSP_NS, 'Status')),
        message: readMessageInfo(e),
        ...(dt === undefined ? {} : { deliveryTime: trimmedText(dt) }),
      };
    }
    case 'Status':
      return { kind: 'Status', status: readStatus(e) };
    default:
      refuse('SSP_ERR_UNKNOWN_ELEMENT', `unknown SSP element ${e.local}`);
  }
}

// ---- writer ----

const s = (
  qname: string,
  attrs: Record<string, string | number | boolean | undefined> = {},
  kids: Array<XmlElement | string | undefined> = [],
) => el(SSP_NS, qname, attrs, kids);

export function writeStatus(st: SspStatus): XmlElement {
  return s('Status', { code: st.code }, [
    st.description === undefined ? undefined : leaf(SSP_NS, 'StatusDescription', st.description),
    ...(st.details ?? []).map((d) =>
      s('DetailedResult', { code: d.code }, [
        d.description === undefined ? undefined : leaf(SSP_NS, 'StatusDescription', d.description),
        ...d.userIds.map((u) => s('UserID', { userID: u })),
        d.domain === undefined ? undefined : leaf(SSP_NS, 'Domain', d.domain),
      ]),
    ),
  ]);
}

function writeMeta(m: SspMetaInfo): XmlElement {
  return s(
    'MetaInfo',
    { clientOriginated: m.clientOriginated === undefined ? undefined : m.clientOriginated ? 'Yes' : 'No' },
    [
      s('Requestor', { serviceID: m.serviceId }, [
        m.userId === undefined ? undefined : s('User', { userID: m.userId }),
      ]),
    ],
  );
}

const paCtx = { ns: SSP_PA_NS, paNs: SSP_PA_NS, retarget: (x: XmlElement) => x };

function writePresenceSubList(list: SspPresenceValue['presenceSubList']): XmlElement {
  return writeStruct('PresenceSubList', list, PresenceSubListSchema, paCtx, [
    { name: 'xmlns', local: 'xmlns', ns: 'http://www.w3.org/2000/xmlns/', value: SSP_PA_NS },
  ]);
}

function writeAttributes(names: string[] | undefined): XmlElement | undefined {
  if (names === undefined) return undefined;
  const psl = el(
    SSP_PA_NS,
    'PresenceSubList',
    { xmlns: SSP_PA_NS },
    names.map((n) => el(SSP_PA_NS, n)),
  );
  return s('AttributeList', {}, [psl]);
}

function writeMessageInfo(m: SspMessageInfo): XmlElement {
  return s(
    'MessageInfo',
    { messageID: m.messageId, contentType: m.contentType, contentSize: m.contentSize, validity: m.validity },
    [
      s(
        'Recipient',
        {},
        m.recipients.map((u) => s('User', { userID: u })),
      ),
      s('Sender', {}, [s('User', { userID: m.sender })]),
      m.dateTime === undefined ? undefined : leaf(SSP_NS, 'DateTime', m.dateTime, { format: 'iso8601' }),
    ],
  );
}

function writeContent(c: SspContent): XmlElement {
  switch (c.kind) {
    case 'SendSecretToken':
      return s('SendSecretToken', { serviceID: c.serviceId, protocol: 'WV-SSP', protocolVersion: '1.3' }, [
        leaf(SSP_NS, 'SecretToken', c.secretToken, { encoding: 'base64' }),
      ]);
    case 'LoginRequest':
      return s('LoginRequest', { serviceID: c.serviceId, timeToLive: c.timeToLive }, [
        leaf(SSP_NS, 'PasswordDigest', c.passwordDigest, { encoding: 'base64' }),
      ]);
    case 'LoginResponse':
      return s('LoginResponse', { sessionID: c.sessionId, timeToLive: c.timeToLive }, [
        writeStatus(c.status),
      ]);
    case 'SubscribeRequest':
      return s('SubscribeRequest', {}, [
        writeMeta(c.meta),
        ...c.userIds.map((u) => s('UserID', { userID: u })),
        writeAttributes(c.attributes),
      ]);
    case 'UnsubscribeRequest':
      return s('UnsubscribeRequest', {}, [
        writeMeta(c.meta),
        ...c.userIds.map((u) => s('UserID', { userID: u })),
      ]);
    case 'PresenceNotification':
      return s('PresenceNotification', {}, [
        writeMeta(c.meta),
        ...c.recipients.map((u) => s('User', { userID: u })),
        ...c.presences.map((p) =>
          s('PresenceValue', { userID: p.userId }, [writePresenceSubList(p.presenceSubList)]),
        ),
      ]);
    case 'GetPresenceRequest':
      return s('GetPresenceRequest', {}, [
        writeMeta(c.meta),
        ...c.userIds.map((u) => s('VerUserID', { userID: u })),
        writeAttributes(c.attributes),
      ]);
    case 'GetPresenceResponse':
      return s('GetPresenceResponse', {}, [
        writeStatus(c.status),
        ...c.presences.map((p) =>
          s('PresenceValue', { userID: p.userId }, [writePresenceSubList(p.presenceSubList)]),
        ),
      ]);
    case 'SendMessageRequest':
      return s('SendMessageRequest', { deliveryReport: c.deliveryReport ? 'Yes' : 'No' }, [
        writeMeta(c.meta),
        writeMessageInfo(c.message),
        leaf(SSP_NS, 'ContentData', Buffer.from(c.content, 'utf8').toString('base64'), {
          contentType: c.message.contentType,
          encoding: 'base64',
        }),
      ]);
    case 'SendMessageResponse':
      return s('SendMessageResponse', { messageID: c.messageId }, [writeStatus(c.status)]);
    case 'DeliveryStatusReport':
      return s('DeliveryStatusReport', {}, [
        writeMeta(c.meta),
        s('DeliveryResult', {}, [writeStatus(c.result)]),
        c.deliveryTime === undefined ? undefined : leaf(SSP_NS, 'DeliveryTime', c.deliveryTime),
        writeMessageInfo(c.message),
      ]);
    case 'Status':
      return writeStatus(c.status);
  }
}

export function encodeSsp(m: SspMessage): Buffer {
  const txs = m.transactions.map((t) =>
    s(m.setup ? 'SetupTransaction' : 'Transaction', { mode: t.mode, transactionID: t.transactionId }, [
      writeContent(t.content),
    ]),
  );
  const root = el(
    SSP_NS,
    'WV-SSP-Message',
    { xmlns: SSP_NS },
    m.setup ? txs : [s('Session', { sessionID: m.sessionId }, txs)],
  );
  return Buffer.from(serializeXml(root), 'utf8');
}

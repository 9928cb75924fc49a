// Harry's IMPS client: the session (imps-client-session.ts) plus one method per CSP request the
// terminal makes — presence (imps.md §3), authorization (§3.2, §6.4), contact lists (§5), IM (§6).

import type { XmlElement } from '../../../common/xml/xml-node.ts';
import { CSP_NAMESPACES } from '../csp/csp-version.ts';
import type { MessageInfo } from '../csp/model/common-structs.ts';
import { type PresenceSubList, PresenceSubListSchema } from '../csp/model/presence-attributes.ts';
import { primitive, type TypedPrimitive } from '../csp/model/primitives.ts';
import { ImpsClientSession } from './imps-client-session.ts';

export {
  type CirChoice,
  type ImpsClientOptions,
  ImpsError,
  type PresenceEvent,
  resultOf,
} from './imps-client-session.ts';

export class ImpsClient extends ImpsClientSession {
  /**
   * Puts user and contact-list ids in the version's shape: 1.1/1.2 repeat `User`/`UserID` and
   * `ContactList`; 1.3 wraps them in `UserIDList` / `ContactListIDList` first (imps.md §3.1).
   */
  private idShape(
    body: Record<string, unknown>,
    users: string[],
    lists: string[],
    userField: 'users' | 'userIds',
  ): Record<string, unknown> {
    if (this.version !== '1.3') {
      body[userField] = userField === 'users' ? users.map((userId) => ({ userId })) : users;
      body.contactLists = lists;
      return body;
    }
    const ns = CSP_NAMESPACES['1.3'].trc;
    const el = (local: string, children: Array<XmlElement | string>): XmlElement => ({
      name: local,
      local,
      ns,
      attributes: [],
      children,
    });
    const extensions: XmlElement[] = [];
    if (users.length > 0)
      extensions.push(
        el(
          'UserIDList',
          users.map((u) => el('UserID', [u])),
        ),
      );
    if (lists.length > 0)
      extensions.push(
        el(
          'ContactListIDList',
          lists.map((l) => el('ContactList', [l])),
        ),
      );
    if (extensions.length > 0) {
      body.$extensions = extensions;
      body.$layout = extensions.map(() => '');
    }
    return body;
  }

  // ---- presence ----

  updatePresence(presenceSubList: PresenceSubList) {
    return this.call(primitive('UpdatePresence-Request', { presenceSubList }));
  }

  subscribe(o: {
    users?: string[];
    contactLists?: string[];
    attributes?: string[];
    autoSubscribe?: boolean;
  }) {
    const body = this.idShape({}, o.users ?? [], o.contactLists ?? [], 'users');
    if (o.attributes !== undefined) body.presenceSubList = attributeNames(o.attributes);
    if (this.version !== '1.1') body.autoSubscribe = o.autoSubscribe ?? false;
    return this.request(primitive('SubscribePresence-Request', body));
  }

  unsubscribe(o: { users?: string[]; contactLists?: string[] }) {
    return this.request(
      primitive(
        'UnsubscribePresence-Request',
        this.idShape({}, o.users ?? [], o.contactLists ?? [], 'users'),
      ),
    );
  }

  getPresence(users: string[], attributes?: string[]) {
    const body = this.idShape({}, users, [], 'users');
    if (attributes !== undefined) body.presenceSubList = attributeNames(attributes);
    return this.request(primitive('GetPresence-Request', body)) as Promise<
      TypedPrimitive<'GetPresence-Response'>
    >;
  }

  getWatcherList() {
    return this.call(primitive('GetWatcherList-Request', {})) as Promise<
      TypedPrimitive<'GetWatcherList-Response'>
    >;
  }

  // ---- authorization ----

  createAttributeList(o: {
    attributes: string[];
    users?: string[];
    contactLists?: string[];
    defaultList?: boolean;
  }) {
    return this.call(
      primitive(
        'CreateAttributeList-Request',
        this.idShape(
          { presenceSubList: attributeNames(o.attributes), defaultList: o.defaultList ?? false },
          o.users ?? [],
          o.contactLists ?? [],
          'userIds',
        ),
      ),
    );
  }

  deleteAttributeList(o: { users?: string[]; contactLists?: string[]; defaultList?: boolean }) {
    return this.call(
      primitive(
        'DeleteAttributeList-Request',
        this.idShape({ defaultList: o.defaultList ?? false }, o.users ?? [], o.contactLists ?? [], 'userIds'),
      ),
    );
  }

  getAttributeList(o: { users?: string[]; contactLists?: string[]; defaultList?: boolean } = {}) {
    return this.call(
      primitive('GetAttributeList-Request', {
        defaultList: o.defaultList ?? true,
        contactLists: o.contactLists ?? [],
        users: (o.users ?? []).map((userId) => ({ userId })),
      }),
    ) as Promise<TypedPrimitive<'GetAttributeList-Response'>>;
  }

  /** Answers a reactive authorization request: 1.2 PresenceAuth-User; 1.3 CreateAttributeList. */
  authorize(watcher: string, accept: boolean, attributes?: string[]) {
    if (this.version === '1.3') {
      if (!accept) return Promise.resolve(primitive('Status', { result: { code: 200 } }));
      return this.createAttributeList({ attributes: attributes ?? [], users: [watcher] });
    }
    const body: Record<string, unknown> = { userId: watcher, acceptance: accept };
    if (attributes !== undefined) body.presenceSubList = attributeNames(attributes);
    return this.call(primitive('PresenceAuth-User', body));
  }

  cancelAuth(watcher: string) {
    return this.request(primitive('CancelAuth-Request', { userId: watcher }));
  }

  getReactiveAuthStatus(watchers: string[] = []) {
    return this.call(primitive('GetReactiveAuthStatus-Request', { userIds: watchers })) as Promise<
      TypedPrimitive<'GetReactiveAuthStatus-Response'>
    >;
  }

  blockEntity(o: {
    block?: string[];
    unblock?: string[];
    blockInUse?: boolean;
    grant?: string[];
    grantInUse?: boolean;
  }) {
    const body: Record<string, unknown> = {};
    if (o.block !== undefined || o.unblock !== undefined || o.blockInUse !== undefined) {
      const list: Record<string, unknown> = {};
      if (o.blockInUse !== undefined && this.version !== '1.3') list.inUse = o.blockInUse;
      if (o.block !== undefined) list.addList = { userIds: o.block };
      if (o.unblock !== undefined) list.removeList = { userIds: o.unblock };
      body.blockList = list;
      if (o.blockInUse !== undefined && this.version === '1.3') body.blockListInUse = o.blockInUse;
    }
    if (o.grant !== undefined || o.grantInUse !== undefined) {
      const list: Record<string, unknown> = {};
      if (o.grantInUse !== undefined && this.version !== '1.3') list.inUse = o.grantInUse;
      if (o.grant !== undefined) list.addList = { userIds: o.grant };
      body.grantList = list;
      if (o.grantInUse !== undefined && this.version === '1.3') body.grantListInUse = o.grantInUse;
    }
    return this.call(primitive('BlockEntity-Request', body));
  }

  getBlockedList() {
    return this.call(primitive('GetBlockedList-Request', {})) as Promise<
      TypedPrimitive<'GetBlockedList-Response'>
    >;
  }

  // ---- contact lists ----

  createList(
    id: string,
    o: { members?: Array<{ userId: string; name?: string }>; displayName?: string } = {},
  ) {
    const body: Record<string, unknown> = { contactList: id };
    if (o.members !== undefined)
      body.nickList = { nickNames: o.members.map((m) => (m.name === undefined ? { userId: m.userId } : m)) };
    if (o.displayName !== undefined)
      body.contactListProperties = { properties: [{ name: 'DisplayName', value: o.displayName }] };
    return this.call(primitive('CreateList-Request', body));
  }

  deleteList(id: string) {
    return this.call(primitive('DeleteList-Request', { contactList: id }));
  }

  getList() {
    return this.call(primitive('GetList-Request', {})) as Promise<TypedPrimitive<'GetList-Response'>>;
  }

  listManage(
    id: string,
    o: {
      add?: Array<{ userId: string; name?: string }>;
      remove?: string[];
      displayName?: string;
      makeDefault?: boolean;
      authorizeAndGrant?: boolean;
    },
  ) {
    const body: Record<string, unknown> = { contactList: id };
    if (o.add !== undefined)
      body.addNickList = { nickNames: o.add.map((m) => (m.name === undefined ? { userId: m.userId } : m)) };
    if (o.remove !== undefined) body.removeNickList = { userIds: o.remove };
    const props = [];
    if (o.displayName !== undefined) props.push({ name: 'DisplayName', value: o.displayName });
    if (o.makeDefault !== undefined) props.push({ name: 'Default', value: o.makeDefault ? 'T' : 'F' });
    if (props.length > 0) body.contactListProperties = { properties: props };
    if (this.version !== '1.1') body.receiveList = true;
    if (o.authorizeAndGrant === true && this.version === '1.3')
      body.authorizeAndGrant = {
        name: 'AuthorizeAndGrant',
        local: 'AuthorizeAndGrant',
        ns: CSP_NAMESPACES[this.version].trc,
        attributes: [],
        children: ['T'],
      };
    return this.call(primitive('ListManage-Request', body)) as Promise<TypedPrimitive<'ListManage-Response'>>;
  }

  // ---- IM ----

  sendMessage(
    to: string[],
    text: string,
    o: { deliveryReport?: boolean; contentType?: string; validity?: number } = {},
  ) {
    const messageInfo: MessageInfo = {
      contentType: o.contentType ?? 'text/plain',
      contentSize: Buffer.byteLength(text, 'utf8'),
      recipient: { users: to.map((userId) => ({ userId })) },
      sender: { user: { userId: this.userId } },
      ...(o.validity === undefined ? {} : { validity: o.validity }),
    };
    return this.request(
      primitive('SendMessage-Request', {
        deliveryReport: o.deliveryReport ?? false,
        messageInfo,
        contentData: text,
      }),
    ) as Promise<TypedPrimitive<'SendMessage-Response'>>;
  }

  getMessage(messageId: string) {
    return this.call(primitive('GetMessage-Request', { messageId })) as Promise<
      TypedPrimitive<'GetMessage-Response'>
    >;
  }

  messageDelivered(messageId: string) {
    return this.call(primitive('MessageDelivered', { messageId }));
  }

  getMessageList() {
    return this.call(primitive('GetMessageList-Request', {})) as Promise<
      TypedPrimitive<'GetMessageList-Response'>
    >;
  }

  rejectMessage(messageIds: string[]) {
    return this.call(primitive('RejectMessage-Request', { messageIds }));
  }
}

const KEY_BY_ELEMENT = new Map(Object.entries(PresenceSubListSchema).map(([k, f]) => [f.el, k] as const));

/** `['OnlineStatus', 'StatusText']` -> a request PresenceSubList of empty attribute elements. */
export function attributeNames(names: string[]): PresenceSubList {
  const out: Record<string, object> = {};
  for (const n of names) out[KEY_BY_ELEMENT.get(n) ?? n] = {};
  return out as PresenceSubList;
}

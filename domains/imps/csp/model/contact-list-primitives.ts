// Contact-list primitives (imps.md §5).
import {
  ContactListPropertiesSchema,
  NickListSchema,
  RemoveNickListSchema,
  ResultSchema,
} from './common-structs.ts';
import { bool, many, raw, struct, text } from './schema.ts';

const contactListProperties = struct('ContactListProperties', ContactListPropertiesSchema);

export const CONTACT_LIST_PRIMITIVES = {
  'GetList-Request': {},
  'GetList-Response': {
    contactLists: many(text('ContactList')),
    contactListIdList: raw('ContactListIDList'),
    defaultContactList: text('DefaultContactList'),
  },
  'CreateList-Request': {
    contactList: text('ContactList'),
    nickList: struct('NickList', NickListSchema),
    contactListProperties,
  },
  'CreateList-Response': {
    result: struct('Result', ResultSchema),
    contactList: text('ContactList'),
    contactListProperties,
  },
  'DeleteList-Request': { contactList: text('ContactList') },
  'ListManage-Request': {
    contactList: text('ContactList'),
    addNickList: struct('AddNickList', NickListSchema),
    removeNickList: struct('RemoveNickList', RemoveNickListSchema),
    contactListProperties,
    receiveList: bool('ReceiveList'),
    authorizeAndGrant: raw('AuthorizeAndGrant'),
  },
  'ListManage-Response': {
    result: struct('Result', ResultSchema),
    nickList: struct('NickList', NickListSchema),
    contactListProperties,
  },
} as const;

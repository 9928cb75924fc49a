// Presence primitives (imps.md §3.1) and the 1.3 generic Notification-Request (§3.2 item 3).
import { ResultSchema, UserSchema } from './common-structs.ts';
import { PresenceSubListSchema } from './presence-attributes.ts';
import { bool, int, many, paStruct, raw, struct, text } from './schema.ts';

const result = struct('Result', ResultSchema);
const users = many(struct('User', UserSchema));
const contactLists = many(text('ContactList'));
const presenceSubList = paStruct('PresenceSubList', PresenceSubListSchema);

// imps.md §3.1: Presence ((UserID | ContactList), PresenceSubList*).
export const PresenceSchema = {
  userId: text('UserID'),
  contactList: text('ContactList'),
  presenceSubLists: many(paStruct('PresenceSubList', PresenceSubListSchema)),
} as const;
const presences = many(struct('Presence', PresenceSchema));

const WatcherSchema = { user: struct('User', UserSchema), watcherStatus: text('WatcherStatus') } as const;
const ReactiveAuthStatusSchema = {
  userId: text('UserID'),
  reactiveAuthState: text('ReactiveAuthState'),
  presenceSubList,
} as const;

export const PRESENCE_PRIMITIVES = {
  'SubscribePresence-Request': { users, contactLists, presenceSubList, autoSubscribe: bool('AutoSubscribe') },
  'UnsubscribePresence-Request': { users, contactLists },
  'PresenceNotification-Request': { presences },
  'GetPresence-Request': { users, contactLists, presenceSubList },
  'GetPresence-Response': { result, presences },
  'UpdatePresence-Request': { presenceSubList },
  'GetWatcherList-Request': { historyPeriod: int('HistoryPeriod'), maxWatcherList: int('MaxWatcherList') },
  'GetWatcherList-Response': {
    historyPeriod: int('HistoryPeriod'),
    users,
    watchers: many(struct('Watcher', WatcherSchema)),
    watcherCount: int('WatcherCount'),
  },
  'PresenceAuth-Request': { userId: text('UserID'), presenceSubList },
  'PresenceAuth-User': { userId: text('UserID'), acceptance: bool('Acceptance'), presenceSubList },
  'CancelAuth-Request': { userId: text('UserID') },
  'GetReactiveAuthStatus-Request': { userIds: many(text('UserID')) },
  'GetReactiveAuthStatus-Response': {
    result,
    reactiveAuthStatusList: struct('ReactiveAuthStatusList', {
      statuses: many(struct('ReactiveAuthStatus', ReactiveAuthStatusSchema)),
    }),
  },
  'CreateAttributeList-Request': {
    presenceSubList,
    userIds: many(text('UserID')),
    contactLists,
    defaultList: bool('DefaultList'),
  },
  'DeleteAttributeList-Request': {
    userIds: many(text('UserID')),
    contactLists,
    defaultList: bool('DefaultList'),
  },
  'GetAttributeList-Request': { defaultList: bool('DefaultList'), contactLists, users },
  'GetAttributeList-Response': {
    result,
    defaultAttributeList: struct('DefaultAttributeList', {
      presenceSubLists: many(paStruct('PresenceSubList', PresenceSubListSchema)),
    }),
    presences,
  },
  // CSP 1.3 (imps.md §3.2 item 3): server -> client generic notification; unknown parts kept.
  'Notification-Request': {
    notificationType: text('NotificationType'),
    userId: text('UserID'),
    contactList: text('ContactList'),
    presenceSubList,
  },
  'SubscribeNotification-Request': { notificationTypeList: raw('NotificationTypeList') },
} as const;

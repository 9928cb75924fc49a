// Instant-messaging primitives (imps.md §6.1) and block/grant lists (§6.4).
import { AccessListSchema, MessageInfoSchema, RecipientSchema, ResultSchema } from './common-structs.ts';
import { bool, int, many, struct, text } from './schema.ts';

const result = struct('Result', ResultSchema);
const messageInfo = struct('MessageInfo', MessageInfoSchema);
const contentData = text('ContentData');
const blockList = struct('BlockList', AccessListSchema);
const grantList = struct('GrantList', AccessListSchema);

export const IM_PRIMITIVES = {
  'SendMessage-Request': { deliveryReport: bool('DeliveryReport'), messageInfo, contentData },
  'SendMessage-Response': { result, messageId: text('MessageID') },
  NewMessage: { messageInfo, contentData },
  MessageDelivered: { messageId: text('MessageID') },
  MessageNotification: { messageInfo },
  'GetMessage-Request': { messageId: text('MessageID') },
  'GetMessage-Response': { messageInfo, contentData },
  'GetMessageList-Request': { groupId: text('GroupID'), messageCount: int('MessageCount') },
  'GetMessageList-Response': { messageInfos: many(messageInfo) },
  'RejectMessage-Request': { messageIds: many(text('MessageID')), groupId: text('GroupID') },
  'SetDeliveryMethod-Request': {
    deliveryMethod: text('DeliveryMethod'),
    acceptedContentLength: int('AcceptedContentLength'),
    groupId: text('GroupID'),
  },
  'DeliveryReport-Request': { result, deliveryTime: text('DeliveryTime'), messageInfo },
  'ForwardMessage-Request': { messageId: text('MessageID'), recipient: struct('Recipient', RecipientSchema) },
  'GetBlockedList-Request': {},
  'GetBlockedList-Response': {
    blockList,
    grantList,
    blockListInUse: bool('BlockListInUse'),
    grantListInUse: bool('GrantListInUse'),
  },
  'BlockEntity-Request': {
    blockList,
    grantList,
    blockListInUse: bool('BlockListInUse'),
    grantListInUse: bool('GrantListInUse'),
  },
} as const;

// Sub-structures shared by many CSP primitives (imps.md §2.1 "Common sub-elements", §5, §6.1,
// §6.4, §7). Field order is the DTD order: the writer emits children in this order.
import { bool, int, type Model, many, raw, struct, text } from './schema.ts';

// imps.md §2.1: ClientID (URL?, MSISDN?); 1.2 encoders also send plain text (kept in $text).
export const ClientIdSchema = { url: text('URL'), msisdn: text('MSISDN') } as const;
export type ClientId = Model<typeof ClientIdSchema>;

// imps.md §6.1: User (UserID, ClientID?) (1.3: FriendlyName?, ApplicationID).
export const UserSchema = {
  userId: text('UserID'),
  clientId: struct('ClientID', ClientIdSchema),
  friendlyName: text('FriendlyName'),
  applicationId: text('ApplicationID'),
} as const;
export type User = Model<typeof UserSchema>;

// imps.md §6.1: ScreenName (SName, GroupID); Group (GroupID | ScreenName).
export const ScreenNameSchema = { sName: text('SName'), groupId: text('GroupID') } as const;
export type ScreenName = Model<typeof ScreenNameSchema>;
export const GroupSchema = {
  groupId: text('GroupID'),
  screenName: struct('ScreenName', ScreenNameSchema),
} as const;
export type Group = Model<typeof GroupSchema>;

// imps.md §6.1: Recipient (User*, Group*, ContactList*); Sender (User | Group).
export const RecipientSchema = {
  users: many(struct('User', UserSchema)),
  groups: many(struct('Group', GroupSchema)),
  contactLists: many(text('ContactList')),
} as const;
export type Recipient = Model<typeof RecipientSchema>;
export const SenderSchema = {
  user: struct('User', UserSchema),
  group: struct('Group', GroupSchema),
} as const;
export type Sender = Model<typeof SenderSchema>;

// imps.md §7: DetailedResult (Code, Description?, UserID*, GroupID*, ScreenName*, MessageID*, ContactList*, Domain*).
export const DetailedResultSchema = {
  code: int('Code'),
  description: text('Description'),
  userIds: many(text('UserID')),
  groupIds: many(text('GroupID')),
  screenNames: many(struct('ScreenName', ScreenNameSchema)),
  messageIds: many(text('MessageID')),
  contactLists: many(text('ContactList')),
  domains: many(text('Domain')),
} as const;
export type DetailedResult = Model<typeof DetailedResultSchema>;

// imps.md §7: Result (Code, Description?, DetailedResult*) (1.3 adds SystemMessageList?, TryAgainTimeout?).
export const ResultSchema = {
  code: int('Code'),
  description: text('Description'),
  detailedResults: many(struct('DetailedResult', DetailedResultSchema)),
  tryAgainTimeout: int('TryAgainTimeout'),
} as const;
export type Result = Model<typeof ResultSchema>;

// imps.md §6.1: MessageInfo (MessageID?, MessageURI?, ContentType?, ContentEncoding?, ContentSize,
// Recipient, Sender, DateTime?, Validity?); 1.3 ContentName?, Font? are kept as extensions.
export const MessageInfoSchema = {
  messageId: text('MessageID'),
  messageUri: text('MessageURI'),
  contentType: text('ContentType'),
  contentEncoding: text('ContentEncoding'),
  contentSize: int('ContentSize'),
  recipient: struct('Recipient', RecipientSchema),
  sender: struct('Sender', SenderSchema),
  dateTime: text('DateTime'),
  validity: int('Validity'),
} as const;
export type MessageInfo = Model<typeof MessageInfoSchema>;

// imps.md §5: NickName (Name, UserID); NickList/AddNickList (NickName | UserID)*; RemoveNickList (UserID+).
export const NickNameSchema = { name: text('Name'), userId: text('UserID') } as const;
export type NickName = Model<typeof NickNameSchema>;
export const NickListSchema = {
  nickNames: many(struct('NickName', NickNameSchema)),
  userIds: many(text('UserID')),
} as const;
export type NickList = Model<typeof NickListSchema>;
export const RemoveNickListSchema = { userIds: many(text('UserID')) } as const;

// imps.md §5: ContactListProperties (Property+); Property (Name, Value?).
export const PropertySchema = { name: text('Name'), value: text('Value') } as const;
export const ContactListPropertiesSchema = { properties: many(struct('Property', PropertySchema)) } as const;
export type ContactListProperties = Model<typeof ContactListPropertiesSchema>;

// imps.md §6.4: EntityList/AddList/RemoveList (UserID*, ScreenName*, GroupID*) (1.3 ContactList*, ApplicationID*).
export const EntityListSchema = {
  userIds: many(text('UserID')),
  screenNames: many(struct('ScreenName', ScreenNameSchema)),
  groupIds: many(text('GroupID')),
  contactLists: many(text('ContactList')),
  applicationIds: many(text('ApplicationID')),
} as const;
export type EntityList = Model<typeof EntityListSchema>;

// imps.md §6.4: BlockList/GrantList (InUse?, (EntityList | (AddList?, RemoveList?))?).
export const AccessListSchema = {
  inUse: bool('InUse'),
  entityList: struct('EntityList', EntityListSchema),
  addList: struct('AddList', EntityListSchema),
  removeList: struct('RemoveList', EntityListSchema),
} as const;
export type AccessList = Model<typeof AccessListSchema>;

// imps.md §2.3: CapabilityList (1.2 content model; 1.1 servers also echo TCPAddress/TCPPort).
export const CapabilityListSchema = {
  clientType: text('ClientType'),
  initialDeliveryMethod: text('InitialDeliveryMethod'),
  anyContent: bool('AnyContent'),
  acceptedCharsets: many(int('AcceptedCharset')),
  acceptedContentTypes: many(text('AcceptedContentType')),
  acceptedTransferEncodings: many(text('AcceptedTransferEncoding')),
  acceptedContentLength: int('AcceptedContentLength'),
  supportedBearers: many(text('SupportedBearer')),
  multiTrans: int('MultiTrans'),
  parserSize: int('ParserSize'),
  supportedCirMethods: many(text('SupportedCIRMethod')),
  udpPort: int('UDPPort'),
  tcpAddress: text('TCPAddress'),
  tcpPort: int('TCPPort'),
  serverPollMin: int('ServerPollMin'),
  defaultLanguage: text('DefaultLanguage'),
} as const;
export type CapabilityList = Model<typeof CapabilityListSchema>;

// imps.md §2.3: AgreedCapabilityList (SupportedBearer*, SupportedCIRMethod*, TCPAddress?, TCPPort?,
// ServerPollMin?, CIRURL?); 1.3 CIRHTTPAddress (URL).
const UrlHolderSchema = { url: text('URL') } as const;
export const AgreedCapabilityListSchema = {
  supportedBearers: many(text('SupportedBearer')),
  supportedCirMethods: many(text('SupportedCIRMethod')),
  tcpAddress: text('TCPAddress'),
  tcpPort: int('TCPPort'),
  serverPollMin: int('ServerPollMin'),
  cirUrl: struct('CIRURL', UrlHolderSchema),
  cirHttpAddress: struct('CIRHTTPAddress', UrlHolderSchema),
} as const;
export type AgreedCapabilityList = Model<typeof AgreedCapabilityListSchema>;

/** Service trees (Functions/AllFunctions, imps.md §2.4) are kept as elements: EMPTY function codes. */
export const functionsField = raw('Functions');

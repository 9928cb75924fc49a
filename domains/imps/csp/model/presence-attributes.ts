// Presence attributes (PA) inside PresenceSubList (imps.md §4). Every attribute starts with a
// Qualifier (T = value valid, F = unknown/withheld, §4.1); the valued ones carry PresenceValue.
// In requests (Subscribe/Get/CreateAttributeList) the attributes are empty elements: {}.

import { ClientIdSchema } from './common-structs.ts';
import { bool, int, type Model, many, struct, text } from './schema.ts';

// imps.md §4.2: (Qualifier?, PresenceValue?) (+ ClientID? in 1.3 for per-client attributes).
export const ValuedAttributeSchema = {
  qualifier: bool('Qualifier'),
  presenceValue: text('PresenceValue'),
  clientId: struct('ClientID', ClientIdSchema),
} as const;
export type ValuedAttribute = Model<typeof ValuedAttributeSchema>;

export const ClientInfoSchema = {
  qualifier: bool('Qualifier'),
  clientType: text('ClientType'),
  devManufacturer: text('DevManufacturer'),
  clientProducer: text('ClientProducer'),
  model: text('Model'),
  clientVersion: text('ClientVersion'),
  language: text('Language'),
} as const;
export type ClientInfo = Model<typeof ClientInfoSchema>;

export const TimeZoneSchema = { qualifier: bool('Qualifier'), zone: text('Zone') } as const;

export const GeoLocationSchema = {
  qualifier: bool('Qualifier'),
  longitude: text('Longitude'),
  latitude: text('Latitude'),
  altitude: text('Altitude'),
  accuracy: text('Accuracy'),
} as const;

export const AddressSchema = {
  qualifier: bool('Qualifier'),
  accuracy: text('Accuracy'),
  country: text('Country'),
  city: text('City'),
  street: text('Street'),
  crossing1: text('Crossing1'),
  crossing2: text('Crossing2'),
  building: text('Building'),
  namedArea: text('NamedArea'),
} as const;

// imps.md §4.2 CommCap: (Qualifier?, CommC*); CommC (Cap, Status, Contact?, Note?).
export const CommCSchema = {
  cap: text('Cap'),
  status: text('Status'),
  contact: text('Contact'),
  note: text('Note'),
} as const;
export const CommCapSchema = {
  qualifier: bool('Qualifier'),
  commC: many(struct('CommC', CommCSchema)),
} as const;
export type CommCap = Model<typeof CommCapSchema>;

export const AddrPrefSchema = {
  prefC: text('PrefC'),
  caddr: text('Caddr'),
  cstatus: text('Cstatus'),
  cname: text('Cname'),
  cpriority: int('Cpriority'),
} as const;
export const PreferredContactsSchema = {
  qualifier: bool('Qualifier'),
  addrPrefs: many(struct('AddrPref', AddrPrefSchema)),
} as const;

// imps.md §4.2: ReferredContent (1.3) = PreferredContent (libwbxml, 1.1 examples): both accepted.
export const StatusContentSchema = {
  qualifier: bool('Qualifier'),
  directContent: text('DirectContent'),
  referredContent: text('ReferredContent'),
  preferredContent: text('PreferredContent'),
  contentType: text('ContentType'),
} as const;

export const ContactInfoSchema = {
  qualifier: bool('Qualifier'),
  containedvCard: text('ContainedvCard'),
  referredvCard: text('ReferredvCard'),
  preferredvCard: text('PreferredvCard'),
} as const;

export const InfLinkSchema = {
  link: text('Link'),
  text: text('Text'),
  contentType: text('ContentType'),
} as const;
export const InfoLinkSchema = {
  qualifier: bool('Qualifier'),
  infLinks: many(struct('Inf_link', InfLinkSchema)),
} as const;

// imps.md §4.1: PresenceSubList children in DTD order (1.2 appends InfoLink).
export const PresenceSubListSchema = {
  onlineStatus: struct('OnlineStatus', ValuedAttributeSchema),
  registration: struct('Registration', ValuedAttributeSchema),
  clientInfo: struct('ClientInfo', ClientInfoSchema),
  timeZone: struct('TimeZone', TimeZoneSchema),
  geoLocation: struct('GeoLocation', GeoLocationSchema),
  address: struct('Address', AddressSchema),
  freeTextLocation: struct('FreeTextLocation', ValuedAttributeSchema),
  plmn: struct('PLMN', ValuedAttributeSchema),
  commCap: struct('CommCap', CommCapSchema),
  userAvailability: struct('UserAvailability', ValuedAttributeSchema),
  preferredContacts: struct('PreferredContacts', PreferredContactsSchema),
  preferredLanguage: struct('PreferredLanguage', ValuedAttributeSchema),
  statusText: struct('StatusText', ValuedAttributeSchema),
  statusMood: struct('StatusMood', ValuedAttributeSchema),
  alias: struct('Alias', ValuedAttributeSchema),
  statusContent: struct('StatusContent', StatusContentSchema),
  contactInfo: struct('ContactInfo', ContactInfoSchema),
  infoLink: struct('InfoLink', InfoLinkSchema),
} as const;
export type PresenceSubList = Model<typeof PresenceSubListSchema>;

/** Attribute element names, in DTD order (e.g. for "all attributes" requests). */
export const PRESENCE_ATTRIBUTE_NAMES: readonly string[] = Object.values(PresenceSubListSchema).map(
  (f) => f.el,
);

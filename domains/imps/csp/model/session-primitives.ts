// Session-management primitives (imps.md §2.1, §1.3). Where 1.1 and 1.2 differ the schema is the
// union; the version rules live in imps.md and the fields are simply absent when not sent.
import {
  AgreedCapabilityListSchema,
  CapabilityListSchema,
  ClientIdSchema,
  functionsField,
  ResultSchema,
} from './common-structs.ts';
import { bool, int, many, raw, struct, text } from './schema.ts';

const clientId = struct('ClientID', ClientIdSchema);
const result = struct('Result', ResultSchema);

export const SESSION_PRIMITIVES = {
  'Login-Request': {
    userId: text('UserID'),
    clientId,
    password: text('Password'),
    digestBytes: text('DigestBytes'),
    digestSchemas: many(text('DigestSchema')),
    timeToLive: int('TimeToLive'),
    sessionCookie: text('SessionCookie'),
  },
  'Login-Response': {
    clientId,
    result,
    nonce: text('Nonce'),
    digestSchema: text('DigestSchema'),
    sessionId: text('SessionID'),
    keepAliveTime: int('KeepAliveTime'),
    capabilityRequest: bool('CapabilityRequest'),
  },
  'Logout-Request': {},
  Disconnect: { result },
  'KeepAlive-Request': { timeToLive: int('TimeToLive') },
  'KeepAlive-Response': { result, keepAliveTime: int('KeepAliveTime') },
  'Polling-Request': {},
  'ClientCapability-Request': { clientId, capabilityList: struct('CapabilityList', CapabilityListSchema) },
  'ClientCapability-Response': {
    clientId,
    capabilityList: struct('CapabilityList', CapabilityListSchema),
    agreedCapabilityList: struct('AgreedCapabilityList', AgreedCapabilityListSchema),
  },
  'Service-Request': {
    clientId,
    functions: functionsField,
    allFunctionsRequest: bool('AllFunctionsRequest'),
  },
  'Service-Response': { clientId, functions: functionsField, allFunctions: raw('AllFunctions') },
  'GetSPInfo-Request': { clientId },
  'GetSPInfo-Response': {
    clientId,
    name: text('Name'),
    logo: raw('Logo'),
    description: text('Description'),
    url: text('URL'),
  },
  Status: { result, clientId },
} as const;

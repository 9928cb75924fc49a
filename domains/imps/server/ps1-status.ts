// PS1's error catalogue (STYLE.md lesson 10): each way a request can fail has a stable name and
// the CSP Result it is answered with (imps.md §7). Handlers return these; tests assert codes.
import type { DetailedResult, Result } from '../csp/model/common-structs.ts';
import { primitive, type TypedPrimitive } from '../csp/model/primitives.ts';
import { describeStatus } from '../csp/status-codes.ts';

export const PS1_ERRORS = {
  PS1_ERR_UNKNOWN_USER: [531, 'Unknown user'],
  PS1_ERR_INVALID_PASSWORD: [409, 'Invalid password'],
  PS1_ERR_DIGEST_SCHEME: [543, 'No matching digest scheme supported'],
  PS1_ERR_NO_CHALLENGE: [409, 'Invalid password: DigestBytes without a pending Nonce'],
  PS1_ERR_INVALID_SESSION: [604, 'Invalid session / not logged in'],
  PS1_ERR_SESSION_EXPIRED: [600, 'Session expired'],
  PS1_ERR_CLIENT_MISMATCH: [422, 'UserID and ClientID do not match'],
  PS1_ERR_ALREADY_LOGGED_IN: [603, 'Already logged in'],
  PS1_ERR_NOT_AGREED: [506, 'Service not agreed'],
  PS1_ERR_NOT_IMPLEMENTED: [501, 'Not implemented'],
  PS1_ERR_BAD_PARAMETER: [402, 'Bad parameter'],
  PS1_ERR_UNKNOWN_DOMAIN: [516, 'Domain not supported'],
  PS1_ERR_REMOTE_TIMEOUT: [504, 'Timeout'],
  PS1_ERR_NO_LIST: [700, 'Contact list does not exist'],
  PS1_ERR_LIST_EXISTS: [701, 'Contact list already exists'],
  PS1_ERR_LIST_PROPERTY: [752, 'Invalid or unsupported contact list property'],
  PS1_ERR_BLOCKED: [532, 'Recipient blocked the sender'],
  PS1_ERR_UNKNOWN_MESSAGE: [426, 'Invalid message ID'],
  PS1_ERR_NO_PENDING_AUTH: [521, 'Unresponded presence request'],
  PS1_ERR_INVALID_TRANSACTION: [420, 'Invalid transaction'],
} as const satisfies Record<string, readonly [number, string]>;

export type Ps1ErrorName = keyof typeof PS1_ERRORS;

export function resultOf(code: number, description?: string, details?: DetailedResult[]): Result {
  const r: Result = { code, description: description ?? describeStatus(code) };
  if (details !== undefined && details.length > 0) r.detailedResults = details;
  return r;
}

export function errorResult(name: Ps1ErrorName, detail?: string): Result {
  const [code, text] = PS1_ERRORS[name];
  return resultOf(code, detail === undefined ? text : `${text}: ${detail}`);
}

export function statusOf(result: Result): TypedPrimitive<'Status'> {
  return primitive('Status', { result });
}

export function ok(): TypedPrimitive<'Status'> {
  return statusOf(resultOf(200));
}

export function fail(name: Ps1ErrorName, detail?: string): TypedPrimitive<'Status'> {
  return statusOf(errorResult(name, detail));
}

/**
 * imps.md §6.2 / §3.1: one target failing is that target's code; several with some failures is
 * 201 Partially successful with a DetailedResult per failed target; all failing with different
 * codes is 900 Multiple errors.
 */
export function aggregate(total: number, failures: DetailedResult[]): Result {
  if (failures.length === 0) return resultOf(200);
  if (total === 1 && failures.length === 1) {
    const f = failures[0]!;
    return resultOf(f.code ?? 500, f.description, failures);
  }
  if (failures.length < total) return resultOf(201, undefined, failures);
  const codes = new Set(failures.map((f) => f.code));
  if (codes.size === 1) {
    const c = failures[0]!.code ?? 500;
    return resultOf(c, undefined, failures);
  }
  return resultOf(900, undefined, failures);
}

export function detail(code: number, userIds: string[], description?: string): DetailedResult {
  return { code, description: description ?? describeStatus(code), userIds };
}

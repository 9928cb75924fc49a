// Methods defined by RFC 3261 and the SIP extensions the lab knows of. A UAS answers a method
// outside this set with 501 and one inside it that its role does not allow with 405
// (RFC 3261 §8.2.1). Methods are case-sensitive (§7.1).

export const SIP_METHODS: ReadonlySet<string> = new Set([
  'INVITE', // RFC 3261
  'ACK',
  'BYE',
  'CANCEL',
  'REGISTER',
  'OPTIONS',
  'INFO', // RFC 6086
  'PRACK', // RFC 3262
  'SUBSCRIBE', // RFC 6665
  'NOTIFY',
  'UPDATE', // RFC 3311
  'MESSAGE', // RFC 3428
  'REFER', // RFC 3515
  'PUBLISH', // RFC 3903
]);

export function isKnownMethod(method: string): boolean {
  return SIP_METHODS.has(method);
}

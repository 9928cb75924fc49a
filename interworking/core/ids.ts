// Typed ids (STYLE.md lesson 8): the IWF juggles several kinds of identifier that are all
// strings on the wire; a brand keeps a SIP dialog id from being passed where an IWF
// subscription id is expected.

declare const brand: unique symbol;
type Brand<T, B extends string> = T & { readonly [brand]: B };

/** One cross-domain subscription as the IWF knows it (the key of its per-key queue and store). */
export type IwfSubscriptionId = Brand<string, 'IwfSubscriptionId'>;
/** An IMPS MessageID the IWF minted or received (the key of an in-flight IM). */
export type IwfMessageId = Brand<string, 'IwfMessageId'>;
/** A wv: address, normalised by the address mapping (rows A1/S1). */
export type WvAddress = Brand<string, 'WvAddress'>;
/** A sip: URI, normalised by the address mapping. */
export type SipAddress = Brand<string, 'SipAddress'>;

/** Harry (IMPS) watches Jane (SIMPLE): keyed by the watcher and the presentity. */
export function impsWatchId(watcher: WvAddress, target: WvAddress): IwfSubscriptionId {
  return `imps:${watcher}>${target}` as IwfSubscriptionId;
}

/** Jane (SIMPLE) watches Harry (IMPS): one per SIP dialog. */
export function sipWatchId(dialogKey: string): IwfSubscriptionId {
  return `sip:${dialogKey}` as IwfSubscriptionId;
}

export const asWv = (s: string): WvAddress => s as WvAddress;
export const asSip = (s: string): SipAddress => s as SipAddress;
export const asMessageId = (s: string): IwfMessageId => s as IwfMessageId;

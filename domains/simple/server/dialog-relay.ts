// PS2's proxy role inside dialogs it record-routed. PS2 Record-Routes the SUBSCRIBEs it forwards
// to other domains (RFC 3261 §16.6 step 4), so the far end's NOTIFYs and the local subscriber's
// refreshes and un-SUBSCRIBEs come back to PS2 with a Route naming it. No dialog usage of PS2 owns
// them; the user agent hands them to this fallback, which relays them by the remaining Route or
// the Request-URI (§16.4, §16.6) after the same admission as out-of-dialog requests.
import {
  forwardRequest,
  type IncomingRequest,
  isOwnRoute,
  type RequestHandler,
  type SipUserAgent,
} from '../sip/core/index.ts';
import { type AdmissionPolicy, admit } from './request-admission.ts';

/**
 * The handler PS2 installs with `ua.setFallbackHandler`: in-dialog requests whose top Route names
 * PS2 are relayed; other in-dialog requests get 481 (§12.2.2); out-of-dialog requests no method
 * handler serves get what the user agent answers without a fallback (OPTIONS 200, 405, 501).
 */
export function dialogRelay(ua: SipUserAgent, policy: AdmissionPolicy): RequestHandler {
  return async (incoming) => {
    const request = incoming.request;
    if (request.toTag === undefined) {
      ua.answerUnserved(incoming);
      return;
    }
    // PS2 proxies no INVITE, so an in-dialog ACK has no dialog here; an ACK is never answered
    // (§17.2.1).
    if (request.method === 'ACK') return;
    const top = request.routes[0];
    if (top === undefined || !isOwnRoute(ua, top.uri)) {
      incoming.reply(481, 'Call/Transaction Does Not Exist');
      return;
    }
    // The trusted-peer rule holds inside dialogs too: a domain1.lab From only from the IWF, and a
    // local From proves itself with Digest (407) — otherwise anyone could put PS2's Route on a
    // request and speak to the IWF as a domain2.lab user.
    const a = admit(incoming, policy);
    if (!a.ok) return;
    const fromDomain = a.identity.slice(a.identity.lastIndexOf('@') + 1);
    if (!a.local && !policy.trustedPeers.has(fromDomain)) {
      incoming.reply(403, 'Forbidden - relaying denied');
      return;
    }
    // RFC 6665 §4.1.2.4: a NOTIFY may reach the subscriber before the 2xx and then creates the
    // dialog with the NOTIFY's Record-Route as its route set, so PS2 stays on it there too; in
    // an established dialog the subscriber ignores it (§12.2.1.2 never updates the route set).
    await forwardRequest(ua, incoming, { recordRoute: request.method === 'NOTIFY' });
  };
}

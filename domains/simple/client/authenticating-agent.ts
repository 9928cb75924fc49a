// The SIP core's Subscriber sends through `SipUserAgent.send` without the agent's credentials,
// so a SUBSCRIBE challenged with 407 by the home proxy would fail. This view of the agent adds
// the credentials to every `send` (the core's `request()` already does) — a workaround kept in
// the client's folder until the core passes credentials itself.
import type { DigestUserCredentials } from '../sip/auth/index.ts';
import type { SipUserAgent } from '../sip/core/index.ts';

export function authenticatingAgent(ua: SipUserAgent, credentials: DigestUserCredentials): SipUserAgent {
  const send = ua.send.bind(ua);
  return Object.create(ua, {
    send: {
      value: (
        request: Parameters<SipUserAgent['send']>[0],
        options: Parameters<SipUserAgent['send']>[1] = {},
      ) => send(request, { ...options, credentials: options.credentials ?? credentials }),
    },
  }) as SipUserAgent;
}

// Stand-ins for the IWF's two peers on loopback, for the IWF's e2e tests: a PS1 that is only an
// SSP endpoint (records what the IWF sends it), and a PS2 that is only a SIP presence notifier
// and MESSAGE sink. Real sockets, real codecs; the IWF under test cannot tell the difference.
import type { SspEndpoint as SspEndpointType } from '../../../domains/imps/ssp/ssp-endpoint.ts';
import { SspEndpoint } from '../../../domains/imps/ssp/ssp-endpoint.ts';
import type {
  DeliveryStatusReport,
  PresenceNotification,
  SendMessageRequest,
  SubscribeRequest,
  UnsubscribeRequest,
} from '../../../domains/imps/ssp/ssp-model.ts';
import {
  type IncomingRequest,
  Notifier,
  type NotifierSubscription,
  SipUserAgent,
} from '../../../domains/simple/sip/core/index.ts';

export const SECRET = 'iwf-e2e-secret';

export function pidf(note: string, basic: 'open' | 'closed' = 'open'): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    '<presence xmlns="urn:ietf:params:xml:ns:pidf" entity="pres:jane@domain2.lab">' +
    `<tuple id="t1"><status><basic>${basic}</basic></status><note>${note}</note></tuple></presence>`
  );
}

export async function until<T>(what: string, probe: () => T | undefined, ms = 8000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export class FakePs1 {
  readonly endpoint: SspEndpointType;
  readonly notifications: PresenceNotification[] = [];
  readonly messages: SendMessageRequest[] = [];
  readonly reports: DeliveryStatusReport[] = [];
  readonly subscribes: SubscribeRequest[] = [];
  readonly unsubscribes: UnsubscribeRequest[] = [];
  /** Status code answered to SendMessageRequest. */
  messageStatus = 200;

  constructor(iwfSspUrl: string) {
    this.endpoint = new SspEndpoint({
      domain: 'domain1.lab',
      peers: { 'domain2.lab': { url: iwfSspUrl, secret: SECRET } },
      node: 'fake-ps1',
      timeoutMs: 6000,
      delegate: {
        handleSspPresenceNotification: async (_c, r) => {
          this.notifications.push(r);
          return { code: 200 };
        },
        handleSspSendMessage: async (_c, r) => {
          this.messages.push(r);
          return { status: { code: this.messageStatus }, messageId: r.message.messageId ?? 'm' };
        },
        handleSspDeliveryStatusReport: async (_c, r) => {
          this.reports.push(r);
          return { code: 200 };
        },
        handleSspSubscribe: async (_c, r) => {
          this.subscribes.push(r);
          return { code: 200 };
        },
        handleSspUnsubscribe: async (_c, r) => {
          this.unsubscribes.push(r);
          return { code: 200 };
        },
      },
    });
  }

  listen(address: string, port: number) {
    return this.endpoint.listen(address, port);
  }

  notes(): string[] {
    return this.notifications.map(
      (n) => n.presences[0]?.presenceSubList.statusText?.presenceValue ?? '(none)',
    );
  }

  close() {
    return this.endpoint.close();
  }
}

export class FakePs2 {
  readonly ua: SipUserAgent;
  readonly subscriptions: NotifierSubscription[] = [];
  readonly subscribes: IncomingRequest[] = [];
  readonly messages: IncomingRequest[] = [];
  note = 'before';
  /** State of the first NOTIFY (pending = Jane has not decided). */
  initialState: 'active' | 'pending' = 'active';
  /** When set, MESSAGEs get no answer at all (the IWF's request stays in flight). */
  holdMessages = false;
  messageStatus = 200;

  constructor(address: string, port: number) {
    this.ua = new SipUserAgent({ node: 'fake-ps2', address, port });
    new Notifier(
      this.ua,
      { events: ['presence'] },
      {
        onSubscribe: (sub, req) => {
          this.subscriptions.push(sub);
          this.subscribes.push(req);
          if (this.initialState === 'pending') return { state: 'pending' };
          return { state: 'active', body: pidf(this.note), contentType: 'application/pidf+xml' };
        },
        currentContent: () => ({ body: pidf(this.note), contentType: 'application/pidf+xml' }),
      },
    );
    this.ua.on('MESSAGE', (req) => {
      this.messages.push(req);
      if (!this.holdMessages) req.reply(this.messageStatus);
    });
  }

  start() {
    return this.ua.start();
  }

  stop() {
    return this.ua.stop();
  }

  texts(): string[] {
    return this.messages.map((m) => m.request.body.toString('utf8'));
  }
}

// Stand-ins for the IWF's two peers on loopback, for the IWF's e2e tests: a PS1 that is only an
// SSP endpoint (records what the IWF sends it, and sends what a test asks for on behalf of its
// users), and a PS2 that is only a SIP presence notifier and MESSAGE sink. Real sockets, real
// codecs; the IWF under test cannot tell the difference.

import type { PresenceSubList } from '../../../domains/imps/csp/model/presence-attributes.ts';
import type { SspEndpoint as SspEndpointType } from '../../../domains/imps/ssp/ssp-endpoint.ts';
import { SspEndpoint } from '../../../domains/imps/ssp/ssp-endpoint.ts';
import type {
  DeliveryStatusReport,
  PresenceNotification,
  SendMessageRequest,
  SspContent,
  SspMessageInfo,
  SspRequestContent,
  SubscribeRequest,
  UnsubscribeRequest,
} from '../../../domains/imps/ssp/ssp-model.ts';
import { PresenceStub } from '../support/presence-stub.ts';

export const SECRET = 'iwf-e2e-secret';
/** The SIMPLE user every IWF suite's IMPS users talk to. */
export const JANE_WV = 'wv:jane@domain2.lab';

/** An SSP request as a test writes it: PS1 adds the MetaInfo. */
type WithoutMeta<T> = T extends unknown ? Omit<T, 'meta'> : never;
export type SspRequestBody = WithoutMeta<SspRequestContent>;

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
  private listening = false;

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

  async listen(address: string, port: number) {
    await this.endpoint.listen(address, port);
    this.listening = true;
  }

  /**
   * Sends `body` to the IWF (domain2.lab) as PS1 does for its user `userId`: the MetaInfo names
   * PS1's service (wv:@domain1.lab) and the user (SSP MetaInfo/Requestor).
   */
  send(userId: string, body: SspRequestBody): Promise<SspContent> {
    return this.endpoint.request('domain2.lab', {
      ...body,
      meta: { serviceId: 'wv:@domain1.lab', userId },
    } as SspRequestContent);
  }

  /** `watcher` subscribes to `userIds` (default Jane), for `attributes` when given. */
  subscribe(watcher: string, userIds = [JANE_WV], attributes?: string[]): Promise<SspContent> {
    return this.send(watcher, { kind: 'SubscribeRequest', userIds, ...(attributes ? { attributes } : {}) });
  }

  /** `sender`'s IM (text/plain unless `message` says otherwise) to `recipients` (default Jane). */
  sendMessage(
    sender: string,
    content: string,
    options: { deliveryReport?: boolean; message?: Partial<SspMessageInfo> } = {},
  ): Promise<SspContent> {
    return this.send(sender, {
      kind: 'SendMessageRequest',
      deliveryReport: options.deliveryReport ?? false,
      message: { contentType: 'text/plain', recipients: [JANE_WV], sender, ...options.message },
      content,
    });
  }

  /** `presentity`'s presence, as PS1 notifies it to its watchers `recipients` (default Jane). */
  notifyPresence(presentity: string, presenceSubList: PresenceSubList, recipients = [JANE_WV]) {
    return this.send(presentity, {
      kind: 'PresenceNotification',
      recipients,
      presences: [{ userId: presentity, presenceSubList }],
    });
  }

  notes(): string[] {
    return this.notifications.map(
      (n) => n.presences[0]?.presenceSubList.statusText?.presenceValue ?? '(none)',
    );
  }

  /** Closes the endpoint if it ever listened (a suite may keep PS1 down on purpose). */
  async close() {
    if (this.listening) await this.endpoint.close();
    this.listening = false;
  }
}

/** PS2 as the IWF sees it: Jane's presence (her note in `note`) and her MESSAGE inbox. */
export class FakePs2 extends PresenceStub {
  note = 'before';

  constructor(address: string, port: number) {
    super({ node: 'fake-ps2', address, port }, () => pidf(this.note));
  }
}

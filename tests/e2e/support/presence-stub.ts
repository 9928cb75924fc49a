// A SIP node that is only a presence notifier and a MESSAGE sink, standing in for whatever sits
// beyond the SIP hop a suite tests: PS2 as the IWF sees it, or the IWF (domain1.lab's next hop)
// as PS2 sees it. It records every SUBSCRIBE (with its NotifierSubscription, so a test can NOTIFY
// or terminate it) and every MESSAGE, and answers them as the test sets it to.
import {
  type IncomingRequest,
  Notifier,
  type NotifierSubscription,
  SipUserAgent,
  type SipUserAgentOptions,
} from '../../../domains/simple/sip/core/index.ts';

export class PresenceStub {
  readonly ua: SipUserAgent;
  readonly subscriptions: NotifierSubscription[] = [];
  readonly subscribes: IncomingRequest[] = [];
  readonly messages: IncomingRequest[] = [];
  /** State of the first NOTIFY (pending = the presentity has not decided). */
  initialState: 'active' | 'pending' = 'active';
  /** When set, MESSAGEs get no answer at all (the sender's request stays in flight). */
  holdMessages = false;
  messageStatus = 200;
  private started = false;

  /** `pidf` is the presence document of every NOTIFY, read when the NOTIFY is built. */
  constructor(
    options: SipUserAgentOptions,
    public pidf: () => string,
  ) {
    this.ua = new SipUserAgent(options);
    new Notifier(
      this.ua,
      { events: ['presence'] },
      {
        onSubscribe: (sub, req) => {
          this.subscriptions.push(sub);
          this.subscribes.push(req);
          if (this.initialState === 'pending') return { state: 'pending' };
          return { state: 'active', body: this.pidf(), contentType: 'application/pidf+xml' };
        },
        currentContent: () => ({ body: this.pidf(), contentType: 'application/pidf+xml' }),
      },
    );
    this.ua.on('MESSAGE', (req) => {
      this.messages.push(req);
      if (!this.holdMessages) req.reply(this.messageStatus);
    });
  }

  async start() {
    await this.ua.start();
    this.started = true;
  }

  /** Stops the agent if it ever started (a suite may keep the stub down on purpose). */
  async stop() {
    if (this.started) await this.ua.stop();
    this.started = false;
  }

  /** The bodies of the MESSAGEs received, in order. */
  texts(): string[] {
    return this.messages.map((m) => m.request.body.toString('utf8'));
  }
}

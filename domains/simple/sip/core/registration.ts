import type { TimerHandle } from '../../../../common/clock.ts';
import type { DigestUserCredentials } from '../auth/index.ts';
import type { SipResponse } from '../message/sip-message.ts';
import { type RegisterAction, RegisterClientState } from '../registrar/register-client.ts';
import type { TransportProtocol } from '../transport/transport.ts';
import { TypedEmitter } from './typed-emitter.ts';
import type { SipUserAgent } from './user-agent.ts';

// RFC 3261 §10.2 registration as a running usage: sends what RegisterClientState builds, retries
// on challenges and 423, refreshes before expiry, and unregisters on request.

export interface RegistrationOptions {
  aor: string;
  /** Request-URI of the REGISTER, e.g. `sip:domain2.lab`. */
  registrar: string;
  expires?: number;
  credentials?: DigestUserCredentials;
  /** Transport for REGISTER and the Contact it carries. */
  protocol?: TransportProtocol;
  /** Contact user part (default: the AOR's user). */
  contactUser?: string;
}

type RegistrationEvents = {
  registered: [expires: number];
  unregistered: [];
  failed: [status: number, reason: string];
};

export class Registration extends TypedEmitter<RegistrationEvents> {
  registered = false;
  private readonly state: RegisterClientState;
  private refreshTimer: TimerHandle | undefined;
  private stopped = false;

  constructor(
    private readonly ua: SipUserAgent,
    private readonly options: RegistrationOptions,
  ) {
    super();
    const protocol = options.protocol ?? 'udp';
    const user = options.contactUser ?? /^sips?:([^@]+)@/.exec(options.aor)?.[1];
    this.state = new RegisterClientState({
      aor: options.aor,
      registrar: options.registrar,
      contact: ua.contactUri(protocol, user),
      ids: ua.ids,
      ...(options.expires !== undefined ? { expires: options.expires } : {}),
      ...(options.credentials ? { credentials: options.credentials } : {}),
    });
  }

  /** Registers (or refreshes); resolves with the outcome. */
  async register(): Promise<RegisterAction> {
    this.stopped = false;
    return this.run(false);
  }

  /** Removes our binding (Expires: 0) and stops refreshing. */
  async unregister(): Promise<RegisterAction> {
    this.stopped = true;
    this.refreshTimer?.cancel();
    return this.run(true);
  }

  private async run(unregister: boolean): Promise<RegisterAction> {
    for (;;) {
      const request = this.state.buildRegister(unregister);
      // RegisterClientState answers challenges itself (it owns the CSeq sequence).
      const response: SipResponse = await this.ua.send(request, {
        credentials: null,
        ...(this.options.protocol ? { protocol: this.options.protocol } : {}),
      });
      const action = this.state.onResponse(request, response, this.ua.clock.now());
      if (action.kind === 'retry') continue;
      if (action.kind === 'registered') {
        this.registered = true;
        this.refreshTimer?.cancel();
        if (!this.stopped) {
          this.refreshTimer = this.ua.clock.setTimer(
            action.refreshAt - this.ua.clock.now(),
            () => void this.run(false),
          );
        }
        this.emit('registered', action.expires);
      } else if (action.kind === 'unregistered') {
        this.registered = false;
        this.emit('unregistered');
      } else {
        this.registered = false;
        this.emit('failed', action.status, action.reason);
      }
      return action;
    }
  }

  /** Stops refreshing without sending anything (the binding expires at the registrar). */
  cancel(): void {
    this.stopped = true;
    this.refreshTimer?.cancel();
  }
}

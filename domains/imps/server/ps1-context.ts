// The state every PS1 handler works on, resolved once (STYLE.md lesson 9: context first).
import type { CspPrimitive } from '../csp/model/primitives.ts';
import type { AuthorizationStore } from './authorization-store.ts';
import type { ContactListStore } from './contact-list-store.ts';
import type { ImpsSession } from './imps-session.ts';
import type { MessageService } from './message-service.ts';
import type { PresenceService } from './presence-service.ts';
import type { ResolvedPs1Config } from './ps1-config.ts';
import type { ReactiveAuthorization } from './reactive-authorization.ts';
import type { RemoteDomainGateway } from './remote-domains.ts';
import type { SessionStore } from './session-store.ts';

export interface Ps1Context {
  config: ResolvedPs1Config;
  /** userId -> password */
  users: Map<string, string>;
  sessions: SessionStore;
  authz: AuthorizationStore;
  lists: ContactListStore;
  presence: PresenceService;
  messages: MessageService;
  reactive: ReactiveAuthorization;
  remote: RemoteDomainGateway | undefined;
  /** Canonical `wv:user@domain` (home domain when none), undefined when malformed. */
  normalize(raw: string | undefined): string | undefined;
  isLocal(userId: string): boolean;
  /** Queues a server-initiated transaction on the session (imps.md §13 item 4). */
  send(session: ImpsSession, primitive: CspPrimitive, onResponse?: (response: CspPrimitive) => void): void;
}

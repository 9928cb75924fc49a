// The control API every terminal of the lab exposes (docs/control-api.md): a protocol-neutral
// interface that Jane's SIMPLE terminal implements over SIP/XCAP and Harry's IMPS terminal over
// CSP. control-server.ts serves any implementation over HTTP + JSON and a WebSocket event stream.

/** The common presence model (RPID vocabulary, RFC 4480). */
export interface ControlPresence {
  basic?: 'open' | 'closed';
  availability?: 'available' | 'discreet' | 'not-available';
  activities?: string[];
  mood?: string[];
  note?: string;
  placeType?: string;
  statusIcon?: string;
  /** Network-provided information (read only: PS2's Presence Network Agent). */
  network?: { visited?: string; accessType?: string; registered?: boolean };
}

export type ControlSubscriptionState = 'pending' | 'active' | 'terminated';

export interface ControlSubscription {
  target: string;
  kind: 'user' | 'list';
  state: ControlSubscriptionState;
  reason?: string;
  presence?: ControlPresence;
  members?: Array<{ target: string; state: ControlSubscriptionState; presence?: ControlPresence }>;
}

/**
 * Subscription options (docs/control-api.md "Subscription options"). `attributes` names fields of
 * the common presence model above; `onlyChanges` asks for notifications with what changed only.
 */
export type PresenceField = keyof ControlPresence;
export const PRESENCE_FIELDS: readonly PresenceField[] = [
  'basic',
  'availability',
  'activities',
  'mood',
  'note',
  'placeType',
  'statusIcon',
  'network',
];

export interface SubscribeOptions {
  list?: boolean;
  attributes?: PresenceField[];
  onlyChanges?: boolean;
}

/** A buddy list as the control API shows it (`PUT`/`GET /api/v1/lists/{list}`). */
export interface ControlBuddyList {
  list: string;
  members: string[];
}

export interface ControlWatcher {
  watcher: string;
  status: string;
  event: string;
}

export type AuthorizationDecision = 'approve' | 'deny' | 'polite-block';

export interface ProvidePermissions {
  notes?: boolean;
  activities?: boolean;
  mood?: boolean;
  placeType?: boolean;
  network?: boolean;
}

export interface ControlMessage {
  id: string;
  direction: 'in' | 'out';
  peer: string;
  text: string;
  at: string;
  status?: string;
}

export interface ControlState {
  user: string;
  protocol: 'simple' | 'imps';
  loggedIn: boolean;
  via?: 'home' | 'visited';
  presence?: ControlPresence;
  subscriptions: ControlSubscription[];
  watchers: ControlWatcher[];
  authorizations: Array<{ watcher: string; decision: AuthorizationDecision }>;
  messages: ControlMessage[];
}

export type ControlEvent =
  | { type: 'hello'; state: ControlState }
  | { type: 'login'; loggedIn: boolean; via?: 'home' | 'visited' }
  | { type: 'presence'; from: string; presence: ControlPresence; list?: string }
  | { type: 'subscription'; target: string; state: ControlSubscriptionState; reason?: string }
  | { type: 'watcher'; watcher: string; status: string; event: string }
  | { type: 'message'; id: string; from: string; text: string; contentType: string }
  | { type: 'delivery'; id: string; to: string; status: 'delivered' | 'failed' | 'displayed' }
  | { type: 'error'; code: string; message: string };

export type ControlErrorCode =
  | 'TERM_ERR_BAD_REQUEST'
  | 'TERM_ERR_NOT_LOGGED_IN'
  | 'TERM_ERR_ALREADY_LOGGED_IN'
  | 'TERM_ERR_AUTH_FAILED'
  | 'TERM_ERR_NOT_FOUND'
  | 'TERM_ERR_REMOTE_REFUSED'
  | 'TERM_ERR_TIMEOUT'
  | 'TERM_ERR_NOT_SUPPORTED';

/** HTTP status of each error code (docs/control-api.md "Error codes"). */
export const CONTROL_ERROR_STATUS: Record<ControlErrorCode, number> = {
  TERM_ERR_BAD_REQUEST: 400,
  TERM_ERR_NOT_LOGGED_IN: 409,
  TERM_ERR_ALREADY_LOGGED_IN: 409,
  TERM_ERR_AUTH_FAILED: 401,
  TERM_ERR_NOT_FOUND: 404,
  TERM_ERR_REMOTE_REFUSED: 502,
  TERM_ERR_TIMEOUT: 504,
  TERM_ERR_NOT_SUPPORTED: 501,
};

/** A failure a control call reports; the server turns it into the JSON error body. */
export class ControlError extends Error {
  constructor(
    readonly code: ControlErrorCode,
    message: string,
    readonly protocolStatus?: number,
  ) {
    super(message);
  }
}

export type ControlListener = (event: ControlEvent) => void;

/** What a terminal implements; every method rejects with ControlError on failure. */
export interface TerminalControl {
  login(options: { password?: string; via?: 'home' | 'visited' }): Promise<{
    loggedIn: boolean;
    via: 'home' | 'visited';
    expires?: number;
  }>;
  logout(): Promise<{ loggedIn: boolean }>;
  setPresence(presence: ControlPresence): Promise<{ published: boolean; etag?: string }>;
  subscribe(target: string, options?: SubscribeOptions): Promise<ControlSubscription>;
  unsubscribe(target: string): Promise<{ target: string; state: ControlSubscriptionState }>;
  authorize(
    watcher: string,
    decision: AuthorizationDecision,
    provide?: ProvidePermissions,
  ): Promise<{ watcher: string; decision: AuthorizationDecision }>;
  revoke(watcher: string): Promise<{ watcher: string; revoked: boolean }>;
  sendMessage(
    to: string,
    text: string,
    options?: { deliveryReport?: boolean },
  ): Promise<{ id: string; status: 'sent' | 'stored'; protocolStatus?: number }>;
  /** Creates or replaces a buddy list; optional: the control server answers 501 without it. */
  setBuddyList?(list: string, members: string[]): Promise<ControlBuddyList>;
  getBuddyList?(list: string): Promise<ControlBuddyList>;
  state(): ControlState;
  /** Registers an event listener; returns the function that removes it. */
  onEvent(listener: ControlListener): () => void;
}

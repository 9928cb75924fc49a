// The SIP transaction layer (RFC 3261 §17, RFC 4320, RFC 6026): see
// docs/sip-transport-transactions.md.
export { type InviteServerState, InviteServerTransaction } from './invite-server-transaction.ts';
export { type NonInviteClientState, NonInviteClientTransaction } from './non-invite-client-transaction.ts';
export { type NonInviteServerState, NonInviteServerTransaction } from './non-invite-server-transaction.ts';
export { createResponse, withToTag } from './response-factory.ts';
export { TimerNode, type TimerOwner, TimerQueue } from './timer-queue.ts';
export {
  DEFAULT_TIMER_VALUES,
  type TimerValues,
  timerValues,
  timeUntilTimerEReachesT2,
  transactionTimeout,
} from './timer-values.ts';
export {
  TRANSACTION_ERRORS,
  type TransactionError,
  type TransactionErrorCode,
  transactionError,
} from './transaction-errors.ts';
export { clientKey, clientKeyOfResponse, type ServerKeys, serverKeys } from './transaction-keys.ts';
export {
  type SendRequestOptions,
  type StatelessRequestOptions,
  TransactionLayer,
  type TransactionLayerOptions,
} from './transaction-layer.ts';
export type {
  ClientTransaction,
  ClientTransactionHandler,
  RequestTarget,
  ServerTransaction,
  TransactionUser,
} from './transaction-user.ts';

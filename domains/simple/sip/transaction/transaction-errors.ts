// The transaction layer's error catalogue (STYLE lesson 10): stable codes for why a response or
// request could not go through a transaction. Tests assert the codes.

export interface TransactionError {
  readonly code: TransactionErrorCode;
  readonly reason: string;
}

export const TRANSACTION_ERRORS = {
  /** RFC 3261 §17.2.2: once Completed, further TU responses are not sent. */
  SIP_ERR_TX_FINAL_SENT: 'a final response was already sent',
  /** RFC 4320 §4.1: only 100 may be a provisional to a non-INVITE, and not early over UDP. */
  SIP_ERR_TX_PROVISIONAL_REFUSED: 'provisional response refused by RFC 4320',
  SIP_ERR_TX_TERMINATED: 'the transaction has terminated',
  SIP_ERR_TX_TRANSPORT: 'the transport refused the message',
  SIP_ERR_TX_NO_TRANSPORT: 'no transport for that protocol',
  /** No INVITE client transaction here (the lab's roles send no INVITE); ACK has none by §17. */
  SIP_ERR_TX_METHOD: 'no client transaction for this method; send it statelessly',
} as const;

export type TransactionErrorCode = keyof typeof TRANSACTION_ERRORS;

export function transactionError(code: TransactionErrorCode): TransactionError {
  return { code, reason: TRANSACTION_ERRORS[code] };
}

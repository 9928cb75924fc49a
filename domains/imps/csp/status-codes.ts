// CSP Result/Status codes and their Description texts (imps.md §7, from Android ImpsErrorInfo,
// Symbian PEngWVPresenceErrors2.h / ImpsCSPAllErrors.h and interVillage; 8xx from Symbian 1.1).
// Rendered as a table in docs/imps-csp.md.

export interface CspStatus {
  code: number;
  description: string;
}

export const CSP_STATUS_CODES: ReadonlyMap<number, string> = new Map([
  [100, 'Continue'],
  [101, 'Queued'],
  [102, 'Started'],
  [200, 'Successful'],
  [201, 'Partially successful'],
  [202, 'Accepted'],
  [400, 'Bad request'],
  [401, 'Unauthorized'],
  [402, 'Bad parameter'],
  [403, 'Forbidden'],
  [404, 'Not found'],
  [405, 'Service not supported'],
  [408, 'Request timeout'],
  [409, 'Invalid password'],
  [410, 'Unable to deliver'],
  [415, 'Unsupported media type'],
  [420, 'Invalid transaction'],
  [422, 'UserID and ClientID do not match'],
  [423, 'Invalid invitation ID'],
  [424, 'Invalid search ID'],
  [425, 'Invalid search index'],
  [426, 'Invalid message ID'],
  [431, 'Unauthorized group membership'],
  [432, 'Response too large'],
  [500, 'Internal server or network error'],
  [501, 'Not implemented'],
  [502, 'Could not recover session'],
  [503, 'Service unavailable'],
  [504, 'Timeout'],
  [505, 'Version not supported'],
  [506, 'Service not agreed'],
  [507, 'Message queue is full'],
  [516, 'Domain not supported'],
  [521, 'Unresponded presence request'],
  [522, 'Unresponded group request'],
  [531, 'Unknown user'],
  [532, 'Recipient blocked the sender'],
  [533, 'Message recipient not logged in'],
  [534, 'Message recipient unauthorized'],
  [535, 'Search timed out'],
  [536, 'Too many hits'],
  [537, 'Too broad search criteria'],
  [538, 'Message has been rejected'],
  [540, 'Header encoding not supported'],
  [541, 'Message has been forwarded'],
  [542, 'Message has expired'],
  [543, 'No matching digest scheme supported'],
  [600, 'Session expired'],
  [601, 'Forced logout'],
  [603, 'Already logged in'],
  [604, 'Invalid session / not logged in'],
  [605, 'New value not accepted'],
  [700, 'Contact list does not exist'],
  [701, 'Contact list already exists'],
  [702, 'Invalid or unsupported user properties'],
  [750, 'Invalid or unsupported presence attribute'],
  [751, 'Invalid or unsupported presence value'],
  [752, 'Invalid or unsupported contact list property'],
  [753, 'The maximum number of contact lists has been reached for the user'],
  [754, 'The maximum number of contacts has been reached for the user'],
  [755, 'The maximum number of attribute lists has been reached for the user'],
  [760, 'Automatic subscription/unsubscription is not supported'],
  [800, 'Group does not exist'],
  [801, 'Group already exists'],
  [802, 'Group is open'],
  [803, 'Group is restricted'],
  [804, 'Group is public'],
  [805, 'Group is private'],
  [806, 'Invalid/unsupported group properties'],
  [807, 'Group is already joined'],
  [808, 'Group is not joined'],
  [809, 'Rejected (user on group reject list)'],
  [810, 'Not a group member'],
  [811, 'Screen name already in use'],
  [812, 'Private messaging is disabled for group'],
  [813, 'Private messaging is disabled for user'],
  [814, 'The maximum number of groups has been reached for the user'],
  [815, 'The maximum number of groups has been reached for the server'],
  [816, 'Insufficient group privileges'],
  [817, 'The maximum number of joined users has been reached'],
  [821, 'History is not supported'],
  [822, 'Cannot have searchable group without name or topic'],
  [900, 'Multiple errors'],
  [901, 'General address error'],
  [902, 'Not enough credit to complete requested operation'],
  [903, 'Operation requires a higher class of service'],
  [920, 'MSISDN error'],
]);

/** The catalogue Description for a code, or a class text for codes not in the catalogue. */
export function describeStatus(code: number): string {
  const known = CSP_STATUS_CODES.get(code);
  if (known !== undefined) return known;
  if (code >= 200 && code < 300) return 'Successful';
  if (code >= 400 && code < 500) return 'Client error';
  if (code >= 500 && code < 600) return 'Server error';
  return 'Error';
}

export function cspStatus(code: number, description?: string): CspStatus {
  return { code, description: description ?? describeStatus(code) };
}

/** imps.md §7 "Client handling": 600/601/604 anywhere mean the session is gone. */
export function isSessionTerminating(code: number): boolean {
  return code === 600 || code === 601 || code === 604;
}

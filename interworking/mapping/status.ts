// Status and error code mapping, both directions, as data (simple.md §9.2 "Errors", imps.md §7
// and §12). A SIP final response to a request the IWF sent on behalf of an IMPS user becomes a
// CSP/SSP Result code; a CSP/SSP Result returned for a SIP request becomes a SIP response.
// Row ids are reported in the trace (lab:iwf:map) so the console can show which row decided.

export interface StatusRow {
  id: string;
  direction: 'simple→imps' | 'imps→simple';
  /** SIP status (or range written as 4xx). */
  sip: string;
  /** CSP Result code. */
  csp: number;
  /** What the IMPS or SIP side is told in the Description / reason phrase. */
  text: string;
  fidelity: 'lossless' | 'lossy';
  note: string;
}

export const STATUS_ROWS: readonly StatusRow[] = [
  // SIMPLE → IMPS: the SIP answer to a SUBSCRIBE/MESSAGE/PUBLISH the IWF sent.
  {
    id: 'E1',
    direction: 'simple→imps',
    sip: '200',
    csp: 200,
    text: 'Successful',
    fidelity: 'lossless',
    note: '2xx',
  },
  {
    id: 'E2',
    direction: 'simple→imps',
    sip: '202',
    csp: 200,
    text: 'Successful',
    fidelity: 'lossy',
    note: 'SUBSCRIBE 202 = 200 (RFC 6665); MESSAGE 202 = accepted for later delivery, the DeliveryReport tells more',
  },
  {
    id: 'E3',
    direction: 'simple→imps',
    sip: '400',
    csp: 400,
    text: 'Bad request',
    fidelity: 'lossless',
    note: '',
  },
  {
    id: 'E4',
    direction: 'simple→imps',
    sip: '401',
    csp: 534,
    text: 'Message recipient unauthorized',
    fidelity: 'lossy',
    note: 'the SIP side demanded credentials the IWF cannot give for a foreign user',
  },
  {
    id: 'E5',
    direction: 'simple→imps',
    sip: '403',
    csp: 532,
    text: 'Recipient blocked the sender',
    fidelity: 'lossy',
    note: '403 to a SUBSCRIBE or MESSAGE is a policy refusal',
  },
  {
    id: 'E6',
    direction: 'simple→imps',
    sip: '404',
    csp: 531,
    text: 'Unknown user',
    fidelity: 'lossless',
    note: '',
  },
  {
    id: 'E7',
    direction: 'simple→imps',
    sip: '407',
    csp: 534,
    text: 'Message recipient unauthorized',
    fidelity: 'lossy',
    note: 'as 401',
  },
  {
    id: 'E8',
    direction: 'simple→imps',
    sip: '408',
    csp: 504,
    text: 'Timeout',
    fidelity: 'lossless',
    note: 'Timer F or a peer timeout',
  },
  {
    id: 'E9',
    direction: 'simple→imps',
    sip: '413',
    csp: 432,
    text: 'Message too large',
    fidelity: 'lossy',
    note: 'CSP 432 is "response too large"; nearest meaning',
  },
  {
    id: 'E10',
    direction: 'simple→imps',
    sip: '415',
    csp: 415,
    text: 'Unsupported media type',
    fidelity: 'lossless',
    note: '',
  },
  {
    id: 'E11',
    direction: 'simple→imps',
    sip: '480',
    csp: 533,
    text: 'Message recipient not logged in',
    fidelity: 'lossless',
    note: 'offline and not stored',
  },
  {
    id: 'E12',
    direction: 'simple→imps',
    sip: '481',
    csp: 404,
    text: 'Subscription does not exist',
    fidelity: 'lossy',
    note: 'the SIP dialog is gone',
  },
  {
    id: 'E13',
    direction: 'simple→imps',
    sip: '489',
    csp: 405,
    text: 'Service not supported',
    fidelity: 'lossy',
    note: 'the presence package is not served there',
  },
  {
    id: 'E14',
    direction: 'simple→imps',
    sip: '503',
    csp: 503,
    text: 'Service unavailable',
    fidelity: 'lossless',
    note: 'also a transport failure toward PS2',
  },
  {
    id: 'E15',
    direction: 'simple→imps',
    sip: '504',
    csp: 504,
    text: 'Timeout',
    fidelity: 'lossless',
    note: '',
  },
  {
    id: 'E16',
    direction: 'simple→imps',
    sip: '603',
    csp: 532,
    text: 'Recipient blocked the sender',
    fidelity: 'lossy',
    note: 'Decline',
  },
  {
    id: 'E17',
    direction: 'simple→imps',
    sip: '604',
    csp: 516,
    text: 'Domain not supported',
    fidelity: 'lossy',
    note: 'no route to the domain',
  },
  {
    id: 'E18',
    direction: 'simple→imps',
    sip: '4xx',
    csp: 400,
    text: 'Bad request',
    fidelity: 'lossy',
    note: 'any other client error',
  },
  {
    id: 'E19',
    direction: 'simple→imps',
    sip: '5xx',
    csp: 500,
    text: 'Internal server or network error',
    fidelity: 'lossy',
    note: 'any other server error',
  },
  {
    id: 'E20',
    direction: 'simple→imps',
    sip: '6xx',
    csp: 532,
    text: 'Recipient blocked the sender',
    fidelity: 'lossy',
    note: 'global failures are refusals',
  },
  // IMPS → SIMPLE: the CSP/SSP Result for a request the IWF relayed from the SIP side.
  { id: 'C1', direction: 'imps→simple', sip: '200', csp: 200, text: 'OK', fidelity: 'lossless', note: '' },
  {
    id: 'C2',
    direction: 'imps→simple',
    sip: '202',
    csp: 202,
    text: 'Accepted',
    fidelity: 'lossless',
    note: 'stored for later delivery',
  },
  {
    id: 'C3',
    direction: 'imps→simple',
    sip: '400',
    csp: 400,
    text: 'Bad Request',
    fidelity: 'lossless',
    note: '',
  },
  {
    id: 'C4',
    direction: 'imps→simple',
    sip: '400',
    csp: 402,
    text: 'Bad Request - Bad parameter',
    fidelity: 'lossy',
    note: '',
  },
  {
    id: 'C5',
    direction: 'imps→simple',
    sip: '403',
    csp: 403,
    text: 'Forbidden',
    fidelity: 'lossless',
    note: '',
  },
  {
    id: 'C6',
    direction: 'imps→simple',
    sip: '404',
    csp: 404,
    text: 'Not Found',
    fidelity: 'lossless',
    note: '',
  },
  {
    id: 'C7',
    direction: 'imps→simple',
    sip: '501',
    csp: 405,
    text: 'Not Implemented - Service not supported',
    fidelity: 'lossy',
    note: '',
  },
  {
    id: 'C8',
    direction: 'imps→simple',
    sip: '408',
    csp: 408,
    text: 'Request Timeout',
    fidelity: 'lossless',
    note: '',
  },
  {
    id: 'C9',
    direction: 'imps→simple',
    sip: '480',
    csp: 410,
    text: 'Temporarily Unavailable - Unable to deliver',
    fidelity: 'lossy',
    note: '',
  },
  {
    id: 'C10',
    direction: 'imps→simple',
    sip: '415',
    csp: 415,
    text: 'Unsupported Media Type',
    fidelity: 'lossless',
    note: '',
  },
  {
    id: 'C11',
    direction: 'imps→simple',
    sip: '500',
    csp: 500,
    text: 'Server Internal Error',
    fidelity: 'lossless',
    note: '',
  },
  {
    id: 'C12',
    direction: 'imps→simple',
    sip: '501',
    csp: 501,
    text: 'Not Implemented',
    fidelity: 'lossless',
    note: '',
  },
  {
    id: 'C13',
    direction: 'imps→simple',
    sip: '503',
    csp: 503,
    text: 'Service Unavailable',
    fidelity: 'lossless',
    note: '',
  },
  {
    id: 'C14',
    direction: 'imps→simple',
    sip: '504',
    csp: 504,
    text: 'Server Time-out',
    fidelity: 'lossless',
    note: '',
  },
  {
    id: 'C15',
    direction: 'imps→simple',
    sip: '404',
    csp: 516,
    text: 'Not Found - Domain not supported',
    fidelity: 'lossy',
    note: 'no route',
  },
  {
    id: 'C16',
    direction: 'imps→simple',
    sip: '480',
    csp: 521,
    text: 'Temporarily Unavailable - Authorization pending',
    fidelity: 'lossy',
    note: 'reactive authorization unanswered',
  },
  {
    id: 'C17',
    direction: 'imps→simple',
    sip: '404',
    csp: 531,
    text: 'Not Found - Unknown user',
    fidelity: 'lossless',
    note: '',
  },
  {
    id: 'C18',
    direction: 'imps→simple',
    sip: '403',
    csp: 532,
    text: 'Forbidden - Blocked',
    fidelity: 'lossless',
    note: '',
  },
  {
    id: 'C19',
    direction: 'imps→simple',
    sip: '480',
    csp: 533,
    text: 'Temporarily Unavailable - Not logged in',
    fidelity: 'lossless',
    note: '',
  },
  {
    id: 'C20',
    direction: 'imps→simple',
    sip: '403',
    csp: 534,
    text: 'Forbidden - Recipient unauthorized',
    fidelity: 'lossy',
    note: '',
  },
  {
    id: 'C21',
    direction: 'imps→simple',
    sip: '603',
    csp: 538,
    text: 'Decline - Message rejected',
    fidelity: 'lossy',
    note: 'RejectMessage',
  },
  {
    id: 'C22',
    direction: 'imps→simple',
    sip: '480',
    csp: 542,
    text: 'Temporarily Unavailable - Message expired',
    fidelity: 'lossy',
    note: 'validity elapsed offline',
  },
  {
    id: 'C23',
    direction: 'imps→simple',
    sip: '503',
    csp: 507,
    text: 'Service Unavailable - Queue full',
    fidelity: 'lossy',
    note: '',
  },
  {
    id: 'C24',
    direction: 'imps→simple',
    sip: '500',
    csp: 900,
    text: 'Server Internal Error - Multiple errors',
    fidelity: 'lossy',
    note: 'check DetailedResult',
  },
];

export interface MappedStatus {
  code: number;
  text: string;
  row: string;
}

const BY_SIP = new Map<string, StatusRow>();
const BY_CSP = new Map<number, StatusRow>();
for (const row of STATUS_ROWS) {
  if (row.direction === 'simple→imps') BY_SIP.set(row.sip, row);
  else if (!BY_CSP.has(row.csp)) BY_CSP.set(row.csp, row);
}

/** SIP final status → CSP Result code and Description. */
export function sipStatusToCsp(status: number): MappedStatus {
  const row = BY_SIP.get(String(status)) ?? BY_SIP.get(`${Math.floor(status / 100)}xx`) ?? BY_SIP.get('5xx')!;
  return { code: row.csp, text: row.text, row: row.id };
}

/** CSP Result code → SIP status and reason phrase. */
export function cspStatusToSip(code: number): MappedStatus {
  const row = BY_CSP.get(code);
  if (row) return { code: Number(row.sip), text: row.text, row: row.id };
  // Unlisted codes: classes as the CSP table groups them (4xx client, 5xx server, 6xx session).
  if (code >= 200 && code < 300) return { code: 200, text: 'OK', row: 'C1' };
  if (code >= 500 && code < 600) return { code: 500, text: 'Server Internal Error', row: 'C11' };
  return { code: 400, text: 'Bad Request', row: 'C3' };
}

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeCsp, encodeCsp } from '../../../../domains/imps/csp/csp-codec.ts';
import { encodeSsp } from '../../../../domains/imps/ssp/ssp-codec.ts';
import type { SspMessage } from '../../../../domains/imps/ssp/ssp-model.ts';
import { summarizeMessage } from '../../../../scenarios/reports/message-summary.ts';

const sip = (text: string) => Buffer.from(text.replace(/\n/g, '\r\n'));

const CSP_STATUS = `<WV-CSP-Message xmlns="http://www.openmobilealliance.org/DTD/WV-CSP1.2"><Session><SessionDescriptor><SessionType>Inband</SessionType><SessionID>s1</SessionID></SessionDescriptor><Transaction><TransactionDescriptor><TransactionMode>Response</TransactionMode><TransactionID>t1</TransactionID></TransactionDescriptor><TransactionContent xmlns="http://www.openmobilealliance.org/DTD/WV-TRC1.2"><Status><Result><Code>404</Code></Result></Status></TransactionContent></Transaction></Session></WV-CSP-Message>`;

describe('summarizeMessage', () => {
  it('SIP request: the method, with the event package for SUBSCRIBE/NOTIFY', () => {
    const s = summarizeMessage(
      'sip',
      sip(
        'NOTIFY sip:alice@127.0.2.11 SIP/2.0\nCSeq: 2 NOTIFY\nEvent: presence.winfo;id=1\nContent-Length: 0\n\n',
      ),
    );
    assert.deepEqual(s, { label: 'NOTIFY (presence.winfo)', method: 'NOTIFY', isResponse: false });
    assert.equal(summarizeMessage('sip', sip('MESSAGE sip:jane@domain2.lab SIP/2.0\n\n')).label, 'MESSAGE');
    // RFC 6665 compact form `o` of Event.
    assert.equal(
      summarizeMessage('sip', sip('SUBSCRIBE sip:j@d SIP/2.0\no: presence\n\n')).label,
      'SUBSCRIBE (presence)',
    );
  });

  it('SIP response: status, reason and the CSeq method', () => {
    const s = summarizeMessage('sip', sip('SIP/2.0 407 Proxy Authentication Required\nCSeq: 7 PUBLISH\n\n'));
    assert.deepEqual(s, {
      label: '407 Proxy Authentication Required (PUBLISH)',
      status: 407,
      isResponse: true,
      method: 'PUBLISH',
    });
  });

  it('CSP XML and WBXML: primitive names and the Result code', () => {
    const xml = summarizeMessage('csp', Buffer.from(CSP_STATUS));
    assert.deepEqual(xml, { label: 'Status 404', primitives: ['Status'], isResponse: true, status: 404 });
    const decoded = decodeCsp(Buffer.from(CSP_STATUS));
    assert.ok(decoded.ok);
    const wbxml = encodeCsp(decoded.message, { version: '1.2', encoding: 'wbxml' }).body;
    assert.equal(wbxml[0], 0x03, 'a WBXML 1.3 body');
    assert.deepEqual(summarizeMessage('csp', wbxml), xml);
  });

  it('CSP that does not decode says so instead of throwing', () => {
    assert.match(summarizeMessage('csp', Buffer.from('<nope/>')).label, /^CSP\? \d{3}$/);
    assert.equal(summarizeMessage('csp', Buffer.alloc(0)).label, 'CSP (empty)');
  });

  it('SSP: content kinds and Status code', () => {
    const m: SspMessage = {
      setup: false,
      sessionId: 's1',
      transactions: [
        { mode: 'Response', transactionId: 't1', content: { kind: 'Status', status: { code: 516 } } },
      ],
    };
    assert.deepEqual(summarizeMessage('ssp', encodeSsp(m)), {
      label: 'Status 516',
      primitives: ['Status'],
      isResponse: true,
      status: 516,
    });
    assert.match(summarizeMessage('ssp', Buffer.from('junk')).label, /^SSP\? 400$/);
  });

  it('HTTP / XCAP: request line or status', () => {
    assert.deepEqual(
      summarizeMessage('xcap', Buffer.from('PUT /xcap/pres-rules/users/sip:jane@d/index HTTP/1.1\r\n\r\n')),
      {
        label: 'PUT /xcap/pres-rules/users/sip:jane@d/index',
        method: 'PUT',
        isResponse: false,
      },
    );
    assert.deepEqual(summarizeMessage('http', Buffer.from('HTTP/1.1 412 Precondition Failed\r\n\r\n')), {
      label: '412 Precondition Failed',
      status: 412,
      isResponse: true,
    });
  });

  it('CIR: the line as sent', () => {
    assert.equal(summarizeMessage('cir', Buffer.from('WVCI 1.2 abc\r\n')).label, 'WVCI 1.2 abc');
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeCsp } from '../../../../../domains/imps/csp/csp-codec.ts';
import { listedIds, requestLists, requestUsers } from '../../../../../domains/imps/server/id-lists.ts';

describe('CSP 1.3 id lists (imps.md §13 item 8)', () => {
  it('reads UserIDList / ContactListIDList kept as extensions beside 1.2-shaped fields', () => {
    const xml =
      '<WV-CSP-Message xmlns="http://www.openmobilealliance.org/DTD/IMPS-CSP1.3"><Session><SessionDescriptor><SessionType>Inband</SessionType><SessionID>s</SessionID></SessionDescriptor>' +
      '<Transaction><TransactionDescriptor><TransactionMode>Request</TransactionMode><TransactionID>1</TransactionID></TransactionDescriptor>' +
      '<TransactionContent xmlns="http://www.openmobilealliance.org/DTD/IMPS-TRC1.3"><SubscribePresence-Request>' +
      '<UserIDList><UserID>wv:a@d</UserID><UserID> wv:b@d </UserID></UserIDList><ContactListIDList><ContactList>wv:me/l@d</ContactList></ContactListIDList>' +
      '<AutoSubscribe>T</AutoSubscribe></SubscribePresence-Request></TransactionContent></Transaction></Session></WV-CSP-Message>';
    const d = decodeCsp(xml, 'application/vnd.wv.csp+xml');
    assert.ok(d.ok);
    const body = (
      d.message.primitive as unknown as {
        body: Parameters<typeof requestUsers>[0] & { contactLists?: string[] };
      }
    ).body;
    assert.deepEqual(requestUsers(body), [{ userId: 'wv:a@d' }, { userId: 'wv:b@d' }]);
    assert.deepEqual(requestLists(body), ['wv:me/l@d']);
    assert.deepEqual(listedIds(body, 'NoSuchList', 'UserID'), []);
  });
  it('1.2 bodies pass through unchanged', () => {
    assert.deepEqual(requestUsers({ users: [{ userId: 'wv:x@d' }] }), [{ userId: 'wv:x@d' }]);
    assert.deepEqual(requestLists({ contactLists: ['wv:x/l@d'] }), ['wv:x/l@d']);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { collectMembers } from '../../../../../domains/simple/payloads/resource-lists.ts';
import {
  parseRlsServices,
  type RlsServices,
  serializeRlsServices,
} from '../../../../../domains/simple/payloads/rls-services.ts';
import { assertSchemaValid } from '../../../../support/xmllint.ts';

// RFC 4826 §4.3 example.
const RLS = `<?xml version="1.0" encoding="UTF-8"?>
<rls-services xmlns="urn:ietf:params:xml:ns:rls-services" xmlns:rl="urn:ietf:params:xml:ns:resource-lists">
  <service uri="sip:mybuddies@example.com">
    <resource-list>http://xcap.example.com/resource-lists/users/sip:joe@example.com/index/~~/resource-lists/list%5b@name=%22l1%22%5d</resource-list>
    <packages><package>presence</package></packages>
  </service>
  <service uri="sip:marketing@example.com">
    <list name="marketing">
      <rl:entry uri="sip:joe@example.com"/>
      <rl:entry uri="sip:sudhir@example.com"/>
    </list>
    <packages><package>presence</package></packages>
  </service>
</rls-services>`;

function rls(input: string): RlsServices {
  const r = parseRlsServices(input);
  assert.ok(r.ok, r.ok ? '' : `${r.error.code}: ${r.error.message}`);
  return r.value;
}

describe('rls-services', () => {
  it('reads the RFC 4826 example', () => {
    const doc = rls(RLS);
    assert.equal(doc.services.length, 2);
    assert.match(doc.services[0]?.resourceList ?? '', /^http:\/\/xcap/);
    assert.deepEqual(doc.services[0]?.packages, ['presence']);
    const inline = doc.services[1]?.list;
    assert.equal(inline?.name, 'marketing');
    assert.ok(inline);
    assert.deepEqual(collectMembers(inline).uris, ['sip:joe@example.com', 'sip:sudhir@example.com']);
  });

  it('round-trips schema-valid', () => {
    const doc = rls(RLS);
    const xml = serializeRlsServices(doc);
    assertSchemaValid(xml, 'rlsservices.xsd');
    assert.deepEqual(rls(xml), doc);
  });

  it('refuses a service with neither resource-list nor list, and a repeated service uri', () => {
    for (const bad of [
      RLS.replace(/<resource-list>.*<\/resource-list>/, ''),
      RLS.replace('sip:marketing@example.com', 'sip:mybuddies@example.com'),
    ]) {
      const r = parseRlsServices(bad);
      assert.equal(r.ok ? 'ok' : r.error.code, 'PAYLOAD_ERR_INVALID');
    }
  });
});

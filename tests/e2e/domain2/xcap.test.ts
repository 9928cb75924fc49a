import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  emptyRulesDocument,
  ruleElementXml,
  ruleFor,
} from '../../../domains/simple/client/pres-rules-editor.ts';
import { assertSchemaValid } from '../../support/xmllint.ts';
import { type Lab, startLab } from './lab.ts';

// The XCAP server over HTTP (RFC 4825): documents, elements and attributes by node selector,
// entity tags with If-Match / If-None-Match, 409 with xcap-error bodies, xcap-caps, and access
// control (only the owner, with the right credentials).

const CP = '?xmlns(cp=urn:ietf:params:xml:ns:common-policy)';

describe('PS2 XCAP server', () => {
  let lab: Lab;
  before(async () => {
    lab = await startLab('127.0.9.5');
  });
  after(() => lab.stop());

  it('creates, reads and replaces a document with entity tags', async () => {
    const x = lab.xcap('jane');
    const created = await x.putDocument(
      'pres-rules',
      'application/auth-policy+xml',
      emptyRulesDocument(),
      'index',
      {
        'if-none-match': '*',
      },
    );
    assert.equal(created.status, 201);
    assert.ok(created.etag);
    // If-None-Match: * on an existing document → 412.
    const again = await x.putDocument(
      'pres-rules',
      'application/auth-policy+xml',
      emptyRulesDocument(),
      'index',
      {
        'if-none-match': '*',
      },
    );
    assert.equal(again.status, 412);
    const got = await x.getDocument('pres-rules');
    assert.equal(got.status, 200);
    assert.equal(got.etag, created.etag);
    // If-Match with a stale tag → 412; with the current one → 200 and a new tag.
    const stale = await x.putDocument(
      'pres-rules',
      'application/auth-policy+xml',
      emptyRulesDocument(),
      'index',
      {
        'if-match': '"nope"',
      },
    );
    assert.equal(stale.status, 412);
    const fresh = await x.putDocument(
      'pres-rules',
      'application/auth-policy+xml',
      emptyRulesDocument(),
      'index',
      {
        'if-match': `"${created.etag}"`,
      },
    );
    assert.equal(fresh.status, 200);
    assert.notEqual(fresh.etag, created.etag);
    const cond = await x.request('GET', x.documentUri('pres-rules'), undefined, undefined, {
      'if-none-match': `"${fresh.etag}"`,
    });
    assert.equal(cond.status, 304);
  });

  it('puts, gets and deletes an element and an attribute by node selector', async () => {
    const x = lab.xcap('jane');
    const sel = `cp:ruleset/cp:rule%5b@id=%22w-bob%22%5d${CP}`;
    const rule = ruleFor('sip:bob@domain2.lab', 'approve');
    rule.id = 'w-bob';
    const put = await x.putElement('pres-rules', sel, ruleElementXml(rule));
    assert.equal(put.status, 201, put.body);
    const el = await x.request('GET', `${x.documentUri('pres-rules')}/~~/${sel}`);
    assert.equal(el.status, 200);
    assert.match(el.body, /^<cp:rule[^>]*id="w-bob"/);
    const att = await x.request(
      'GET',
      `${x.documentUri('pres-rules')}/~~/cp:ruleset/cp:rule%5b1%5d/@id${CP}`,
    );
    assert.equal(att.status, 200);
    assert.equal(att.body, 'w-bob');
    // The whole document still validates against the XSD after the element PUT.
    const doc = await x.getDocument('pres-rules');
    assertSchemaValid(doc.body, 'lab-pres-rules.xsd');
    // An element whose id does not match the selector → 409 (RFC 4825 §8.2.5 / §7.4).
    const wrong = await x.putElement(
      'pres-rules',
      `cp:ruleset/cp:rule%5b@id=%22other%22%5d${CP}`,
      ruleElementXml(rule),
    );
    assert.equal(wrong.status, 409);
    assert.match(wrong.body, /xcap-error/);
    const gone = await x.deleteElement('pres-rules', sel);
    assert.equal(gone.status, 200);
    assert.equal((await x.request('GET', `${x.documentUri('pres-rules')}/~~/${sel}`)).status, 404);
  });

  it('answers 409 with an xcap-error body for malformed or invalid documents', async () => {
    const x = lab.xcap('jane');
    const bad = await x.putDocument('pres-rules', 'application/auth-policy+xml', '<cp:ruleset');
    assert.equal(bad.status, 409);
    assert.match(bad.body, /<not-well-formed/);
    const invalid = await x.putDocument(
      'pres-rules',
      'application/auth-policy+xml',
      '<ruleset xmlns="urn:ietf:params:xml:ns:common-policy"><rule/></ruleset>',
    );
    assert.equal(invalid.status, 409);
    assert.match(invalid.body, /<schema-validation-error/);
    const bomb = await x.putDocument(
      'resource-lists',
      'application/resource-lists+xml',
      '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><resource-lists xmlns="urn:ietf:params:xml:ns:resource-lists">&b;</resource-lists>',
    );
    assert.equal(bomb.status, 409);
  });

  it('lets only the owner, with the right password, touch a document tree', async () => {
    const mallory = lab.xcap('bob');
    const other = await mallory.request('GET', lab.xcap('jane').documentUri('pres-rules'));
    assert.equal(other.status, 403);
    const wrong = await lab.xcap('jane', 'guess').getDocument('pres-rules');
    assert.equal(wrong.status, 401);
    const anonymous = await fetch(lab.xcap('jane').documentUri('pres-rules'));
    assert.equal(anonymous.status, 401);
    assert.match(anonymous.headers.get('www-authenticate') ?? '', /Basic/);
    // Jane's password does not open jane@another-domain's tree: it is not served here at all.
    const foreign = await lab
      .xcap('jane')
      .request(
        'GET',
        `${lab.ps2.xcap.rootUri}/pres-rules/users/${encodeURIComponent('sip:jane@domain1.lab')}/index`,
      );
    assert.equal(foreign.status, 404);
  });

  it('serves xcap-caps', async () => {
    const res = await fetch(`${lab.ps2.xcap.rootUri}/xcap-caps/global/index`);
    assert.equal(res.status, 200);
    const body = await res.text();
    assert.match(body, /<auid>pres-rules<\/auid>/);
    assert.match(body, /<auid>rls-services<\/auid>/);
    assertSchemaValid(body, 'xcap-caps.xsd');
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type Pidf, parsePidf } from '../../../../../domains/simple/payloads/pidf.ts';
import {
  applyPidfDiff,
  diffPidf,
  type PidfDiff,
  parsePidfDiff,
  serializePidfDiff,
} from '../../../../../domains/simple/payloads/pidf-diff.ts';
import { activities } from '../../../../../domains/simple/payloads/rpid.ts';
import { assertSchemaValid } from '../../../../support/xmllint.ts';
import { stripXmlns } from './strip-xmlns.ts';

// Shaped on RFC 5262 §5: full state at 567, then a patch at 568.
const FULL = `<?xml version="1.0" encoding="UTF-8"?>
<p:pidf-full xmlns="urn:ietf:params:xml:ns:pidf" xmlns:p="urn:ietf:params:xml:ns:pidf-diff"
  xmlns:r="urn:ietf:params:xml:ns:pidf:rpid" xmlns:d="urn:ietf:params:xml:ns:pidf:data-model"
  entity="pres:someone@example.com" version="567">
  <tuple id="sg89ae"><status><basic>open</basic></status><contact priority="0.8">tel:+09012345678</contact></tuple>
  <tuple id="cg231jcr"><status><basic>open</basic></status><contact priority="1.0">im:pep@example.com</contact></tuple>
  <tuple id="r1230d"><status><basic>open</basic></status><contact priority="0.9">sip:someone@example.com</contact></tuple>
  <note xml:lang="en">Full state presence document</note>
  <d:person id="p1"><r:activities><r:busy/><r:meeting/></r:activities></d:person>
</p:pidf-full>`;

const PATCH = `<?xml version="1.0" encoding="UTF-8"?>
<p:patch xmlns="urn:ietf:params:xml:ns:pidf" xmlns:p="urn:ietf:params:xml:ns:pidf-diff"
  xmlns:r="urn:ietf:params:xml:ns:pidf:rpid" xmlns:d="urn:ietf:params:xml:ns:pidf:data-model" version="568">
  <p:add sel="presence/note" pos="before"><tuple id="ert4773"><status><basic>open</basic></status>
    <contact priority="0.4">mailto:person@example.com</contact>
    <note xml:lang="en">This is a new tuple inserted between the last tuple and the note</note></tuple></p:add>
  <p:replace sel="*/tuple[@id='r1230d']/status/basic/text()">closed</p:replace>
  <p:remove sel="*/d:person/r:activities/r:busy"/>
  <p:replace sel="*/tuple[@id='cg231jcr']/contact/@priority">0.7</p:replace>
</p:patch>`;

function ok(input: string): PidfDiff {
  const r = parsePidfDiff(input);
  assert.ok(r.ok, r.ok ? '' : `${r.error.code}: ${r.error.message}`);
  return r.value;
}

describe('pidf-diff codec', () => {
  it('reads pidf-full and patch documents', () => {
    const full = ok(FULL);
    assert.equal(full.kind, 'full');
    assert.equal(full.version, 567);
    assert.ok(full.kind === 'full');
    assert.equal(full.doc.tuples.length, 3);
    const patch = ok(PATCH);
    assert.ok(patch.kind === 'patch');
    assert.equal(patch.version, 568);
    assert.deepEqual(
      patch.ops.map((o) => [o.op, o.sel]),
      [
        ['add', 'presence/note'],
        ['replace', "*/tuple[@id='r1230d']/status/basic/text()"],
        ['remove', '*/d:person/r:activities/r:busy'],
        ['replace', "*/tuple[@id='cg231jcr']/contact/@priority"],
      ],
    );
    assert.equal(patch.ops[0]?.namespaces.d, 'urn:ietf:params:xml:ns:pidf:data-model');
  });

  it('the RFC documents and their re-serializations are schema-valid', () => {
    for (const doc of [FULL, PATCH]) {
      assertSchemaValid(doc, 'lab-pidf-diff.xsd');
      const again = serializePidfDiff(ok(doc));
      assertSchemaValid(again, 'lab-pidf-diff.xsd');
      // Declarations may move (the writer declares the lab's prefixes on the root), meaning may not.
      const meaning = (d: PidfDiff) =>
        stripXmlns(d.kind === 'full' ? d : { ...d, ops: d.ops.map(({ namespaces: _, ...rest }) => rest) });
      assert.deepEqual(meaning(ok(again)), meaning(ok(doc)));
      const start = ok(FULL);
      assert.ok(start.kind === 'full');
      assert.deepEqual(
        stripXmlns(applyPidfDiff(start.doc, ok(again), 567)),
        stripXmlns(applyPidfDiff(start.doc, ok(doc), 567)),
      );
    }
  });

  it('applies the RFC patch to the RFC full state', () => {
    const full = ok(FULL);
    const state = applyPidfDiff(undefined, full);
    assert.ok(state.ok);
    const r = applyPidfDiff(state.value.doc, ok(PATCH), state.value.version);
    assert.ok(r.ok, r.ok ? '' : r.error.message);
    const d = r.value.doc;
    assert.equal(r.value.version, 568);
    assert.deepEqual(
      d.tuples.map((t) => [t.id, t.status.basic, t.contact?.priority]),
      [
        ['sg89ae', 'open', 0.8],
        ['cg231jcr', 'open', 0.7],
        ['r1230d', 'closed', 0.9],
        ['ert4773', 'open', 0.4],
      ],
    );
    assert.deepEqual(d.persons[0]?.rpid.activities?.values, ['meeting']);
  });

  it('refuses version gaps, patches without state, unlocated nodes, root removal', () => {
    const state = ok(FULL);
    assert.ok(state.kind === 'full');
    const gap = applyPidfDiff(state.doc, ok(PATCH), 565);
    assert.equal(gap.ok, false);
    assert.equal(applyPidfDiff(undefined, ok(PATCH)).ok, false);
    for (const [sel, tag] of [
      ["*/tuple[@id='nope']", 'unlocated-node'],
      ['*/tuple', 'unlocated-node'],
      ['presence', 'invalid-root-element-operation'],
      ['*/x:tuple', 'invalid-namespace-prefix'],
    ]) {
      const p = ok(
        `<p:patch xmlns="urn:ietf:params:xml:ns:pidf" xmlns:p="urn:ietf:params:xml:ns:pidf-diff" version="568"><p:remove sel="${sel}"/></p:patch>`,
      );
      const r = applyPidfDiff(state.doc, p, 567);
      assert.equal(r.ok, false, sel);
      if (!r.ok) assert.match(r.error.message, new RegExp(`^${tag}`));
    }
    const badRoot = parsePidfDiff('<p:other xmlns:p="urn:ietf:params:xml:ns:pidf-diff" version="1"/>');
    assert.equal(badRoot.ok ? 'ok' : badRoot.error.code, 'PAYLOAD_ERR_WRONG_ROOT');
    const badOp = parsePidfDiff(
      '<p:patch xmlns:p="urn:ietf:params:xml:ns:pidf-diff" version="1"><p:move sel="a"/></p:patch>',
    );
    assert.equal(badOp.ok ? 'ok' : badOp.error.code, 'PAYLOAD_ERR_INVALID');
  });
});

describe('diffPidf', () => {
  const base = (() => {
    const r = parsePidf(
      FULL.replace(/<p:pidf-full/, '<presence')
        .replace('</p:pidf-full>', '</presence>')
        .replace(' version="567"', ''),
    );
    assert.ok(r.ok, r.ok ? '' : r.error.message);
    return r.value;
  })();

  function roundTrip(next: Pidf): PidfDiff {
    const d = diffPidf(base, next, 568);
    const xml = serializePidfDiff(d);
    assertSchemaValid(xml, 'lab-pidf-diff.xsd');
    const r = applyPidfDiff(base, ok(xml), 567);
    assert.ok(r.ok, r.ok ? '' : r.error.message);
    assert.deepEqual(stripXmlns(r.value.doc), stripXmlns(next), 'applying the diff yields the new document');
    return d;
  }

  it('no change: an empty patch', () => {
    const d = roundTrip(base);
    assert.deepEqual(d.kind === 'patch' && d.ops, []);
  });

  it('changed, removed and added components (tuples in schema order, persons at the end)', () => {
    const next = structuredClone(base);
    next.tuples[2]!.status.basic = 'closed';
    next.tuples.splice(0, 1);
    next.tuples.push({ ...structuredClone(next.tuples[0]!), id: 'new1' });
    next.persons.push({
      id: 'p2',
      rpid: { activities: activities(['away']) },
      cipid: {},
      notes: [],
      extensions: [],
    });
    next.persons[0]!.rpid = {};
    const d = roundTrip(next);
    assert.ok(d.kind === 'patch');
    assert.deepEqual(
      d.ops.map((o) => [o.op, o.sel, o.op === 'add' ? o.pos : undefined]),
      [
        ['remove', "presence/tuple[@id='sg89ae']", undefined],
        ['replace', "presence/tuple[@id='r1230d']/status/basic/text()", undefined],
        ['add', "presence/tuple[@id='r1230d']", 'after'],
        ['replace', "presence/dm:person[@id='p1']", undefined],
        ['add', 'presence', undefined],
      ],
    );
  });

  it('a change beyond <basic> replaces the whole tuple', () => {
    const next = structuredClone(base);
    next.tuples[0]!.status.basic = 'closed';
    next.tuples[0]!.notes.push({ text: 'gone' });
    const d = roundTrip(next);
    assert.ok(d.kind === 'patch');
    assert.deepEqual(
      d.ops.map((o) => o.sel),
      ["presence/tuple[@id='sg89ae']"],
    );
  });

  it('first tuple into a document without tuples is prepended', () => {
    const noTuples: Pidf = { ...structuredClone(base), tuples: [] };
    const d = diffPidf(noTuples, base, 2);
    assert.ok(d.kind === 'patch');
    assert.equal(d.ops[0]?.op === 'add' && d.ops[0].pos, 'prepend');
    const r = applyPidfDiff(noTuples, d, 1);
    assert.ok(r.ok, r.ok ? '' : r.error.message);
    assert.deepEqual(
      r.value.doc.tuples.map((t) => t.id),
      base.tuples.map((t) => t.id),
    );
  });

  it('entity or presence-level note changes give full state', () => {
    assert.equal(roundTrip({ ...base, notes: [{ text: 'changed' }] }).kind, 'full');
    assert.equal(diffPidf(base, { ...base, entity: 'pres:other@example.com' }, 568).kind, 'full');
  });
});

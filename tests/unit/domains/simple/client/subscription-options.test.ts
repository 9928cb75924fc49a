import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  pidfDocumentToPresence,
  presenceToPidf,
} from '../../../../../domains/simple/client/presence-mapping.ts';
import {
  applyNotifyDiff,
  type DiffState,
  filterFor,
  subscribeRequestParts,
} from '../../../../../domains/simple/client/subscription-options.ts';
import { applyFilterToPidf } from '../../../../../domains/simple/payloads/apply-filter.ts';
import { parsePidf } from '../../../../../domains/simple/payloads/pidf.ts';
import { diffPidf, serializePidfDiff } from '../../../../../domains/simple/payloads/pidf-diff.ts';
import { parseFilterSet } from '../../../../../domains/simple/payloads/simple-filter.ts';

const JANE = 'sip:jane@domain2.lab';

describe("Jane's subscription options → SUBSCRIBE (RFC 4661 filter, RFC 5263 Accept)", () => {
  it('no options: plain PIDF, no body', () => {
    assert.deepEqual(subscribeRequestParts(JANE, {}), { accept: ['application/pidf+xml'] });
  });

  it('onlyChanges puts application/pidf-diff+xml first in Accept', () => {
    assert.deepEqual(subscribeRequestParts(JANE, { onlyChanges: true }).accept, [
      'application/pidf-diff+xml',
      'application/pidf+xml',
    ]);
  });

  it('attributes become a simple-filter body that PS2 can parse, binding only the prefixes used', () => {
    const parts = subscribeRequestParts(JANE, { attributes: ['note', 'mood'] });
    assert.equal(parts.contentType, 'application/simple-filter+xml');
    const parsed = parseFilterSet(parts.body ?? '');
    assert.ok(parsed.ok, parsed.ok ? '' : parsed.error.message);
    assert.equal(parsed.value.package, 'presence');
    assert.deepEqual(parsed.value.nsBindings.map((b) => b.prefix).sort(), ['dm', 'pidf', 'rpid']);
    const filter = parsed.value.filters[0];
    assert.equal(filter?.uri, JANE);
    assert.deepEqual(
      filter?.what?.includes.map((i) => i.value),
      [
        '/pidf:presence/dm:person/dm:note',
        '/pidf:presence/pidf:note',
        '/pidf:presence/pidf:tuple/pidf:note',
        '/pidf:presence/dm:person/rpid:mood',
      ],
    );
  });

  it('availability reads basic and the activities (it is derived from both)', () => {
    const paths = filterFor(JANE, ['availability']).filters[0]?.what?.includes.map((i) => i.value);
    assert.deepEqual(paths, [
      '/pidf:presence/pidf:tuple/pidf:status/pidf:basic',
      '/pidf:presence/dm:person/rpid:activities',
    ]);
  });

  it('the filter keeps the note and drops the mood of a published document', () => {
    const doc = parsePidf(presenceToPidf(JANE, { basic: 'open', note: 'in Paris', mood: ['happy'] }));
    assert.ok(doc.ok);
    const applied = applyFilterToPidf(doc.value, filterFor(JANE, ['note']), { resource: JANE });
    assert.ok(applied.ok, applied.ok ? '' : applied.error.message);
    const seen = pidfDocumentToPresence(applied.value);
    assert.equal(seen.note, 'in Paris');
    assert.equal(seen.mood, undefined);
    assert.equal(seen.basic, undefined, 'basic was not asked for');
  });
});

describe('partial notification state (RFC 5263 §5)', () => {
  const v1 = parsePidf(presenceToPidf(JANE, { basic: 'open', note: 'first' }));
  const v2 = parsePidf(presenceToPidf(JANE, { basic: 'open', note: 'second' }));
  assert.ok(v1.ok && v2.ok);

  it('full state, then a patch, rebuild the current document', () => {
    const state: DiffState = {};
    const full = applyNotifyDiff(
      state,
      Buffer.from(serializePidfDiff({ kind: 'full', version: 1, doc: v1.value })),
    );
    assert.ok(full.ok);
    assert.equal(state.version, 1);
    const patch = diffPidf(v1.value, v2.value, 2);
    assert.equal(patch.kind, 'patch');
    const next = applyNotifyDiff(state, Buffer.from(serializePidfDiff(patch)));
    assert.ok(next.ok, next.ok ? '' : next.error.message);
    assert.equal(state.version, 2);
    assert.match(JSON.stringify(next.value), /second/);
  });

  it('a patch without full state, or out of sequence, is an error (the watcher resynchronises)', () => {
    const patch = Buffer.from(serializePidfDiff(diffPidf(v1.value, v2.value, 2)));
    assert.equal(applyNotifyDiff({}, patch).ok, false);
    const state: DiffState = {};
    applyNotifyDiff(state, Buffer.from(serializePidfDiff({ kind: 'full', version: 5, doc: v1.value })));
    assert.equal(applyNotifyDiff(state, patch).ok, false);
    assert.equal(state.version, 5, 'state unchanged by a refused patch');
  });

  it('a malformed body is an error, not a throw', () => {
    assert.equal(applyNotifyDiff({}, Buffer.from('<not-xml')).ok, false);
  });
});

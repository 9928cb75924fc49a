import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseXml } from '../../../../common/xml/parse.ts';
import type { XmlElement } from '../../../../common/xml/xml-node.ts';
import { toJUnit, xmlEscape } from '../../../../scenarios/reports/junit.ts';
import type { ScenarioResult } from '../../../../scenarios/reports/step-result.ts';

const result: ScenarioResult = {
  name: 'normal-flow',
  description: 'Harry & Jane <3',
  status: 'failed',
  startedAt: Date.UTC(2026, 10, 24, 3, 0, 0),
  durationMs: 4321,
  steps: [
    { index: 1, title: 'harry: login', status: 'passed', startedAt: 0, durationMs: 120 },
    {
      index: 2,
      title: 'hop: PS2->IWF sip NOTIFY contains "<basic>open"',
      useCaseStep: 4,
      status: 'failed',
      startedAt: 0,
      durationMs: 5000,
      error: 'not seen within 5000 ms\nseen on ps2->iwf: 200 OK & \u0001',
    },
    {
      index: 3,
      title: 'harry sees presence',
      useCaseStep: 6,
      status: 'skipped',
      startedAt: 0,
      durationMs: 0,
    },
  ],
};

const elements = (e: XmlElement, local: string): XmlElement[] =>
  e.children.filter((c): c is XmlElement => typeof c !== 'string' && c.local === local);
const attr = (e: XmlElement | undefined, name: string) => e?.attributes.find((a) => a.local === name)?.value;

describe('toJUnit', () => {
  it('is well-formed XML with one testcase per step, counts, failure text and skipped', () => {
    const xml = toJUnit(result);
    const parsed = parseXml(Buffer.from(xml));
    assert.ok(parsed.ok, parsed.ok ? '' : parsed.error.message);
    const root = parsed.root;
    assert.equal(root.local, 'testsuites');
    const [suite] = elements(root, 'testsuite');
    assert.ok(suite);
    assert.deepEqual(
      ['tests', 'failures', 'skipped', 'time', 'timestamp'].map((n) => attr(suite, n)),
      ['3', '1', '1', '4.321', '2026-11-24T03:00:00'],
    );
    const cases = elements(suite, 'testcase');
    assert.deepEqual(
      cases.map((c) => attr(c, 'name')),
      [
        '01 harry: login',
        '02 hop: PS2->IWF sip NOTIFY contains "<basic>open" [use case step 4]',
        '03 harry sees presence [use case step 6]',
      ],
    );
    const [failure] = elements(cases[1]!, 'failure');
    assert.equal(attr(failure, 'message'), 'not seen within 5000 ms');
    assert.equal(failure?.children.join(''), 'not seen within 5000 ms\nseen on ps2->iwf: 200 OK & \uFFFD');
    assert.equal(elements(cases[2]!, 'skipped').length, 1);
  });

  it('a failure outside the steps is its own testcase', () => {
    const xml = toJUnit({ ...result, steps: [], error: 'ps2 (ps2) not ready after 30000 ms' });
    const parsed = parseXml(Buffer.from(xml));
    assert.ok(parsed.ok);
    const [suite] = elements(parsed.root, 'testsuite');
    assert.equal(attr(suite, 'failures'), '1');
    assert.match(xml, /name="00 scenario set-up"/);
  });

  it('escapes the five XML specials', () => {
    assert.equal(xmlEscape(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;');
  });
});

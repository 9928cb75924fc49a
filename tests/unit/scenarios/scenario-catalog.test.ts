import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadTopology } from '../../../lab/topology.ts';
import { parseHop } from '../../../scenarios/expectations.ts';
import { loadCatalog } from '../../../scenarios/scenario-catalog.ts';
import { parseScenario } from '../../../scenarios/scenario-file.ts';
import { actionOf } from '../../../scenarios/scenario-schema.ts';
import { scenarioTopology } from '../../../scenarios/scenario-topology.ts';

// Every scenario file of scenarios/ is valid; the split between what runs today and what waits
// for the IWF is explicit in the files.

describe('scenarios/*.yaml', () => {
  const catalog = loadCatalog();
  const valid = catalog.flatMap((e) => (e.ok ? [e.scenario] : []));

  it('every file is valid and named after its file', () => {
    assert.deepEqual(
      catalog.filter((e) => !e.ok).map((e) => e.file),
      [],
    );
    assert.ok(valid.length >= 16);
  });

  it('the cross-domain use-case scenarios require the IWF; the single-domain ones do not', () => {
    for (const s of valid) {
      const nodes = s.topology?.nodes ?? [];
      const crossDomain = nodes.includes('iwf');
      assert.equal(crossDomain, (s.requires ?? []).includes('iwf'), s.name);
      assert.equal(s.name.startsWith('usecase-'), crossDomain, s.name);
    }
  });

  it('the use-case scenarios cover the flows of the issue, with use case step numbers', () => {
    const names = valid.map((s) => s.name);
    for (const n of [
      'usecase-normal-flow',
      'usecase-alternative-flow',
      'usecase-alternative-flow-deny',
      'usecase-revocation',
      'usecase-unsubscribe',
      'usecase-reverse-csp12',
      'usecase-reverse-csp13',
      'usecase-im-both-ways',
      'usecase-im-offline',
      'usecase-buddy-lists',
      'usecase-attribute-subsets',
      'usecase-roaming',
      'usecase-iwf-restart',
      'usecase-kamailio-normal-flow',
      'usecase-kamailio-reactive-flow',
    ])
      assert.ok(names.includes(n), n);
    const normal = valid.find((s) => s.name === 'usecase-normal-flow');
    const numbered = new Set(normal?.steps.map((s) => s.useCaseStep).filter((n) => n !== undefined));
    assert.deepEqual([...numbered].sort(), [1, 2, 3, 4, 5, 6, 7]);
    for (const s of valid.filter((x) => x.name.startsWith('usecase-')))
      assert.ok(
        s.steps.some((st) => actionOf(st).name === 'expect'),
        `${s.name} checks at least one hop`,
      );
  });

  it('the full example of docs/scenarios.md is a valid scenario', () => {
    const doc = readFileSync(join(import.meta.dirname, '..', '..', '..', 'docs', 'scenarios.md'), 'utf8');
    const example = /Here is a complete example[\s\S]*?```yaml\n([\s\S]*?)```/.exec(doc)?.[1];
    assert.ok(example, 'the example is in the doc');
    const parsed = parseScenario(example);
    assert.ok(parsed.ok, parsed.ok ? '' : JSON.stringify(parsed.problems));
    assert.ok(parsed.scenario.steps.length >= 10);
  });

  it('every topology builds on lab/topology.yaml and every hop names nodes of that run', () => {
    const base = loadTopology();
    for (const sc of valid) {
      const nodes = Object.keys(scenarioTopology(base, sc).nodes);
      for (const step of sc.steps) {
        const action = actionOf(step);
        if (action.name === 'expect') assert.doesNotThrow(() => parseHop(action.args.hop, nodes), sc.name);
      }
    }
  });
});

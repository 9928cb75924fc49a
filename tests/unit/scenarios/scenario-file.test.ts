import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseScenario } from '../../../scenarios/scenario-file.ts';
import { actionOf } from '../../../scenarios/scenario-schema.ts';

const head = 'name: t\nactors:\n  jane: {}\n  harry: { csp: { version: "1.3", encoding: wbxml } }\nsteps:\n';

function problems(text: string) {
  const r = parseScenario(text);
  assert.equal(r.ok, false, 'expected problems');
  return r.ok ? [] : r.problems.map((p) => `${p.line}:${p.column} ${p.field}: ${p.message}`);
}

describe('parseScenario', () => {
  it('reads a valid scenario; each step has one typed action', () => {
    const r = parseScenario(
      `${head}  - login: { actor: jane, via: visited }\n    useCaseStep: 1\n  - expect: { hop: PS2->Jane, protocol: sip, method: NOTIFY, contains: "<basic>open</basic>" }\n    useCaseStep: 4\n    timeoutMs: 2000\n`,
    );
    assert.ok(r.ok, r.ok ? '' : JSON.stringify(r.problems));
    assert.equal(r.scenario.actors.harry?.csp?.version, '1.3');
    const [login, expect] = r.scenario.steps.map(actionOf);
    assert.deepEqual(login, { name: 'login', args: { actor: 'jane', via: 'visited' } });
    assert.equal(expect?.name, 'expect');
    assert.equal(r.scenario.steps[1]?.timeoutMs, 2000);
  });

  it('points at the line and field of a wrong or missing value', () => {
    assert.deepEqual(
      problems(`${head}  - login: { actor: jane }\n  - subscribe: { actor: jane, target: 42 }\n`),
      ['7:39 steps[1].subscribe.target: Invalid input: expected string, received number'],
    );
    assert.deepEqual(problems(`${head}  - subscribe: { actor: jane }\n`), [
      '6:16 steps[0].subscribe.target: missing (required)',
    ]);
    assert.deepEqual(
      problems(`${head}  - authorize: { actor: jane, watcher: sip:a@b, decision: maybe }\n`).length,
      1,
    );
    assert.match(
      problems(`${head}  - expect: { hop: PS2 to Jane }\n`)[0] ?? '',
      /steps\[0\]\.expect\.hop: must look like "PS2->Jane"/,
    );
  });

  it('a step has exactly one action, and unknown keys are refused', () => {
    assert.deepEqual(problems(`${head}  - login: { actor: jane }\n    logout: { actor: jane }\n`), [
      '6:5 steps[0]: a step has exactly one action, not login + logout',
    ]);
    const unknown = problems(`${head}  - fly: { actor: jane }\n`);
    assert.ok(unknown.some((p) => p.includes('Unrecognized key: "fly"')));
    assert.ok(unknown.some((p) => p.includes('a step needs one action')));
    assert.ok(
      problems(`${head}  - login: { actor: jane, pasword: x }\n`)[0]?.includes('Unrecognized key: "pasword"'),
    );
  });

  it('actors and remembered ids must be declared before use', () => {
    assert.deepEqual(problems(`${head}  - login: { actor: bob }\n`), [
      '6:21 steps[0].login.actor: unknown actor "bob" (declared: jane, harry)',
    ]);
    assert.match(
      problems(`${head}  - expectEvent: { actor: jane, type: delivery, match: { id: $m1 } }\n`)[0] ?? '',
      /"\$m1" is used before a sendMessage step sets it/,
    );
    const ok = parseScenario(
      `${head}  - sendMessage: { actor: jane, to: sip:a@b, text: hi, as: m1 }\n  - expectEvent: { actor: jane, type: delivery, match: { id: $m1 } }\n`,
    );
    assert.ok(ok.ok);
    assert.match(
      problems(`${head}  - expect: { hop: A->B, absent: true }\n`)[0] ?? '',
      /absent expectation needs forMs/,
    );
  });

  it('YAML syntax errors, aliases bombs and oversized files are reported, never thrown', () => {
    assert.match(problems('name: [unclosed\n')[0] ?? '', /^\d+:\d+ : /);
    const bomb = `a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n`;
    assert.ok(problems(bomb).length > 0);
    assert.match(problems(`# ${'x'.repeat(300 * 1024)}\n`)[0] ?? '', /larger than/);
  });

  it('the name is a file-name-safe slug and there is at least one step', () => {
    assert.ok(problems('name: Bad Name\nactors: {}\nsteps: [{ wait: { ms: 1 } }]\n')[0]?.includes('name'));
    assert.ok(problems('name: ok\nactors: {}\nsteps: []\n')[0]?.includes('steps'));
  });
});

// Step results → JUnit XML (the de-facto schema CI servers read: testsuites/testsuite/testcase
// with failure and skipped children). One testcase per step; a failure outside the steps (the lab
// did not start) is its own testcase so it is never lost. Pure.
import type { ScenarioResult, StepResult } from './step-result.ts';

// XML 1.0 §2.2 Char: anything else cannot appear in the document, even escaped.
const NOT_XML_CHAR = /[^\u0009\u000A\u000D\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

export function xmlEscape(text: string): string {
  return text
    .replace(NOT_XML_CHAR, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

const seconds = (ms: number) => (Math.max(0, ms) / 1000).toFixed(3);

export function testcaseName(step: StepResult): string {
  const useCase = step.useCaseStep !== undefined ? ` [use case step ${step.useCaseStep}]` : '';
  return `${String(step.index).padStart(2, '0')} ${step.title}${useCase}`;
}

function testcase(suite: string, step: StepResult): string {
  const open = `    <testcase classname="scenarios.${xmlEscape(suite)}" name="${xmlEscape(testcaseName(step))}" time="${seconds(step.durationMs)}"`;
  if (step.status === 'passed') return `${open}/>`;
  if (step.status === 'skipped')
    return `${open}>\n      <skipped message="an earlier step failed"/>\n    </testcase>`;
  const error = step.error ?? 'failed';
  const message = error.split('\n')[0] ?? error;
  return `${open}>\n      <failure message="${xmlEscape(message)}" type="ScenarioStepFailure">${xmlEscape(error)}</failure>\n    </testcase>`;
}

export function toJUnit(result: ScenarioResult): string {
  const cases = result.steps.map((s) => testcase(result.name, s));
  let failures = result.steps.filter((s) => s.status === 'failed').length;
  const skipped = result.steps.filter((s) => s.status === 'skipped').length;
  let tests = result.steps.length;
  if (result.error !== undefined) {
    tests += 1;
    failures += 1;
    cases.unshift(
      testcase(result.name, {
        index: 0,
        title: 'scenario set-up',
        status: 'failed',
        startedAt: result.startedAt,
        durationMs: 0,
        error: result.error,
      }),
    );
  }
  const stamp = new Date(result.startedAt).toISOString().replace(/\.\d{3}Z$/, '');
  const attrs = `name="${xmlEscape(result.name)}" tests="${tests}" failures="${failures}" errors="0" skipped="${skipped}" time="${seconds(result.durationMs)}"`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites ${attrs}>`,
    `  <testsuite ${attrs} timestamp="${stamp}">`,
    ...(result.description
      ? [
          `    <properties><property name="description" value="${xmlEscape(result.description)}"/></properties>`,
        ]
      : []),
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

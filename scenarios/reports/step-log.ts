// The runner's console output: a header, one line per step with progress, ✓/✗, the use case's
// step number and timing, the failure's detail indented under it, and a summary line. Pure.
import type { ScenarioResult, StepResult } from './step-result.ts';

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

const MARK: Record<StepResult['status'], string> = { passed: '✓', failed: '✗', skipped: '·' };

export function formatHeader(name: string, description: string | undefined, steps: number): string {
  return `▶ ${name} (${steps} steps)${description ? `\n  ${description.trim().split('\n')[0]}` : ''}`;
}

export function formatStepLine(step: StepResult, total: number): string {
  const width = String(total).length;
  const progress = `[${String(step.index).padStart(width)}/${total}]`;
  const useCase = step.useCaseStep !== undefined ? `§${step.useCaseStep} ` : '';
  const time = step.status === 'skipped' ? '' : ` (${formatDuration(step.durationMs)})`;
  const head = `  ${progress} ${MARK[step.status]} ${useCase}${step.title}${time}`;
  if (step.status !== 'failed' || !step.error) return head;
  const detail = step.error
    .split('\n')
    .map((l) => `${' '.repeat(width * 2 + 6)}${l}`)
    .join('\n');
  return `${head}\n${detail}`;
}

export function formatSummary(result: ScenarioResult): string {
  const passed = result.steps.filter((s) => s.status === 'passed').length;
  const total = result.steps.length;
  const time = formatDuration(result.durationMs);
  if (result.status === 'passed') return `✓ ${result.name}: ${passed}/${total} steps passed in ${time}`;
  const failed = result.steps.find((s) => s.status === 'failed');
  const where = failed ? `step ${failed.index} failed` : (result.error?.split('\n')[0] ?? 'failed');
  return `✗ ${result.name}: ${where} — ${passed}/${total} steps passed in ${time}`;
}

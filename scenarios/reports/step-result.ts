// What running one scenario step produced; the step log, the JUnit file and the diagram's notes
// are all made from these.

export type StepStatus = 'passed' | 'failed' | 'skipped';

export interface StepResult {
  /** 1-based position in the scenario. */
  index: number;
  /** One line: `jane: authorize sip:alice@domain2.lab approve`. */
  title: string;
  /** The use case's step number (DESIGN.md §5.3.5 …) this step belongs to. */
  useCaseStep?: number | string;
  status: StepStatus;
  /** Wall-clock time the step started (ms). */
  startedAt: number;
  durationMs: number;
  /** Why it failed (first line is the message, the rest detail). */
  error?: string;
}

export interface ScenarioResult {
  name: string;
  description?: string;
  status: 'passed' | 'failed';
  startedAt: number;
  durationMs: number;
  steps: StepResult[];
  /** A failure outside any step (the lab did not start, the file is invalid …). */
  error?: string;
}

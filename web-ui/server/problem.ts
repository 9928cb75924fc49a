// Errors of the console's own API as RFC 9457 problem details (application/problem+json): a
// person reading the browser's network tab, or a script, sees what was wrong and where.
import type { ServerResponse } from 'node:http';

export interface Problem {
  /** A URI naming the kind of problem (relative to the console: `/problems/<kind>`). */
  type: string;
  title: string;
  status: number;
  detail?: string;
  /** The request path the problem is about. */
  instance?: string;
  /** What the terminal answered, when the problem came from a terminal's control API. */
  terminal?: unknown;
}

/** Thrown inside a route; the server turns it into a problem body. */
export class ProblemError extends Error {
  constructor(
    readonly status: number,
    readonly kind: string,
    readonly title: string,
    readonly detail?: string,
    readonly terminal?: unknown,
  ) {
    super(detail ?? title);
  }
}

export function problemOf(error: unknown, instance: string): Problem {
  if (error instanceof ProblemError) {
    return {
      type: `/problems/${error.kind}`,
      title: error.title,
      status: error.status,
      ...(error.detail !== undefined ? { detail: error.detail } : {}),
      instance,
      ...(error.terminal !== undefined ? { terminal: error.terminal } : {}),
    };
  }
  return {
    type: '/problems/internal',
    title: CONSOLE_PROBLEMS.internal.title,
    status: CONSOLE_PROBLEMS.internal.status,
    detail: (error as Error)?.message ?? String(error),
    instance,
  };
}

export function sendProblem(res: ServerResponse, problem: Problem): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const body = JSON.stringify(problem);
  res.writeHead(problem.status, {
    'content-type': 'application/problem+json',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
  });
  res.end(body);
}

/**
 * The console's problem catalogue: each kind's type URI is `/problems/<kind>`, with a fixed
 * status and title (docs/console.md renders it). `terminal-refused` is the exception: it keeps
 * the terminal's own status and takes its error code as the title.
 */
export const CONSOLE_PROBLEMS = {
  'bad-request': { status: 400, title: 'Malformed request' },
  'not-found': { status: 404, title: 'No such resource' },
  'method-not-allowed': { status: 405, title: 'Method not allowed' },
  'scenario-busy': { status: 409, title: 'A scenario is running' },
  'scenario-not-runnable': { status: 409, title: 'Scenario cannot run yet' },
  'too-large': { status: 413, title: 'Request body too large' },
  'unsupported-media-type': { status: 415, title: 'JSON expected' },
  'wrong-host': { status: 421, title: 'Misdirected request' },
  internal: { status: 500, title: 'Internal error' },
  'not-supported': { status: 501, title: 'Not supported by the terminals yet' },
  'terminal-unreachable': { status: 502, title: 'The terminal did not answer' },
} as const;

export type ConsoleProblemKind = keyof typeof CONSOLE_PROBLEMS;

export function consoleProblem(kind: ConsoleProblemKind, detail: string): ProblemError {
  const { status, title } = CONSOLE_PROBLEMS[kind];
  return new ProblemError(status, kind, title, detail);
}

export const badRequest = (detail: string) => consoleProblem('bad-request', detail);
export const notFound = (detail: string) => consoleProblem('not-found', detail);

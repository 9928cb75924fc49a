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
    title: 'Internal error',
    status: 500,
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

export const badRequest = (detail: string) =>
  new ProblemError(400, 'bad-request', 'Malformed request', detail);
export const notFound = (detail: string) => new ProblemError(404, 'not-found', 'No such resource', detail);

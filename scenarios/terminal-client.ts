// The runner's side of a terminal's control API (docs/control-api.md): JSON calls over HTTP and
// the WebSocket event stream, buffered so a scenario can wait for an event that arrived before
// the wait began. Every wait has a deadline; an abort signal ends it early (Ctrl-C).
import WebSocket from 'ws';
import { matches, type Vars } from './expectations.ts';

export class ControlCallError extends Error {
  constructor(
    readonly httpStatus: number,
    readonly code: string,
    message: string,
    readonly protocolStatus?: number,
  ) {
    super(message);
  }
}

export interface ReceivedEvent {
  event: Record<string, unknown>;
  /** Local receive time (ms, wall clock). */
  receivedAt: number;
  /** Already matched by an earlier expectEvent step. */
  consumed: boolean;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(t);
      resolve();
    });
  });

export class TerminalClient {
  readonly events: ReceivedEvent[] = [];
  private socket: WebSocket | undefined;
  private readonly waiters = new Set<() => void>();

  constructor(
    readonly actor: string,
    /** e.g. `http://127.0.2.10:8091/api/v1` */
    readonly baseUrl: string,
  ) {}

  /** Opens the event stream and waits for its `hello`. */
  async connect(timeoutMs: number): Promise<void> {
    const url = `${this.baseUrl.replace(/^http/, 'ws')}/events`;
    const socket = new WebSocket(url, { handshakeTimeout: timeoutMs, maxPayload: 4 * 1024 * 1024 });
    this.socket = socket;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        socket.terminate();
        reject(new Error(`${this.actor}: no hello on ${url} within ${timeoutMs} ms`));
      }, timeoutMs);
      socket.on('message', (data) => {
        let event: Record<string, unknown>;
        try {
          event = JSON.parse(String(data)) as Record<string, unknown>;
        } catch {
          return;
        }
        if (event.type === 'hello') {
          clearTimeout(timer);
          resolve();
          return;
        }
        if (this.events.length < 10_000) this.events.push({ event, receivedAt: Date.now(), consumed: false });
        for (const wake of this.waiters) wake();
      });
      socket.once('error', (error) => {
        clearTimeout(timer);
        reject(new Error(`${this.actor}: event stream ${url}: ${error.message}`));
      });
    });
  }

  /** One control call; a non-2xx answer becomes a ControlCallError with the terminal's code. */
  async call(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    path: string,
    body: unknown,
    timeoutMs: number,
  ): Promise<unknown> {
    let res: Response;
    try {
      res = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: { 'content-type': 'application/json' },
        ...(method === 'GET' ? {} : { body: JSON.stringify(body ?? {}) }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const e = error as Error;
      const what = e.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : e.message;
      throw new ControlCallError(0, 'RUNNER_ERR_UNREACHABLE', `${this.actor}: ${method} ${path}: ${what}`);
    }
    const text = await res.text();
    let json: unknown;
    try {
      json = text === '' ? {} : JSON.parse(text);
    } catch {
      throw new ControlCallError(
        res.status,
        'RUNNER_ERR_NOT_JSON',
        `${this.actor}: ${method} ${path}: not JSON`,
      );
    }
    if (res.ok) return json;
    const err =
      (json as { error?: { code?: string; message?: string; protocolStatus?: number } }).error ?? {};
    throw new ControlCallError(
      res.status,
      err.code ?? `HTTP_${res.status}`,
      `${this.actor}: ${method} ${path} → ${res.status} ${err.code ?? ''} ${err.message ?? ''}`.trim(),
      err.protocolStatus,
    );
  }

  /** The first unconsumed event of `type` matching `match`, waiting up to `timeoutMs`. */
  async waitForEvent(
    type: string,
    match: Record<string, unknown> | undefined,
    vars: Vars,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<Record<string, unknown>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.events.find(
        (r) => !r.consumed && r.event.type === type && matches(match ?? {}, r.event, vars),
      );
      if (found) {
        found.consumed = true;
        return found.event;
      }
      if (signal?.aborted) throw new Error('aborted');
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(`no matching "${type}" event within ${timeoutMs} ms\n${this.recent(type)}`);
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          this.waiters.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, left);
        this.waiters.add(wake);
        signal?.addEventListener('abort', wake, { once: true });
      });
    }
  }

  /** Fails if a matching event (consumed or not) arrives between now and `forMs` from now. */
  async expectNoEvent(
    type: string,
    match: Record<string, unknown> | undefined,
    vars: Vars,
    forMs: number,
    signal?: AbortSignal,
  ): Promise<void> {
    const since = Date.now();
    await sleep(forMs, signal);
    const hit = this.events.find(
      (r) => r.receivedAt >= since && r.event.type === type && matches(match ?? {}, r.event, vars),
    );
    if (hit) throw new Error(`unexpected "${type}" event: ${JSON.stringify(hit.event).slice(0, 300)}`);
  }

  /** Polls GET /state until it contains `match`. */
  async waitForState(
    match: Record<string, unknown>,
    vars: Vars,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<unknown> {
    const deadline = Date.now() + timeoutMs;
    let last: unknown;
    for (;;) {
      last = await this.call('GET', '/state', undefined, Math.max(500, deadline - Date.now()));
      if (matches(match, last, vars)) return last;
      if (signal?.aborted) throw new Error('aborted');
      if (Date.now() >= deadline)
        throw new Error(
          `state did not match within ${timeoutMs} ms\n  wanted ${JSON.stringify(match)}\n  last   ${JSON.stringify(last).slice(0, 600)}`,
        );
      await sleep(100, signal);
    }
  }

  private recent(type: string): string {
    const same = this.events.filter((r) => r.event.type === type).slice(-4);
    if (same.length === 0) return `  (no "${type}" event arrived at all)`;
    return same
      .map((r) => `  got ${r.consumed ? '(used) ' : ''}${JSON.stringify(r.event).slice(0, 240)}`)
      .join('\n');
  }

  close(): void {
    this.socket?.terminate();
    this.socket = undefined;
  }
}

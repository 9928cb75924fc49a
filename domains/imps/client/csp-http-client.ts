// The client side of the CSP HTTP binding (imps.md §8.1): POST one WV-CSP-Message from a bound
// loopback source address, read the answer (an empty body is legal), report both to the trace.
import http from 'node:http';
import type { Clock } from '../../../common/clock.ts';
import { traceWire } from '../../../common/trace.ts';
import { decodeCsp, encodeCsp } from '../csp/csp-codec.ts';
import type { CspEncoding, CspVersion } from '../csp/csp-version.ts';
import type { CspMessage } from '../csp/model/envelope.ts';

export class CspTransportError extends Error {}

export interface CspHttpClientOptions {
  url: string;
  localAddress?: string;
  node: string;
  clock: Clock;
  timeoutMs?: number;
}

export class CspHttpClient {
  private readonly agent: http.Agent;

  constructor(private readonly options: CspHttpClientOptions) {
    this.agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
  }

  close(): void {
    this.agent.destroy();
  }

  async post(
    message: CspMessage,
    version: CspVersion,
    encoding: CspEncoding,
  ): Promise<CspMessage | undefined> {
    const encoded = encodeCsp(message, { version, encoding });
    const url = new URL(this.options.url);
    return new Promise<CspMessage | undefined>((resolve, reject) => {
      const req = http.request({
        host: url.hostname,
        port: Number(url.port || 80),
        path: url.pathname === '' ? '/' : url.pathname,
        method: 'POST',
        agent: this.agent,
        headers: { 'content-type': encoded.contentType, 'content-length': encoded.body.length },
        ...(this.options.localAddress === undefined ? {} : { localAddress: this.options.localAddress }),
      });
      req.setTimeout(this.options.timeoutMs ?? 15_000, () =>
        req.destroy(new CspTransportError('CSP request timed out')),
      );
      const ends = () => ({
        local: { address: req.socket?.localAddress ?? '', port: req.socket?.localPort ?? 0 },
        remote: { address: req.socket?.remoteAddress ?? url.hostname, port: req.socket?.remotePort ?? 0 },
      });
      req.on('error', (e) => reject(e instanceof CspTransportError ? e : new CspTransportError(e.message)));
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', (e) => reject(new CspTransportError(e.message)));
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          if (res.statusCode !== 200) {
            reject(new CspTransportError(`HTTP ${res.statusCode}: ${body.toString('utf8').slice(0, 200)}`));
            return;
          }
          if (body.length === 0) {
            resolve(undefined);
            return;
          }
          traceWire({
            node: this.options.node,
            protocol: 'csp',
            direction: 'rx',
            transport: 'http',
            ...ends(),
            time: this.options.clock.wallNow(),
            bytes: body,
          });
          const decoded = decodeCsp(body, res.headers['content-type']);
          if (!decoded.ok) reject(new CspTransportError(`undecodable answer: ${decoded.status.description}`));
          else resolve(decoded.message);
        });
      });
      req.on('socket', (socket) => {
        const report = () =>
          traceWire({
            node: this.options.node,
            protocol: 'csp',
            direction: 'tx',
            transport: 'http',
            ...ends(),
            time: this.options.clock.wallNow(),
            bytes: encoded.body,
          });
        if (socket.connecting) socket.once('connect', report);
        else report();
      });
      req.end(encoded.body);
    });
  }
}

import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

// The visited network's HTTP edge: a roaming IMPS client reaches its home PS1 through it. It
// forwards CSP requests unchanged, adds `Via: 1.1 visited.lab` and `X-Forwarded-For` (the home
// server uses them to tell roaming from home access) and the configured delay.

export interface HttpRelayOptions {
  address: string;
  port: number;
  /** The home server, e.g. { address: '127.0.1.1', port: 8081 }. */
  home: { address: string; port: number };
  delayMs?: number;
  /** Name of the visited network, carried in Via. */
  network?: string;
  maxBodyBytes?: number;
}

export class HttpRelay {
  private server: Server | undefined;
  relayed = 0;

  constructor(private readonly options: HttpRelayOptions) {}

  get port(): number {
    return (this.server?.address() as AddressInfo | null)?.port ?? this.options.port;
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.relay(req, res));
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(this.options.port, this.options.address, () => resolve());
    });
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async relay(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const o = this.options;
    const limit = o.maxBodyBytes ?? 1_000_000;
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      for await (const chunk of req) {
        size += (chunk as Buffer).length;
        if (size > limit) {
          problem(res, 413, 'Request body too large for the visited network relay');
          return;
        }
        chunks.push(chunk as Buffer);
      }
    } catch {
      problem(res, 400, 'Request body could not be read');
      return;
    }
    if (o.delayMs) await new Promise((r) => setTimeout(r, o.delayMs));
    const body = Buffer.concat(chunks);
    const headers = { ...req.headers };
    delete headers.host;
    const via = `1.1 ${o.network ?? 'visited.lab'}`;
    headers.via = headers.via ? `${headers.via}, ${via}` : via;
    const client = req.socket.remoteAddress ?? '';
    headers['x-forwarded-for'] = headers['x-forwarded-for']
      ? `${headers['x-forwarded-for']}, ${client}`
      : client;
    headers['content-length'] = String(body.length);
    this.relayed++;
    const upstream = httpRequest(
      {
        host: o.home.address,
        port: o.home.port,
        method: req.method,
        path: req.url,
        headers: { ...headers, host: `${o.home.address}:${o.home.port}` },
        localAddress: o.address,
        timeout: 30_000,
      },
      async (upstreamRes) => {
        const out: Buffer[] = [];
        for await (const c of upstreamRes) out.push(c as Buffer);
        const payload = Buffer.concat(out);
        const responseHeaders = { ...upstreamRes.headers, 'content-length': String(payload.length) };
        delete responseHeaders['transfer-encoding'];
        res.writeHead(upstreamRes.statusCode ?? 502, responseHeaders);
        res.end(payload);
      },
    );
    upstream.on('timeout', () => upstream.destroy(new Error('timeout')));
    upstream.on('error', (error) => problem(res, 502, `Home network unreachable: ${error.message}`));
    upstream.end(body);
  }
}

/** RFC 9457 problem details: what an HTTP error tells the client. */
function problem(res: ServerResponse, status: number, detail: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = JSON.stringify({ type: 'about:blank', title: detail, status });
  res.writeHead(status, {
    'content-type': 'application/problem+json',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

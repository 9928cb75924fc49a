// The CSP HTTP binding (imps.md §8.1, §13 item 1): POST one WV-CSP-Message, answer in the same
// version and encoding (HTTP 200, empty body when there is nothing to return); the SHTTP CIR
// GET; SSP POSTs handed to the SSP serving end. Bad input gets the protocol's own answer: a CSP
// Status with a Description for broken CSP, an HTTP 4xx problem body for what is not CSP at all.
import http from 'node:http';
import { traceWire } from '../../../common/trace.ts';
import { decodeCsp, encodeCsp } from '../csp/csp-codec.ts';
import {
  CSP_NAMESPACES,
  type CspEncoding,
  type CspVersion,
  encodingFromContentType,
} from '../csp/csp-version.ts';
import type { CspMessage } from '../csp/model/envelope.ts';
import type { CspStatus } from '../csp/status-codes.ts';
import { cirLine } from './cir-service.ts';
import type { Ps1Core } from './ps1-core.ts';

export type SspHttpHandler = (req: http.IncomingMessage, body: Buffer, res: http.ServerResponse) => void;

function problem(res: http.ServerResponse, status: number, title: string, detail: string): void {
  const body = JSON.stringify({ type: 'about:blank', title, status, detail });
  res.writeHead(status, {
    'content-type': 'application/problem+json',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

/** Best guess of the version of an undecodable message, so the error goes back in it. */
function sniffVersion(body: Buffer): CspVersion {
  const head = body.subarray(0, 600).toString('latin1');
  for (const v of ['1.1', '1.3', '1.2'] as CspVersion[]) if (head.includes(CSP_NAMESPACES[v].csp)) return v;
  if (body[0] !== undefined && body[0] <= 3 && body[1] === 0x10) return '1.1';
  if (body[0] !== undefined && body[0] <= 3 && body[1] === 0x12) return '1.3';
  return '1.2';
}

function sniffTransactionId(body: Buffer): string | undefined {
  const m = /<TransactionID>([^<]{0,64})<\/TransactionID>/.exec(body.subarray(0, 4000).toString('latin1'));
  return m?.[1];
}

export function statusMessage(
  status: CspStatus,
  version: CspVersion,
  encoding: CspEncoding,
  body: Buffer,
): CspMessage {
  const tid = sniffTransactionId(body);
  const primitive = {
    name: 'Status',
    body: { result: { code: status.code, description: status.description } },
  } as CspMessage['primitive'];
  return {
    version,
    encoding,
    envelope: {
      sessionType: 'Outband',
      transactions: [{ mode: 'Response', ...(tid === undefined ? {} : { transactionId: tid }), primitive }],
    },
    primitive,
  };
}

export class CspHttpBinding {
  private server: http.Server | undefined;
  ssp: SspHttpHandler | undefined;

  constructor(private readonly core: Ps1Core) {}

  async start(): Promise<{ address: string; port: number }> {
    const server = http.createServer((req, res) => this.onRequest(req, res));
    server.keepAliveTimeout = 5000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.core.config.port, this.core.config.address, () => resolve());
    });
    this.server = server;
    const a = server.address();
    if (a === null || typeof a === 'string') throw new Error('PS1: no TCP address');
    return { address: a.address, port: a.port };
  }

  async stop(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    if (s === undefined) return;
    s.closeAllConnections();
    await new Promise<void>((r) => s.close(() => r()));
  }

  private onRequest(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = req.url ?? '/';
    if (req.method === 'GET' && url.startsWith('/cir/')) {
      this.onCirGet(req, res, decodeURIComponent(url.slice(5)));
      return;
    }
    if (req.method !== 'POST') {
      res.setHeader('allow', 'POST');
      problem(res, 405, 'Method Not Allowed', 'CSP is POSTed (imps.md §8.1); GET only on /cir/<SessionID>');
      return;
    }
    const limit = this.core.config.maxBodyBytes;
    const declared = Number(req.headers['content-length'] ?? 'NaN');
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = Number.isFinite(declared) && declared > limit;
    req.on('data', (c: Buffer) => {
      if (tooLarge) return;
      size += c.length;
      if (size > limit) tooLarge = true;
      else chunks.push(c);
    });
    req.on('error', () => undefined);
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const contentType = req.headers['content-type'] ?? '';
      const isSsp = contentType.toLowerCase().includes('ssp') || url === '/ssp' || url.startsWith('/ssp?');
      if (isSsp && this.ssp !== undefined) {
        if (tooLarge) problem(res, 413, 'Payload Too Large', `SSP bodies are limited to ${limit} bytes`);
        else this.ssp(req, body, res);
        return;
      }
      this.onCspPost(req, res, body, contentType, tooLarge).catch(() => {
        if (!res.headersSent) problem(res, 500, 'Internal Server Error', 'PS1 failed to answer');
      });
    });
  }

  private endpoints(req: http.IncomingMessage) {
    return {
      local: { address: req.socket.localAddress ?? '', port: req.socket.localPort ?? 0 },
      remote: { address: req.socket.remoteAddress ?? '', port: req.socket.remotePort ?? 0 },
    };
  }

  /**
   * The access network is the connection's source; behind a configured visited-network relay
   * (and only there: the header is trusted from nobody else) the terminal's own address is the
   * last X-Forwarded-For entry, where SUDP wake-ups must go.
   */
  private origin(req: http.IncomingMessage, remote: { address: string; port: number }) {
    if (!this.core.config.visitedRelayAddresses.includes(remote.address)) return remote;
    const header = req.headers['x-forwarded-for'];
    const last = (Array.isArray(header) ? header.join(',') : (header ?? '')).split(',').pop()?.trim() ?? '';
    return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(last) ? { ...remote, clientAddress: last } : remote;
  }

  private async onCspPost(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    body: Buffer,
    contentType: string,
    tooLarge: boolean,
  ): Promise<void> {
    // No Content-Type at all: sniff the first byte as the codec does (WBXML starts 0x00-0x03).
    const encoding =
      contentType.trim() === ''
        ? (body[0] ?? 0x3c) <= 0x03
          ? 'wbxml'
          : 'xml'
        : encodingFromContentType(contentType);
    if (encoding === undefined) {
      problem(
        res,
        415,
        'Unsupported Media Type',
        `not CSP: Content-Type "${contentType.slice(0, 80)}" (expected application/vnd.wv.csp.xml or .wbxml)`,
      );
      return;
    }
    const ends = this.endpoints(req);
    const cfg = this.core.config;
    traceWire({
      node: cfg.node,
      protocol: 'csp',
      direction: 'rx',
      transport: 'http',
      ...ends,
      time: cfg.clock.wallNow(),
      bytes: body,
    });
    let answer: CspMessage | undefined;
    if (tooLarge) {
      answer = statusMessage(
        {
          code: 400,
          description: `Bad request: message larger than the parser limit (${cfg.maxBodyBytes} bytes)`,
        },
        sniffVersion(body),
        encoding,
        body,
      );
    } else {
      const decoded = decodeCsp(body, contentType, { maxBytes: cfg.maxBodyBytes });
      if (!decoded.ok) answer = statusMessage(decoded.status, sniffVersion(body), encoding, body);
      else answer = await this.core.handle(decoded.message, this.origin(req, ends.remote));
    }
    if (answer === undefined) {
      res.writeHead(200, { 'content-length': 0 });
      res.end();
      return;
    }
    const encoded = encodeCsp(answer, { version: answer.version, encoding: answer.encoding });
    traceWire({
      node: cfg.node,
      protocol: 'csp',
      direction: 'tx',
      transport: 'http',
      ...ends,
      time: cfg.clock.wallNow(),
      bytes: encoded.body,
    });
    res.writeHead(200, { 'content-type': encoded.contentType, 'content-length': encoded.body.length });
    res.end(encoded.body);
  }

  /** imps.md §8.2 SHTTP: 200 + WVCI when the client has pending transactions, else 204. */
  private onCirGet(req: http.IncomingMessage, res: http.ServerResponse, sessionId: string): void {
    const session = this.core.sessions.get(sessionId);
    if (session === undefined) {
      problem(res, 404, 'Not Found', 'no such session');
      return;
    }
    if (!session.hasUnsent()) {
      res.writeHead(204);
      res.end();
      return;
    }
    const line = Buffer.from(`${cirLine(session)}\r\n`, 'ascii');
    const cfg = this.core.config;
    traceWire({
      node: cfg.node,
      protocol: 'cir',
      direction: 'tx',
      transport: 'http',
      ...this.endpoints(req),
      time: cfg.clock.wallNow(),
      bytes: line,
    });
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': line.length });
    res.end(line);
  }
}

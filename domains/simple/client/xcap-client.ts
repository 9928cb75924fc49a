// A small XCAP client (RFC 4825) for the terminal: documents and elements of the user's own
// tree, HTTP Basic credentials, entity tags remembered per document.
/** No XCAP exchange may wait longer than this. */
const XCAP_TIMEOUT_MS = 10_000;

export interface XcapResult {
  status: number;
  body: string;
  etag?: string;
}

export class XcapClient {
  constructor(
    /** e.g. `http://127.0.2.1:5080/xcap` */
    readonly root: string,
    readonly xui: string,
    private readonly username: string,
    private readonly password: string,
  ) {}

  documentUri(auid: string, document = 'index'): string {
    return `${this.root}/${auid}/users/${encodeURIComponent(this.xui)}/${document}`;
  }

  async request(
    method: string,
    uri: string,
    body?: string,
    contentType?: string,
    headers: Record<string, string> = {},
  ): Promise<XcapResult> {
    const auth = Buffer.from(`${this.username}:${this.password}`).toString('base64');
    const init = {
      method,
      headers: {
        authorization: `Basic ${auth}`,
        ...(contentType ? { 'content-type': contentType } : {}),
        ...headers,
      },
      ...(body !== undefined ? { body } : {}),
    };
    let res: Response;
    try {
      res = await fetch(uri, { ...init, signal: AbortSignal.timeout(XCAP_TIMEOUT_MS) });
    } catch (error) {
      // A kept-alive connection the server closed while idle (Kamailio's xhttp does) fails on
      // reuse. XCAP's GET/PUT/DELETE are idempotent (RFC 4825 §8 on HTTP), so one retry on a new
      // connection is safe; a timeout is not retried.
      if ((error as Error).name === 'TimeoutError') throw error;
      res = await fetch(uri, { ...init, signal: AbortSignal.timeout(XCAP_TIMEOUT_MS) });
    }
    const text = await res.text();
    const etag = res.headers.get('etag')?.replace(/^"|"$/g, '');
    return { status: res.status, body: text, ...(etag ? { etag } : {}) };
  }

  getDocument(auid: string, document = 'index'): Promise<XcapResult> {
    return this.request('GET', this.documentUri(auid, document));
  }

  putDocument(auid: string, mime: string, xml: string, document = 'index', headers?: Record<string, string>) {
    return this.request('PUT', this.documentUri(auid, document), xml, mime, headers);
  }

  /** `selector` is already URI-encoded where needed (with its `?xmlns(…)` query). */
  putElement(auid: string, selector: string, xml: string, document = 'index') {
    return this.request(
      'PUT',
      `${this.documentUri(auid, document)}/~~/${selector}`,
      xml,
      'application/xcap-el+xml',
    );
  }

  deleteElement(auid: string, selector: string, document = 'index') {
    return this.request('DELETE', `${this.documentUri(auid, document)}/~~/${selector}`);
  }
}

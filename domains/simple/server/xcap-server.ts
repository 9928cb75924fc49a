// The XCAP server (RFC 4825) over node:http: GET/PUT/DELETE of whole documents, of elements and
// of attributes by node selector, entity tags with If-Match/If-None-Match (§7.11, 412), 409 with
// an xcap-error body (§11), the xcap-caps global document (§12), and per-user access control
// (only the owner reads or writes under users/<xui>/; HTTP Basic credentials checked per user).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseXml } from '../../../common/xml/parse.ts';
import { escapeAttribute, serializeXml } from '../../../common/xml/serialize.ts';
import { isElement, type XmlElement } from '../../../common/xml/xml-node.ts';
import { locate, parseNodeSelector, parseXmlnsQuery } from './xcap-node-selector.ts';
import { APP_USAGES, type AppUsage, type XcapStore } from './xcap-store.ts';

export interface XcapServerOptions {
  address: string;
  port?: number;
  /** Path prefix of the XCAP root (§6.1). */
  root?: string;
  /** user part → password, checked against HTTP Basic credentials of `<user>` or the full XUI. */
  passwords: ReadonlyMap<string, string>;
  /** The served domain: document trees of XUIs in other domains do not exist here (404). */
  domain?: string;
  maxBodyBytes?: number;
}

export interface XcapServer {
  readonly port: number;
  readonly rootUri: string;
  close(): Promise<void>;
}

const XCAP_ERROR_NS = 'urn:ietf:params:xml:ns:xcap-error';

class HttpError {
  constructor(
    readonly status: number,
    readonly body = '',
    readonly contentType = 'text/plain',
    readonly headers: Record<string, string> = {},
  ) {}
}

function conflict(tag: string, phrase = ''): HttpError {
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<xcap-error xmlns="${XCAP_ERROR_NS}"><${tag}${phrase ? ` phrase="${escapeAttribute(phrase)}"` : ''}/></xcap-error>`;
  return new HttpError(409, body, 'application/xcap-error+xml');
}

export async function startXcapServer(store: XcapStore, options: XcapServerOptions): Promise<XcapServer> {
  const root = options.root ?? '/xcap';
  const maxBody = options.maxBodyBytes ?? 256 * 1024;
  const server: Server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      const e = error instanceof HttpError ? error : new HttpError(500, String(error));
      if (res.headersSent) return void res.end();
      res.writeHead(e.status, { 'content-type': e.contentType, ...e.headers });
      res.end(e.body);
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = req.url ?? '/';
    const qIndex = raw.indexOf('?');
    const path = qIndex < 0 ? raw : raw.slice(0, qIndex);
    const query = qIndex < 0 ? '' : decodeURIComponent(raw.slice(qIndex + 1));
    if (!path.startsWith(`${root}/`)) throw new HttpError(404);
    const [docPart, selectorPart] = splitOnce(path.slice(root.length + 1), '/~~/');
    const segments = docPart.split('/').map((s) => decodeURIComponent(s));
    const method = req.method ?? 'GET';
    if (segments[0] === 'xcap-caps' && segments[1] === 'global' && segments[2] === 'index') {
      if (method !== 'GET') throw new HttpError(405, '', 'text/plain', { allow: 'GET' });
      return send(res, 200, capsDocument(), 'application/xcap-caps+xml');
    }
    const usage = APP_USAGES.find((u) => u.auid === segments[0]);
    if (!usage) throw new HttpError(404, 'unknown application usage');
    if (segments[1] !== 'users' || segments.length !== 4 || !segments[2] || !segments[3]) {
      throw new HttpError(404, 'only users/<xui>/<document> trees are served');
    }
    const user = segments[2];
    const document = segments[3];
    const at = user.lastIndexOf('@');
    if (options.domain !== undefined && at >= 0 && user.slice(at + 1).toLowerCase() !== options.domain) {
      throw new HttpError(404, 'no such user here');
    }
    authorize(req, user);
    const body = method === 'PUT' ? await readBody(req, maxBody) : '';
    const current = store.get(usage.auid, user, document);
    checkPreconditions(req, current?.etag);
    if (selectorPart === undefined) {
      return documentOperation(res, method, usage, user, document, body, current?.xml);
    }
    const prefixes = parseXmlnsQuery(query);
    if (!prefixes) throw new HttpError(400, 'bad xmlns() query');
    const selector = parseNodeSelector(decodeURIComponent(selectorPart), usage.defaultNs, prefixes);
    if (!selector) throw new HttpError(400, 'bad node selector');
    if (current === undefined) throw new HttpError(404, 'no such document');
    const parsed = parseXml(current.xml);
    if (!parsed.ok) throw new HttpError(500, 'stored document unreadable');
    const tree = parsed.root;
    // PUT of a new element: the selector names an element that does not exist yet (§7.4).
    const found = locate(tree, selector);
    if (found === 'ambiguous') throw new HttpError(404, 'selector matches several elements');
    if (selector.attribute !== undefined) {
      if (found === 'no-match') throw new HttpError(404);
      const attrs = found.element.attributes;
      const at = attrs.findIndex((a) => a.local === selector.attribute && a.ns === '');
      if (method === 'GET') {
        if (at < 0) throw new HttpError(404);
        return send(res, 200, attrs[at]!.value, 'application/xcap-att+xml', current.etag);
      }
      if (method === 'DELETE') {
        if (at < 0) throw new HttpError(404);
        attrs.splice(at, 1);
      } else if (method === 'PUT') {
        const value = body;
        if (/[<&"]/.test(value)) throw conflict('not-xml-att-value');
        const attribute = { name: selector.attribute, local: selector.attribute, ns: '', value };
        if (at < 0) attrs.push(attribute);
        else attrs[at] = attribute;
      } else throw new HttpError(405);
      return commit(res, usage, user, document, tree, method === 'PUT' && at < 0 ? 201 : 200);
    }
    if (method === 'GET') {
      if (found === 'no-match') throw new HttpError(404);
      return send(
        res,
        200,
        serializeXml(found.element, { declaration: false }),
        'application/xcap-el+xml',
        current.etag,
      );
    }
    if (method === 'DELETE') {
      if (found === 'no-match') throw new HttpError(404);
      if (!found.parent) throw conflict('cannot-delete', 'the root element');
      found.parent.children.splice(found.parent.children.indexOf(found.element), 1);
      return commit(res, usage, user, document, tree, 200);
    }
    if (method !== 'PUT') throw new HttpError(405);
    const contentType = (req.headers['content-type'] ?? '').split(';')[0]!.trim();
    if (contentType !== 'application/xcap-el+xml') throw new HttpError(415);
    const element = parseFragment(body, tree);
    const last = selector.steps.at(-1)!;
    if (
      (last.local !== '*' && (element.local !== last.local || element.ns !== last.ns)) ||
      (last.attrName !== undefined &&
        element.attributes.find((a) => a.local === last.attrName)?.value !== last.attrValue)
    ) {
      // §7.4: the element must be selected by the request URI once inserted.
      throw conflict('no-parent', 'element does not match the node selector');
    }
    if (found !== 'no-match') {
      if (!found.parent) return documentOperation(res, 'PUT', usage, user, document, body, current.xml);
      found.parent.children[found.parent.children.indexOf(found.element)] = element;
      return commit(res, usage, user, document, tree, 200);
    }
    const parentSel = { steps: selector.steps.slice(0, -1) };
    if (parentSel.steps.length === 0) throw conflict('no-parent');
    const parent = locate(tree, parentSel);
    if (parent === 'no-match' || parent === 'ambiguous') throw conflict('no-parent');
    parent.element.children.push(element);
    return commit(res, usage, user, document, tree, 201);
  }

  function documentOperation(
    res: ServerResponse,
    method: string,
    usage: AppUsage,
    user: string,
    document: string,
    body: string,
    existing: string | undefined,
  ): undefined {
    if (method === 'GET') {
      if (existing === undefined) throw new HttpError(404);
      return send(res, 200, existing, usage.mime, store.get(usage.auid, user, document)!.etag);
    }
    if (method === 'DELETE') {
      if (existing === undefined) throw new HttpError(404);
      store.delete(usage.auid, user, document);
      return send(res, 200, '', 'text/plain');
    }
    if (method !== 'PUT') throw new HttpError(405, '', 'text/plain', { allow: 'GET, PUT, DELETE' });
    const parsed = parseXml(body);
    if (!parsed.ok) throw conflict('not-well-formed', parsed.error.message);
    const valid = usage.validate(body);
    if (!valid.ok) throw conflict('schema-validation-error', valid.error.message);
    const etag = store.put(usage.auid, user, document, body);
    return send(res, existing === undefined ? 201 : 200, '', 'text/plain', etag);
  }

  function commit(
    res: ServerResponse,
    usage: AppUsage,
    user: string,
    document: string,
    tree: XmlElement,
    status: number,
  ): undefined {
    const xml = serializeXml(tree);
    const valid = usage.validate(xml);
    // §7.4 step 6: a change that leaves the document invalid is refused as a whole.
    if (!valid.ok) throw conflict('schema-validation-error', valid.error.message);
    const etag = store.put(usage.auid, user, document, xml);
    return send(res, status, '', 'text/plain', etag);
  }

  function authorize(req: IncomingMessage, user: string): void {
    const challenge = { 'www-authenticate': 'Basic realm="xcap"' };
    const header = req.headers.authorization ?? '';
    const m = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header.trim());
    if (!m) throw new HttpError(401, 'credentials required', 'text/plain', challenge);
    const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const name = colon < 0 ? decoded : decoded.slice(0, colon);
    const password = colon < 0 ? '' : decoded.slice(colon + 1);
    const userPart = userOf(name);
    const expected = options.passwords.get(userPart);
    if (expected === undefined || expected !== password) {
      throw new HttpError(401, 'bad credentials', 'text/plain', challenge);
    }
    // Only the owner of a document tree may touch it.
    if (userOf(user) !== userPart) throw new HttpError(403, 'not your document');
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.address, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    rootUri: `http://${options.address}:${port}${root}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** `sip:jane@domain2.lab` or `jane` → `jane`. */
function userOf(xui: string): string {
  const noScheme = xui.replace(/^[a-z]+:/i, '');
  const at = noScheme.indexOf('@');
  return (at < 0 ? noScheme : noScheme.slice(0, at)).toLowerCase();
}

function splitOnce(s: string, sep: string): [string, string | undefined] {
  const i = s.indexOf(sep);
  return i < 0 ? [s, undefined] : [s.slice(0, i), s.slice(i + sep.length)];
}

function checkPreconditions(req: IncomingMessage, etag: string | undefined): void {
  const ifMatch = req.headers['if-match'];
  const ifNoneMatch = req.headers['if-none-match'];
  const tags = (v: string) => v.split(',').map((t) => t.trim().replace(/^W\//, '').replace(/^"|"$/g, ''));
  if (ifMatch !== undefined) {
    const list = tags(ifMatch);
    if (etag === undefined || !(list.includes('*') || list.includes(etag))) throw new HttpError(412);
  }
  if (ifNoneMatch !== undefined) {
    const list = tags(ifNoneMatch);
    if (etag !== undefined && (list.includes('*') || list.includes(etag))) {
      const safe = req.method === 'GET' || req.method === 'HEAD';
      throw new HttpError(safe ? 304 : 412);
    }
  }
}

/** Parses an element body in the namespace context of the document's root (§7.4). */
function parseFragment(body: string, root: XmlElement): XmlElement {
  const decls = root.attributes.filter((a) => a.name === 'xmlns' || a.name.startsWith('xmlns:'));
  const wrapper = `<xcap-wrapper ${decls.map((a) => `${a.name}="${escapeAttribute(a.value)}"`).join(' ')}>${body}</xcap-wrapper>`;
  const parsed = parseXml(wrapper);
  if (!parsed.ok) throw conflict('not-xml-frag', parsed.error.message);
  const elements = parsed.root.children.filter(isElement);
  const text = parsed.root.children.filter((c) => typeof c === 'string' && c.trim() !== '');
  if (elements.length !== 1 || text.length > 0) throw conflict('not-xml-frag', 'one element expected');
  return elements[0]!;
}

async function readBody(req: IncomingMessage, max: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > max) throw new HttpError(413);
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function send(res: ServerResponse, status: number, body: string, type: string, etag?: string): undefined {
  const headers: Record<string, string> = {
    'content-type': type,
    'content-length': String(Buffer.byteLength(body)),
  };
  if (etag !== undefined) headers.etag = `"${etag}"`;
  res.writeHead(status, headers);
  res.end(body);
  return undefined;
}

/** §12.2 xcap-caps: the AUIDs, extensions and namespaces this server knows. */
function capsDocument(): string {
  const auids = ['xcap-caps', ...APP_USAGES.map((u) => u.auid)];
  const namespaces = [
    'urn:ietf:params:xml:ns:xcap-caps',
    XCAP_ERROR_NS,
    ...APP_USAGES.map((u) => u.defaultNs),
    'urn:ietf:params:xml:ns:common-policy',
  ];
  return `<?xml version="1.0" encoding="UTF-8"?>
<xcap-caps xmlns="urn:ietf:params:xml:ns:xcap-caps">
<auids>${auids.map((a) => `<auid>${a}</auid>`).join('')}</auids>
<extensions/>
<namespaces>${namespaces.map((n) => `<namespace>${n}</namespace>`).join('')}</namespaces>
</xcap-caps>`;
}

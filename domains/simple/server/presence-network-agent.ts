// The Presence Network Agent (RFC 3856 §4 "a PNA … can publish presence on behalf of the
// presentity from information the network has"): registration, de-registration and expiry
// become network-provided presence, published as its own source beside the user's, and a user
// registered through a visited network's proxy gets an element naming that network and the
// access type (roaming).
import { attribute, el, leaf } from '../../../common/xml/query.ts';
import { serializeXml } from '../../../common/xml/serialize.ts';
import type { XmlElement } from '../../../common/xml/xml-node.ts';
import { NS } from '../payloads/namespaces.ts';
import type { SipRequest } from '../sip/message/sip-message.ts';
import type { BindingEvent, LocationService, SourceAddress } from '../sip/registrar/index.ts';
import type { PublicationService } from './publication-service.ts';

/** The lab's namespace for the network-provided element (a PIDF tuple extension, lax in pidf.xsd). */
export const NETWORK_NS = 'urn:x-lab:params:xml:ns:pidf:network-provided';

export interface VisitedNetwork {
  /** Address of the visited network's proxy (127.0.4.1 in the lab). */
  address: string;
  /** Its name, e.g. `visited.lab`. */
  name: string;
  /** Access type to report (default `roaming`). */
  accessType?: string;
}

export interface AccessInfo {
  registered: boolean;
  accessType: string;
  visited?: string;
}

export class PresenceNetworkAgent {
  private readonly etags = new Map<string, string>();
  private readonly access = new Map<string, { accessType: string; visited?: string }>();
  private readonly stopListening: () => void;

  constructor(
    private readonly location: LocationService,
    private readonly publications: PublicationService,
    private readonly visited: readonly VisitedNetwork[],
    private readonly publicationExpires = 3600,
  ) {
    this.stopListening = location.onBindingEvent((e) => this.onBinding(e));
  }

  /**
   * Notes how a REGISTER reached us before the registrar applies it: through a visited network
   * when the packet source, a Path entry or a Via names the visited proxy's address.
   */
  noteRegister(aor: string, request: SipRequest, source: SourceAddress): void {
    const hosts = new Set<string>([source.address]);
    for (const v of request.vias) hosts.add(v.host);
    for (const p of request.headers.getFields('Path')) {
      const m = /sip:(?:[^@>;]*@)?([0-9.]+)/.exec(p);
      if (m) hosts.add(m[1]!);
    }
    const net = this.visited.find((v) => hosts.has(v.address));
    this.access.set(
      aor,
      net ? { accessType: net.accessType ?? 'roaming', visited: net.name } : { accessType: 'home' },
    );
  }

  /** The network's current view of a user (for tests and the console). */
  info(aor: string): AccessInfo {
    const a = this.access.get(aor) ?? { accessType: 'home' };
    return { registered: this.location.lookup(aor).length > 0, ...a };
  }

  private onBinding(e: BindingEvent): void {
    // A refresh republishes too: it keeps the network's publication alive as long as the
    // registration (an unchanged document makes no NOTIFY) and picks up a change of access path.
    this.publish(e.aor);
  }

  private publish(aor: string): void {
    const body = serializeXml(networkDocument(aor, this.info(aor)));
    let outcome = this.publications.publishLocal(aor, body, this.etags.get(aor), this.publicationExpires);
    if (outcome.status === 412) {
      // Our earlier publication lapsed (RFC 3903 §6 step 3): start a new one.
      outcome = this.publications.publishLocal(aor, body, undefined, this.publicationExpires);
    }
    if (outcome.etag !== undefined) this.etags.set(aor, outcome.etag);
  }

  close(): void {
    this.stopListening();
  }
}

/** The network-provided PIDF: one tuple (`class` network) with basic and the access element. */
export function networkDocument(aor: string, info: AccessInfo): XmlElement {
  const np = (local: string) => `np:${local}`;
  const network = el(
    NETWORK_NS,
    np('network-provided'),
    [attribute('xmlns:np', NETWORK_NS)],
    [
      leaf(NETWORK_NS, np('registered'), String(info.registered)),
      leaf(NETWORK_NS, np('access-type'), info.accessType),
      info.visited !== undefined && leaf(NETWORK_NS, np('visited-network'), info.visited),
    ],
  );
  network.attributes[0] = {
    name: 'xmlns:np',
    local: 'np',
    ns: 'http://www.w3.org/2000/xmlns/',
    value: NETWORK_NS,
  };
  return el(
    NS.pidf,
    'presence',
    [
      { name: 'xmlns', local: 'xmlns', ns: 'http://www.w3.org/2000/xmlns/', value: NS.pidf },
      { name: 'xmlns:rpid', local: 'rpid', ns: 'http://www.w3.org/2000/xmlns/', value: NS.rpid },
      attribute('entity', aor),
    ],
    [
      el(NS.pidf, 'tuple', { id: 'pna' }, [
        el(NS.pidf, 'status', {}, [leaf(NS.pidf, 'basic', info.registered ? 'open' : 'closed')]),
        leaf(NS.rpid, 'rpid:class', 'network'),
        network,
      ]),
    ],
  );
}

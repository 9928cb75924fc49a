// PS1, the IMPS server of domain1.lab, as a library: `startPs1(config)` binds CSP/HTTP (SSP on
// the same server), the STCP CIR listener and the SUDP sender on a 127.x address; `stop()`
// closes them. Every non-local domain goes over SSP by the static routing table.
import { SspEndpoint } from '../ssp/ssp-endpoint.ts';
import { CirService } from './cir-service.ts';
import { CspHttpBinding } from './csp-http-binding.ts';
import type { Ps1Config } from './ps1-config.ts';
import { Ps1Core } from './ps1-core.ts';
import { Ps1SspBridge } from './ps1-ssp-bridge.ts';

export interface Ps1 {
  readonly core: Ps1Core;
  /** Base URL of the CSP endpoint, e.g. http://127.0.1.1:8081 */
  readonly url: string;
  /** SSP URL other domains POST to. */
  readonly sspUrl: string;
  readonly address: string;
  readonly port: number;
  readonly cirTcpPort: number;
  stop(): Promise<void>;
}

export async function startPs1(config: Ps1Config): Promise<Ps1> {
  const core = new Ps1Core(config);
  const cfg = core.config;
  if (!/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(cfg.address))
    throw new Error(`PS1 binds loopback addresses only, not ${cfg.address}`);
  const http = new CspHttpBinding(core);
  const bound = await http.start();
  const url = `http://${bound.address}:${bound.port}`;
  const cir = new CirService(cfg, core.sessions);
  try {
    await cir.start(url);
  } catch (e) {
    await http.stop();
    throw e;
  }
  core.cir = {
    wake: (s) => cir.wake(s),
    detach: (s) => cir.detach(s),
    tcpEndpoint: () => cir.tcpEndpoint(),
    url: (s) => cir.url(s),
  };
  const sspUrl = `${url}/ssp`;
  const ssp = new SspEndpoint({
    domain: cfg.domain,
    peers: cfg.routes,
    // Outbound SSP leaves from PS1's own address, as the topology says.
    localAddress: cfg.address,
    node: cfg.node,
    clock: cfg.clock,
    ids: cfg.ids,
    timeoutMs: cfg.remoteTimeoutMs,
  });
  const bridge = new Ps1SspBridge(core, ssp);
  ssp.delegate = bridge;
  core.remote = bridge;
  http.ssp = (req, body, res) => ssp.handleHttp(req, body, res);
  return {
    core,
    url,
    sspUrl,
    address: bound.address,
    port: bound.port,
    cirTcpPort: cir.tcpEndpoint()?.port ?? 0,
    async stop() {
      ssp.stop();
      core.stop();
      await cir.stop();
      await http.stop();
    },
  };
}

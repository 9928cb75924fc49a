// IMs both ways through the IWF for bench:iwf, every one accounted for. IMPS → SIMPLE: PS1's
// SendMessageRequest (report asked) → the IWF's MESSAGE to PS2 (200) → SendMessageResponse 200
// and a DeliveryStatusReport back to PS1. SIMPLE → IMPS: a CPIM MESSAGE with an IMDN request →
// the IWF's SendMessageRequest to PS1 (200) → PS1's DeliveryStatusReport → the IWF's IMDN to PS2.
// Each stage is counted by id, so a loss shows where it happened.
import type { DeliveryStatusReport, SendMessageRequest } from '../../domains/imps/ssp/ssp-model.ts';
import { type CpimMessage, emptyCpim, serializeCpim } from '../../domains/simple/payloads/cpim.ts';
import { addImdnRequest } from '../../domains/simple/payloads/imdn.ts';
import { until } from './loops.ts';
import { type BenchPs1, type BenchPs2, IMPS_DOMAIN, now, SIMPLE_DOMAIN } from './peers.ts';

export interface Direction {
  sent: number;
  /** Final success answered to the sender (SSP 200 / SIP 200). */
  accepted: number;
  /** Distinct IMs that reached the far side. */
  received: Set<string>;
  /** Distinct delivery reports that reached the sender's side (DeliveryStatusReport / IMDN). */
  reports: Set<string>;
  failures: string[];
}

const direction = (): Direction => ({
  sent: 0,
  accepted: 0,
  received: new Set(),
  reports: new Set(),
  failures: [],
});

export class ImLedger {
  readonly i2s = direction();
  readonly s2i = direction();
  /** The IWF's message id of each s2i IM (what PS1's report must name) → its text. */
  private readonly byIwfId = new Map<string, string>();
  ps1: BenchPs1 | undefined;

  /** PS2 got an IM from the IWF. */
  onIm(text: string): void {
    this.i2s.received.add(text);
  }
  /** PS2 got an IMDN from the IWF (for one of its s2i IMs). */
  onImdn(messageId: string): void {
    this.s2i.reports.add(messageId);
  }
  /** PS1 got a SendMessageRequest from the IWF: it reports delivery, as a PS1 would. */
  onMessage(r: SendMessageRequest): void {
    this.s2i.received.add(r.content);
    const id = r.message.messageId;
    if (!id || !this.ps1) return;
    this.byIwfId.set(id, r.content);
    void this.ps1.endpoint
      .request(SIMPLE_DOMAIN, {
        kind: 'DeliveryStatusReport',
        meta: { serviceId: `wv:@${IMPS_DOMAIN}`, userId: r.message.recipients[0] ?? '' },
        result: { code: 200 },
        deliveryTime: new Date().toISOString(),
        message: { messageId: id, recipients: r.message.recipients, sender: r.message.sender },
      })
      .then((ack) => {
        if (!(ack.kind === 'Status' && ack.status.code === 200))
          this.s2i.failures.push(`report ${id}: ${JSON.stringify(ack).slice(0, 120)}`);
      })
      .catch((e: unknown) => this.s2i.failures.push(`report ${id}: ${String(e)}`));
  }
  /** PS1 got a DeliveryStatusReport from the IWF (for one of its i2s IMs). */
  onReport(r: DeliveryStatusReport): void {
    if (r.result.code === 200) this.i2s.reports.add(r.message.messageId ?? '');
  }
}

async function pool(n: number, concurrency: number, deadline: number, job: (i: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n && now() < deadline) await job(next++);
    }),
  );
}

export interface ImRun {
  i2sRate: number;
  s2iRate: number;
  seconds: number;
}

/** n IMs each way at once, `concurrency` in flight per direction; bounded by `limitMs`. */
export async function runIms(
  ledger: ImLedger,
  ps1: BenchPs1,
  ps2: BenchPs2,
  iwf: { address: string; port: number },
  n: number,
  concurrency: number,
  limitMs: number,
): Promise<ImRun> {
  ledger.ps1 = ps1;
  const t0 = now();
  const deadline = t0 + limitMs;
  let i2sDone = t0;
  let s2iDone = t0;
  const i2s = pool(n, concurrency, deadline, async (i) => {
    const id = `i2s-${i}`;
    ledger.i2s.sent++;
    try {
      const r = await ps1.endpoint.request(SIMPLE_DOMAIN, {
        kind: 'SendMessageRequest',
        meta: { serviceId: `wv:@${IMPS_DOMAIN}`, userId: `wv:w${i % 20}@${IMPS_DOMAIN}` },
        deliveryReport: true,
        message: {
          messageId: id,
          contentType: 'text/plain',
          recipients: [`wv:p${i % 10}@${SIMPLE_DOMAIN}`],
          sender: `wv:w${i % 20}@${IMPS_DOMAIN}`,
        },
        content: id,
      });
      if (r.kind === 'SendMessageResponse' && r.status.code === 200) ledger.i2s.accepted++;
      else ledger.i2s.failures.push(`${id}: ${JSON.stringify(r).slice(0, 120)}`);
    } catch (e) {
      ledger.i2s.failures.push(`${id}: ${String(e)}`);
    }
  }).then(() => {
    i2sDone = now();
  });
  const s2i = pool(n, concurrency, deadline, async (i) => {
    const id = `s2i-${i}`;
    ledger.s2i.sent++;
    let cpim: CpimMessage = {
      ...emptyCpim(),
      from: { uri: `sip:p${i % 10}@${SIMPLE_DOMAIN}` },
      to: [{ uri: `sip:w${i % 20}@${IMPS_DOMAIN}` }],
      dateTime: new Date().toISOString(),
      contentHeaders: [['Content-Type', 'text/plain;charset=UTF-8']],
      body: Buffer.from(id),
    };
    cpim = addImdnRequest(cpim, id, ['positive-delivery']);
    const r = await ps2.ua.request({
      method: 'MESSAGE',
      uri: `sip:w${i % 20}@${IMPS_DOMAIN}`,
      from: `sip:p${i % 10}@${SIMPLE_DOMAIN}`,
      body: serializeCpim(cpim),
      contentType: 'message/cpim',
      target: { protocol: 'tcp', address: iwf.address, port: iwf.port },
    });
    if (r.status === 200) ledger.s2i.accepted++;
    else ledger.s2i.failures.push(`${id}: SIP ${r.status} ${r.reason}`);
  }).then(() => {
    s2iDone = now();
  });
  await Promise.all([i2s, s2i]);
  // Reports trail the final answers; wait for them (bounded), then whatever is missing is lost.
  await until(
    () =>
      ledger.i2s.reports.size >= ledger.i2s.sent &&
      ledger.s2i.reports.size >= ledger.s2i.sent &&
      ledger.i2s.received.size >= ledger.i2s.sent &&
      ledger.s2i.received.size >= ledger.s2i.sent,
    10_000,
  );
  return {
    i2sRate: ledger.i2s.sent / ((i2sDone - t0) / 1000),
    s2iRate: ledger.s2i.sent / ((s2iDone - t0) / 1000),
    seconds: (now() - t0) / 1000,
  };
}

/** Every stage of one direction, and how many IMs (or reports) went missing at the worst stage. */
export function lossOf(d: Direction): number {
  return d.sent - Math.min(d.accepted, d.received.size, d.reports.size);
}

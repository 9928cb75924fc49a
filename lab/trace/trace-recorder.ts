import diagnostics_channel from 'node:diagnostics_channel';
import { traceChannels, type WireTraceEvent } from '../../common/trace.ts';
import { PcapWriter } from './pcap-writer.ts';

// Records the `lab:wire` channel of this process. Each message that crosses between two lab
// nodes is reported twice (tx by the sender, rx by the receiver); `wireMessages()` keeps one copy
// per crossing so a ladder or pcap shows each hop once, while messages from or to outside peers
// (Kamailio, SIPp: only one side reports) are kept too.

export class TraceRecorder {
  readonly events: WireTraceEvent[] = [];
  private readonly listener = (message: unknown) => {
    if (this.events.length < this.limit) this.events.push(message as WireTraceEvent);
  };
  private running = false;

  constructor(private readonly limit = 1_000_000) {}

  start(): this {
    if (!this.running) {
      diagnostics_channel.subscribe(traceChannels.wire.name, this.listener);
      this.running = true;
    }
    return this;
  }

  stop(): void {
    if (this.running) diagnostics_channel.unsubscribe(traceChannels.wire.name, this.listener);
    this.running = false;
  }

  /** One event per message crossing: a tx, or an rx nobody reported sending. */
  wireMessages(): WireTraceEvent[] {
    const sent = new Map<string, number>();
    for (const e of this.events)
      if (e.direction === 'tx') sent.set(crossingKey(e), (sent.get(crossingKey(e)) ?? 0) + 1);
    const out: WireTraceEvent[] = [];
    for (const e of this.events) {
      if (e.direction === 'tx') {
        out.push(e);
        continue;
      }
      const key = crossingKey(e);
      const n = sent.get(key) ?? 0;
      if (n > 0) sent.set(key, n - 1);
      else out.push(e);
    }
    return out.sort((a, b) => a.time - b.time);
  }

  toPcap(): Buffer {
    const writer = new PcapWriter();
    for (const e of this.wireMessages()) writer.add(e);
    return writer.toBuffer();
  }
}

/** Same bytes, same source and destination, whichever side reported it. */
function crossingKey(e: WireTraceEvent): string {
  const [src, dst] = e.direction === 'tx' ? [e.local, e.remote] : [e.remote, e.local];
  return `${e.transport}|${src.address}:${src.port}|${dst.address}:${dst.port}|${e.bytes.length}|${e.bytes.subarray(0, 64).toString('latin1')}|${e.bytes.subarray(-32).toString('latin1')}`;
}

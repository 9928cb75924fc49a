// The latency the IWF itself adds, measured inside its process: from the moment its SIP transport
// has read a NOTIFY to the moment the POST carrying the PresenceNotification it became is written
// to PS1 (and, for the baseline, the bare relay's NOTIFY read → its POST written). Both ends are
// the lab's own trace points (common/trace.ts, lab:wire), timed with performance.now() as each
// event is published. The end-to-end figures of run.ts add the bench process's own scheduling on
// both sides; this one is the IWF's residence time alone. Enabled only around the phase it
// measures: matching costs a regex per message.
import diagnostics_channel from 'node:diagnostics_channel';
import { performance } from 'node:perf_hooks';
import type { WireTraceEvent } from '../../common/trace.ts';

const FROM_USER = /\r\n(?:From|f)[ \t]*:[^\r\n]*?sips?:([^@;>\s]+)@/i;
const TO_USER = /\r\n(?:To|t)[ \t]*:[^\r\n]*?sips?:([^@;>\s]+)@/i;
const X_KEY = /\r\nX-Key[ \t]*:[ \t]*([^\r\n]+)/i;
// Presentity (MetaInfo's User) and watcher (the first recipient) of each PresenceNotification.
const NOTIFICATION =
  /<PresenceNotification><MetaInfo><Requestor [^>]*><User userID="wv:([^@"]+)@[^"]*"\/><\/Requestor><\/MetaInfo><User userID="wv:([^@"]+)@/g;

export interface ResidenceFigures {
  n: number;
  p50: number;
  p99: number;
  max: number;
  /** Ends with no matching start (or starts never ended): should be 0. */
  unmatched: number;
}

export class Residence {
  private readonly started = new Map<string, number[]>();
  private readonly samples: number[] = [];
  private unmatched = 0;
  private readonly onWire = (m: unknown) => this.observe(m as WireTraceEvent);

  constructor(
    /** The trace node whose NOTIFYs are read (the IWF's, or the relay's). */
    private readonly node: string,
    /** The trace node whose SSP POSTs end a residence (the IWF's); undefined for the relay. */
    private readonly sspNode: string | undefined,
  ) {}

  start(): void {
    diagnostics_channel.subscribe('lab:wire', this.onWire);
  }

  /** The relay's POST written for the NOTIFY keyed `key` (it is not traced as SSP). */
  ended(key: string): void {
    const queue = this.started.get(key);
    const t = queue?.shift();
    if (t === undefined) this.unmatched++;
    else this.samples.push(performance.now() - t);
  }

  stop(): ResidenceFigures {
    diagnostics_channel.unsubscribe('lab:wire', this.onWire);
    const sorted = this.samples.sort((a, b) => a - b);
    const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
    let open = 0;
    for (const q of this.started.values()) open += q.length;
    return {
      n: sorted.length,
      p50: at(50),
      p99: at(99),
      max: sorted.at(-1) ?? 0,
      unmatched: this.unmatched + open,
    };
  }

  private observe(e: WireTraceEvent): void {
    const now = performance.now();
    if (e.node === this.node && e.protocol === 'sip' && e.direction === 'rx') {
      const text = e.bytes.toString('latin1', 0, Math.min(e.bytes.length, 2048));
      if (!text.startsWith('NOTIFY ')) return;
      const key = this.sspNode
        ? `${TO_USER.exec(text)?.[1] ?? ''}|${FROM_USER.exec(text)?.[1] ?? ''}`
        : (X_KEY.exec(text)?.[1]?.trim() ?? '');
      const queue = this.started.get(key);
      if (queue) queue.push(now);
      else this.started.set(key, [now]);
    } else if (this.sspNode && e.node === this.sspNode && e.protocol === 'ssp' && e.direction === 'tx') {
      const text = e.bytes.toString('utf8');
      for (const m of text.matchAll(NOTIFICATION)) {
        const queue = this.started.get(`${m[2]}|${m[1]}`);
        const t = queue?.shift();
        if (t === undefined) this.unmatched++;
        else this.samples.push(now - t);
      }
    }
  }
}

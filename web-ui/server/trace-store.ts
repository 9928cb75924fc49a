// The console's copy of the run's trace: wire messages and the IWF's mapping reports, from
// whichever source the console runs beside — the diagnostics channels of its own process, the
// launcher's IPC messages, or a `Lab` object's `trace` array. Subscribers (the WebSocket) hear
// of each new event once.
import diagnostics_channel from 'node:diagnostics_channel';
import { type MappingTraceEvent, traceChannels, type WireTraceEvent } from '../../common/trace.ts';

/** Most events kept; older ones are dropped first (a long session must not grow without end). */
export const MAX_TRACE_EVENTS = 200_000;

export type TraceListener = (change: { wire?: WireTraceEvent; map?: MappingTraceEvent }) => void;

export class TraceStore {
  readonly wire: WireTraceEvent[] = [];
  readonly maps: MappingTraceEvent[] = [];
  private readonly listeners = new Set<TraceListener>();

  addWire(event: WireTraceEvent): void {
    this.wire.push(event);
    if (this.wire.length > MAX_TRACE_EVENTS) this.wire.splice(0, this.wire.length - MAX_TRACE_EVENTS);
    for (const l of this.listeners) l({ wire: event });
  }

  addMap(event: MappingTraceEvent): void {
    this.maps.push(event);
    if (this.maps.length > MAX_TRACE_EVENTS) this.maps.splice(0, this.maps.length - MAX_TRACE_EVENTS);
    for (const l of this.listeners) l({ map: event });
  }

  clear(): void {
    this.wire.length = 0;
    this.maps.length = 0;
  }

  onChange(listener: TraceListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/** Nodes running in the console's own process report here. */
export function followDiagnostics(store: TraceStore): () => void {
  const onWire = (m: unknown) => store.addWire(m as WireTraceEvent);
  const onMap = (m: unknown) => store.addMap(m as MappingTraceEvent);
  diagnostics_channel.subscribe(traceChannels.wire.name, onWire);
  diagnostics_channel.subscribe(traceChannels.iwfMap.name, onMap);
  return () => {
    diagnostics_channel.unsubscribe(traceChannels.wire.name, onWire);
    diagnostics_channel.unsubscribe(traceChannels.iwfMap.name, onMap);
  };
}

interface IpcTrace {
  type: 'trace';
  event: Omit<WireTraceEvent, 'bytes'> & { bytes: string };
}
interface IpcMap {
  type: 'map';
  event: MappingTraceEvent;
}

/**
 * Trace relayed by the launcher over the console node's IPC channel, in the very shape each node
 * sends it (`lab/node-main.ts`: `{ type: 'trace', event }`, bytes in base64), and the IWF's
 * mapping reports as `{ type: 'map', event }`. Anything else on the channel is ignored.
 */
export function followIpc(store: TraceStore, proc: NodeJS.EventEmitter = process): () => void {
  const onMessage = (message: unknown) => {
    const m = message as Partial<IpcTrace | IpcMap> | null;
    if (!m || typeof m !== 'object' || !m.event || typeof m.event !== 'object') return;
    if (m.type === 'trace') {
      const e = m.event as IpcTrace['event'];
      if (typeof e.bytes !== 'string' || typeof e.time !== 'number') return;
      store.addWire({ ...e, bytes: Buffer.from(e.bytes, 'base64') });
    } else if (m.type === 'map') {
      const e = m.event as MappingTraceEvent;
      if (Array.isArray(e.rows) && typeof e.time === 'number') store.addMap(e);
    }
  };
  proc.on('message', onMessage);
  return () => proc.off('message', onMessage);
}

/** A `Lab` owned by the console's process: its `trace` array is read as it grows. */
export function followLab(
  store: TraceStore,
  lab: { readonly trace: readonly WireTraceEvent[] },
  intervalMs = 50,
): () => void {
  let next = lab.trace.length;
  for (const e of lab.trace) store.addWire(e);
  const timer = setInterval(() => {
    // The launcher only appends; a shorter array means a new run started.
    if (lab.trace.length < next) next = 0;
    while (next < lab.trace.length) {
      const e = lab.trace[next++];
      if (e) store.addWire(e);
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

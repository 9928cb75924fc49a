import diagnostics_channel from 'node:diagnostics_channel';

// The lab's single trace stream. Every node reports each message it sends or receives exactly
// once, here; the collector, ladder, pcap export, JUnit report and console only subscribe.
// Publishing costs next to nothing while nobody listens.

export type TraceProtocol = 'sip' | 'csp' | 'ssp' | 'xcap' | 'cir' | 'http';
export type TraceTransport = 'udp' | 'tcp' | 'http';

export interface Endpoint {
  address: string;
  port: number;
}

export interface WireTraceEvent {
  /** The reporting node, e.g. "ps2", "jane", "iwf". */
  node: string;
  protocol: TraceProtocol;
  direction: 'rx' | 'tx';
  transport: TraceTransport;
  local: Endpoint;
  remote: Endpoint;
  /** Wall-clock time in milliseconds (fractional). */
  time: number;
  bytes: Buffer;
}

export interface MappingTraceEvent {
  node: string;
  time: number;
  /** Ids of the mapping-table rows that produced an emitted message. */
  rows: string[];
  from: string;
  to: string;
}

export interface SubscriptionTraceEvent {
  node: string;
  time: number;
  id: string;
  state: string;
  reason?: string;
}

export const traceChannels = {
  wire: diagnostics_channel.channel('lab:wire'),
  sipRx: diagnostics_channel.channel('lab:sip:rx'),
  sipTx: diagnostics_channel.channel('lab:sip:tx'),
  cspRx: diagnostics_channel.channel('lab:csp:rx'),
  cspTx: diagnostics_channel.channel('lab:csp:tx'),
  iwfMap: diagnostics_channel.channel('lab:iwf:map'),
  subscriptionState: diagnostics_channel.channel('lab:subscription:state'),
} as const;

/** Reports one wire message: to its protocol channel and to the combined `lab:wire` channel. */
export function traceWire(event: WireTraceEvent): void {
  const specific =
    event.protocol === 'sip'
      ? event.direction === 'rx'
        ? traceChannels.sipRx
        : traceChannels.sipTx
      : event.protocol === 'csp'
        ? event.direction === 'rx'
          ? traceChannels.cspRx
          : traceChannels.cspTx
        : undefined;
  if (specific?.hasSubscribers) specific.publish(event);
  if (traceChannels.wire.hasSubscribers) traceChannels.wire.publish(event);
}

// What every route of the core shares: the two faces, the link store, the per-key queue, the
// injected clock and ids, and the `lab:iwf:map` trace that names the mapping rows behind each
// message the IWF emits.
import type { Clock } from '../../common/clock.ts';
import type { IdSource } from '../../common/ids.ts';
import { traceChannels } from '../../common/trace.ts';
import type { SipFace } from '../faces/sip-face.ts';
import type { SspFace } from '../faces/ssp-face.ts';
import type { LinkStore } from '../subscriptions/link-store.ts';
import type { KeyQueue } from './key-queue.ts';

export interface CoreContext {
  node: string;
  clock: Clock;
  ids: IdSource;
  store: LinkStore;
  queue: KeyQueue<string>;
  ssp: SspFace;
  sip: SipFace;
  /** Seconds the IWF asks for its own SIP subscriptions (refreshed before they expire). */
  subscribeExpires: number;
  log: (line: string) => void;
}

/** Reports the rows that produced one emitted message (`lab:iwf:map`). */
export function traceMap(
  ctx: Pick<CoreContext, 'node' | 'clock'>,
  rows: readonly string[],
  from: string,
  to: string,
): void {
  if (!traceChannels.iwfMap.hasSubscribers) return;
  traceChannels.iwfMap.publish({
    node: ctx.node,
    time: ctx.clock.wallNow(),
    rows: [...new Set(rows)],
    from,
    to,
  });
}

/** Domain part of a wv:/sip: address, lower-cased. */
export function domainOf(address: string): string {
  const at = address.lastIndexOf('@');
  return at < 0
    ? ''
    : address
        .slice(at + 1)
        .split(/[;?>]/)[0]!
        .toLowerCase();
}

/** ISO 8601 time from the injected clock. */
export function isoNow(clock: Clock): string {
  return new Date(clock.wallNow()).toISOString();
}

/**
 * A CSP/SSP DateTime (ISO 8601, often the basic form `20261124T034949Z`) as the RFC 3339 text
 * CPIM's DateTime header requires (RFC 3862 §4.6.2); undefined when it is no time at all.
 */
export function toRfc3339(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const basic = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(Z|[+-]\d{2}:?\d{2})?$/.exec(value.trim());
  const text = basic
    ? `${basic[1]}-${basic[2]}-${basic[3]}T${basic[4]}:${basic[5]}:${basic[6]}${basic[7] ?? 'Z'}`
    : value.trim();
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

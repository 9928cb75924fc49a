import type { WireTraceEvent } from '../../common/trace.ts';

// A libpcap file from the trace stream, so tshark, Wireshark and sngrep decode a lab run (SIP over
// UDP/TCP, and the HTTP that carries CSP, SSP and XCAP). Link type LINKTYPE_RAW (101): each record
// is an IPv4 packet we synthesize around the traced bytes. TCP flows get a three-way handshake and
// running sequence numbers so dissectors reassemble them; large messages are split into segments.
//
// pcap format: https://wiki.wireshark.org/Development/LibpcapFileFormat (global header 24 bytes,
// record header 16 bytes, microsecond timestamps).

const LINKTYPE_RAW = 101;
const SNAPLEN = 262_144;
const MAX_SEGMENT = 32_000;

interface FlowState {
  seq: number;
  ack: number;
}

export class PcapWriter {
  private readonly chunks: Buffer[] = [];
  /** Sequence numbers per TCP direction, keyed "src>dst". */
  private readonly flows = new Map<string, FlowState>();
  private ipId = 1;

  constructor() {
    const header = Buffer.alloc(24);
    header.writeUInt32LE(0xa1b2c3d4, 0);
    header.writeUInt16LE(2, 4);
    header.writeUInt16LE(4, 6);
    header.writeInt32LE(0, 8);
    header.writeUInt32LE(0, 12);
    header.writeUInt32LE(SNAPLEN, 16);
    header.writeUInt32LE(LINKTYPE_RAW, 20);
    this.chunks.push(header);
  }

  /** Adds one message as it crossed the wire: from `src` to `dst`. */
  add(event: WireTraceEvent): void {
    const [src, dst] = event.direction === 'tx' ? [event.local, event.remote] : [event.remote, event.local];
    if (event.transport === 'udp') {
      this.record(
        event.time,
        ipv4(17, src.address, dst.address, udp(src.port, dst.port, event.bytes), this.ipId++),
      );
      return;
    }
    const forward = `${src.address}:${src.port}>${dst.address}:${dst.port}`;
    const backward = `${dst.address}:${dst.port}>${src.address}:${src.port}`;
    let flow = this.flows.get(forward);
    if (!flow) {
      const reverse = this.flows.get(backward);
      if (reverse) {
        flow = { seq: reverse.ack, ack: reverse.seq };
      } else {
        // A handshake the first time a connection shows up, so the stream starts cleanly.
        const isn = 1000;
        const risn = 5000;
        this.record(
          event.time,
          ipv4(6, src.address, dst.address, tcp(src.port, dst.port, isn, 0, SYN, EMPTY), this.ipId++),
        );
        this.record(
          event.time,
          ipv4(
            6,
            dst.address,
            src.address,
            tcp(dst.port, src.port, risn, isn + 1, SYN | ACK, EMPTY),
            this.ipId++,
          ),
        );
        this.record(
          event.time,
          ipv4(
            6,
            src.address,
            dst.address,
            tcp(src.port, dst.port, isn + 1, risn + 1, ACK, EMPTY),
            this.ipId++,
          ),
        );
        flow = { seq: isn + 1, ack: risn + 1 };
        this.flows.set(backward, { seq: risn + 1, ack: isn + 1 });
      }
      this.flows.set(forward, flow);
    }
    const reverse = this.flows.get(backward);
    for (let offset = 0; offset < event.bytes.length || offset === 0; offset += MAX_SEGMENT) {
      const payload = event.bytes.subarray(offset, offset + MAX_SEGMENT);
      const ack = reverse ? reverse.seq : flow.ack;
      this.record(
        event.time,
        ipv4(
          6,
          src.address,
          dst.address,
          tcp(src.port, dst.port, flow.seq, ack, PSH | ACK, payload),
          this.ipId++,
        ),
      );
      flow.seq = (flow.seq + payload.length) >>> 0;
      if (reverse) reverse.ack = flow.seq;
      if (event.bytes.length === 0) break;
    }
  }

  /** The whole file so far. */
  toBuffer(): Buffer {
    return Buffer.concat(this.chunks);
  }

  private record(timeMs: number, packet: Buffer): void {
    const header = Buffer.alloc(16);
    const seconds = Math.floor(timeMs / 1000);
    header.writeUInt32LE(seconds >>> 0, 0);
    header.writeUInt32LE(Math.floor((timeMs - seconds * 1000) * 1000) >>> 0, 4);
    header.writeUInt32LE(packet.length, 8);
    header.writeUInt32LE(packet.length, 12);
    this.chunks.push(header, packet);
  }
}

const EMPTY = Buffer.alloc(0);
const SYN = 0x02;
const PSH = 0x08;
const ACK = 0x10;

function addressBytes(address: string): number[] {
  const parts = address.split('.').map(Number);
  return parts.length === 4 && parts.every((p) => p >= 0 && p <= 255) ? parts : [127, 0, 0, 1];
}

function ipv4(protocol: number, src: string, dst: string, payload: Buffer, id: number): Buffer {
  const header = Buffer.alloc(20);
  header[0] = 0x45;
  header.writeUInt16BE(20 + payload.length, 2);
  header.writeUInt16BE(id & 0xffff, 4);
  header.writeUInt16BE(0x4000, 6); // don't fragment
  header[8] = 64;
  header[9] = protocol;
  Buffer.from(addressBytes(src)).copy(header, 12);
  Buffer.from(addressBytes(dst)).copy(header, 16);
  header.writeUInt16BE(checksum(header), 10);
  return Buffer.concat([header, payload]);
}

function udp(srcPort: number, dstPort: number, payload: Buffer): Buffer {
  const header = Buffer.alloc(8);
  header.writeUInt16BE(srcPort, 0);
  header.writeUInt16BE(dstPort, 2);
  header.writeUInt16BE(8 + payload.length, 4);
  // Checksum 0 = "not computed", legal for UDP over IPv4 (RFC 768).
  return Buffer.concat([header, payload]);
}

function tcp(
  srcPort: number,
  dstPort: number,
  seq: number,
  ack: number,
  flags: number,
  payload: Buffer,
): Buffer {
  const header = Buffer.alloc(20);
  header.writeUInt16BE(srcPort, 0);
  header.writeUInt16BE(dstPort, 2);
  header.writeUInt32BE(seq >>> 0, 4);
  header.writeUInt32BE(ack >>> 0, 8);
  header[12] = 5 << 4;
  header[13] = flags;
  header.writeUInt16BE(65_535, 14);
  return Buffer.concat([header, payload]);
}

function checksum(header: Buffer): number {
  let sum = 0;
  for (let i = 0; i < header.length; i += 2) sum += header.readUInt16BE(i);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { SipSyntaxError } from '../../../../../../domains/simple/sip/message/errors.ts';
import {
  checkContactField,
  checkContactIn,
  checkNameAddrField,
  checkNameAddrIn,
  checkViaField,
  checkViaIn,
  formatCSeq,
  formatNameAddr,
  formatVia,
  parseCallId,
  parseContactList,
  parseContentLength,
  parseCSeq,
  parseFirstVia,
  parseMaxForwards,
  parseNameAddr,
  parseNameAddrList,
  parseVia,
  parseViaList,
  splitHeaderList,
} from '../../../../../../domains/simple/sip/message/header-values.ts';
import { Params } from '../../../../../../domains/simple/sip/message/params.ts';
import { formatUri } from '../../../../../../domains/simple/sip/message/uri-codec.ts';

function throwsCode(fn: () => unknown, code: string): void {
  assert.throws(fn, (e: unknown) => e instanceof SipSyntaxError && e.code === code);
}

describe('splitHeaderList', () => {
  test('splits at top-level commas only', () => {
    assert.deepEqual(splitHeaderList('"Doe, J" <sip:a@b>, <sip:c@d;x=1>,sip:e@f'), [
      '"Doe, J" <sip:a@b>',
      '<sip:c@d;x=1>',
      'sip:e@f',
    ]);
    assert.deepEqual(splitHeaderList('"a \\", b" <sip:x@y>, c'), ['"a \\", b" <sip:x@y>', 'c']);
    assert.deepEqual(splitHeaderList('  '), []);
    assert.deepEqual(splitHeaderList('a,,b'), ['a', '', 'b']);
  });
});

describe('name-addr', () => {
  test('URI parameters inside <>, header parameters outside', () => {
    const na = parseNameAddr('"Bob" <sip:bob@biloxi.com;transport=tcp>;tag=a6c85cf;expires=60');
    assert.equal(na.displayName, 'Bob');
    assert.equal(formatUri(na.uri), 'sip:bob@biloxi.com;transport=tcp');
    assert.deepEqual(
      [...na.params],
      [
        ['tag', 'a6c85cf'],
        ['expires', '60'],
      ],
    );
  });

  test('addr-spec: parameters are header parameters', () => {
    const na = parseNameAddr('sip:bob@biloxi.com;tag=1');
    assert.equal(na.displayName, undefined);
    assert.equal(formatUri(na.uri), 'sip:bob@biloxi.com');
    assert.equal(na.params.get('tag'), '1');
  });

  test('token display names and quoted ones with escapes', () => {
    assert.equal(parseNameAddr('Bob  Smith <sip:b@x.com>').displayName, 'Bob  Smith');
    assert.equal(parseNameAddr('"say \\"hi\\"" <sip:b@x.com>').displayName, 'say "hi"');
    assert.equal(parseNameAddr('<sip:b@x.com>').displayName, undefined);
  });

  test('format quotes the display name and round-trips', () => {
    const na = parseNameAddr('"a \\"q\\" \\\\ b" <sip:x@y.com;lr>;tag=9');
    const text = formatNameAddr(na);
    assert.equal(text, '"a \\"q\\" \\\\ b" <sip:x@y.com;lr>;tag=9');
    assert.deepEqual(parseNameAddr(text), na);
  });

  test('faults', () => {
    for (const bad of [
      '"unterminated <sip:a@b.com>',
      '<sip:a@b.com',
      '< sip:a@b.com>',
      'sip:a@b.com?x=y',
      'Bell, Alexander <sip:a@b.com>',
      '<sip:a@b.com>;;',
      '<sip:a@b.com>;tag=',
      '<sip:a@b.com> junk',
      '"ctl \x01" <sip:a@b.com>',
    ]) {
      throwsCode(() => parseNameAddr(bad, 'SIP_ERR_MALFORMED_FROM'), 'SIP_ERR_MALFORMED_FROM');
    }
  });

  test('lists: each field split, empty elements refused', () => {
    assert.equal(parseNameAddrList(['<sip:a@b.com>, <sip:c@d.com>', '<sip:e@f.com>']).length, 3);
    throwsCode(() => parseNameAddrList(['<sip:a@b.com>,,<sip:c@d.com>']), 'SIP_ERR_MALFORMED_HEADER');
    throwsCode(() => parseNameAddrList(['']), 'SIP_ERR_MALFORMED_HEADER');
  });

  test('Contact: wildcard alone, q and expires checked', () => {
    assert.equal(parseContactList(['*']), '*');
    assert.equal((parseContactList(['<sip:a@b.com>;q=0.5;expires=3600']) as unknown[]).length, 1);
    throwsCode(() => parseContactList(['*', '<sip:a@b.com>']), 'SIP_ERR_MALFORMED_CONTACT');
    throwsCode(() => parseContactList(['<sip:a@b.com>;q=1.5']), 'SIP_ERR_MALFORMED_CONTACT');
    throwsCode(() => parseContactList(['<sip:a@b.com>;expires=soon']), 'SIP_ERR_MALFORMED_CONTACT');
  });
});

describe('Via', () => {
  test('parts, params, LWS around separators', () => {
    const v = parseVia(
      'SIP / 2.0 / udp  host.example.com : 5062 ; branch = z9hG4bK1 ;rport;received=192.0.2.1',
    );
    assert.equal(v.protocol, 'SIP/2.0');
    assert.equal(v.transport, 'UDP');
    assert.equal(v.host, 'host.example.com');
    assert.equal(v.port, 5062);
    assert.equal(v.params.get('branch'), 'z9hG4bK1');
    assert.equal(v.params.get('rport'), null);
    assert.equal(formatVia(v), 'SIP/2.0/UDP host.example.com:5062;branch=z9hG4bK1;rport;received=192.0.2.1');
  });

  test('comma-separated values', () => {
    assert.deepEqual(
      parseViaList(['SIP/2.0/UDP a.com;branch=z9hG4bK1, SIP/2.0/TCP b.com;branch=z9hG4bK2']).map(
        (v) => v.host,
      ),
      ['a.com', 'b.com'],
    );
  });

  test('faults', () => {
    for (const bad of [
      'SIP/2.0 host.com',
      'SIP/2.0/UDPhost.com',
      'SIP/2.0/UDP',
      'SIP/2.0/UDP host.com;branch',
      'SIP/2.0/UDP host.com;branch="x"',
      'SIP/2.0/UDP host.com;received=example.com',
      'SIP/2.0/UDP host.com;rport=70000',
      'SIP/2.0/UDP host.com;ttl=256',
      'SIP/2.0/UDP host.com:0x10',
      'SIP/2.0/UDP host.com;;',
    ]) {
      throwsCode(() => parseVia(bad), 'SIP_ERR_MALFORMED_VIA');
    }
    throwsCode(() => parseViaList(['']), 'SIP_ERR_MALFORMED_VIA');
  });

  test('format of a built Via', () => {
    const v = {
      protocol: 'SIP/2.0',
      transport: 'TCP',
      host: '127.0.0.1',
      port: 5070,
      params: new Params([['branch', 'z9hG4bKx']]),
    };
    assert.equal(formatVia(v), 'SIP/2.0/TCP 127.0.0.1:5070;branch=z9hG4bKx');
  });
});

describe('scalar headers', () => {
  test('CSeq', () => {
    assert.deepEqual(parseCSeq(' 0009   INVITE '), { seq: 9, method: 'INVITE' });
    assert.deepEqual(parseCSeq('4294967295 NOTIFY'), { seq: 4294967295, method: 'NOTIFY' });
    throwsCode(() => parseCSeq('4294967296 NOTIFY'), 'SIP_ERR_CSEQ_OUT_OF_RANGE');
    assert.deepEqual(parseCSeq('00000000000000000000000000001 X'), { seq: 1, method: 'X' });
    throwsCode(() => parseCSeq('1INVITE'), 'SIP_ERR_MALFORMED_CSEQ');
    throwsCode(() => parseCSeq('-1 INVITE'), 'SIP_ERR_MALFORMED_CSEQ');
    assert.equal(formatCSeq({ seq: 7, method: 'SUBSCRIBE' }), '7 SUBSCRIBE');
  });

  test('Call-ID, Max-Forwards, Content-Length', () => {
    assert.equal(parseCallId(' abc@def '), 'abc@def');
    throwsCode(() => parseCallId('@def'), 'SIP_ERR_MALFORMED_CALL_ID');
    throwsCode(() => parseCallId('abc@'), 'SIP_ERR_MALFORMED_CALL_ID');
    throwsCode(() => parseCallId(''), 'SIP_ERR_MALFORMED_CALL_ID');
    assert.equal(parseMaxForwards('0068'), 68);
    throwsCode(() => parseMaxForwards('256'), 'SIP_ERR_MALFORMED_MAX_FORWARDS');
    throwsCode(() => parseMaxForwards('7 0'), 'SIP_ERR_MALFORMED_MAX_FORWARDS');
    assert.equal(parseContentLength(' 0150 '), 150);
    throwsCode(() => parseContentLength('-999'), 'SIP_ERR_MALFORMED_CONTENT_LENGTH');
    assert.ok(parseContentLength('9'.repeat(40)) > 2 ** 40);
  });
});

/** The code a call throws (SipSyntaxError), or 'ok'. */
function verdict(fn: () => unknown): string {
  try {
    fn();
    return 'ok';
  } catch (e) {
    if (e instanceof SipSyntaxError) return e.code;
    throw e;
  }
}

// decode checks Via, From, To and Contact in place inside the header section and leaves the
// parse to the first getter: both must give the same verdict for every value. The span is set
// inside text whose neighbours would fool a scanner that read past its end.
const PREFIX = 'X: ';
const SUFFIXES = ['', '\r\n', '>;tag=1', ' ;branch=z9hG4bK', '"', ':5060', '.example.com', '@b>', '0', '=x'];

function inPlace(value: string, check: (s: string, from: number, to: number) => void): string[] {
  return SUFFIXES.map((suffix) =>
    verdict(() => check(PREFIX + value + suffix, PREFIX.length, PREFIX.length + value.length)),
  );
}

const VIAS = [
  'SIP/2.0/UDP 192.0.2.30:5060;branch=z9hG4bK-524287-1---a1b2c3d4e5f60718;rport',
  'SIP/2.0/UDP 192.0.2.20:5062;received=192.0.2.20;branch=z9hG4bK-d8754z;rport=5062',
  'SIP / 2.0 / udp  host.example.com : 5062 ; branch = z9hG4bK1 ;rport',
  'SIP/2.0/UDP 1.2.3.4.example.com;branch=z9hG4bK1',
  'SIP/2.0/UDP 1.2.3.4',
  'SIP/2.0/UDP 1.2.3.4.',
  'SIP/2.0/UDP 1.2.3.4-x',
  'SIP/2.0/UDP 1.2.3',
  'SIP/2.0/UDP 192.0.2.300',
  'SIP/2.0/UDP 0001.2.3.4',
  'SIP/2.0/UDP 1234.example.com',
  'SIP/2.0/UDP 192.0.2.30x;branch=z9hG4bK1',
  'SIP/2.0/UDP [2001:db8::1]:5060;received=[::1];branch=z9hG4bK1',
  'SIP/2.0/UDP h;received=2001:db8::1',
  'SIP/2.0/UDP h;received=example.com',
  'SIP/2.0/UDP h;received',
  'SIP/2.0/UDP h;maddr=224.0.0.1;ttl=16;branch=z9hG4bK1',
  'SIP/2.0/UDP h;maddr=-bad',
  'SIP/2.0/UDP h;MADDR=',
  'SIP/2.0/UDP h;ttl=256',
  'SIP/2.0/UDP h;TTL',
  'SIP/2.0/UDP h;rport=65536',
  'SIP/2.0/UDP h;Rport=065535',
  'SIP/2.0/UDP h;branch',
  'SIP/2.0/UDP h;BRANCH="z9hG4bK1"',
  'SIP/2.0/UDP h;branch=a:b',
  'SIP/2.0/UDP h;branch=[a]',
  'SIP/2.0/UDP h;x="a\\"b";y=[::1]',
  'SIP/2.0/UDP h;x="unterminated',
  'SIP/2.0/UDP h;x="pair at end\\',
  'SIP/2.0/UDP h:',
  'SIP/2.0/UDP h:123456',
  'SIP/2.0/UDP h ;',
  'SIP/2.0/UDP',
  'SIP/2.0/',
  'SIP/2.0',
  'SIP/2.0/UDP ',
  '',
];

const NAME_ADDRS = [
  '"Jane Doe" <sip:jane@domain2.example>;tag=8f3a92b1',
  '<sip:harry@domain1.example>;tag=a73kszlfl',
  'sip:a@b.com;tag=1',
  'Bob  Smith <sip:b@x.com>',
  'caller<sip:caller@example.com>;tag=323',
  '"a \\"q\\" \\\\ b" <sip:x@y.com;lr>;tag=9',
  '<sip:user:pw@host.example.com:5060;transport=tcp;lr?h=v&i=w>',
  '<sip:@host>',
  '<sip:host:>',
  '<sip:host;=x>',
  '<sip:host?x>',
  '<tel:+1-555-0100;phone-context=example.com>',
  '<urn:service:sos>',
  '<mailto:>',
  '<sips:[2001:db8::1]:5061>',
  '"unterminated <sip:a@b.com>',
  '"pair at end\\',
  '<sip:a@b.com',
  '< sip:a@b.com>',
  'sip:a@b.com?x=y',
  'sip:a@b.com,c',
  '<sip:a@b.com>;;',
  '<sip:a@b.com>;tag=',
  '<sip:a@b.com>;tag',
  '<sip:a@b.com> junk',
  '"ctl \x01" <sip:a@b.com>',
  '<sip:a@b.com>;q=0.5;expires=3600',
  '<sip:a@b.com>;q=1.000',
  '<sip:a@b.com>;q=1.001',
  '<sip:a@b.com>;q=0.',
  '<sip:a@b.com>;q=0.1234',
  '<sip:a@b.com>;Q=2',
  '<sip:a@b.com>;q',
  '<sip:a@b.com>;q="0.5"',
  '<sip:a@b.com>;q=0.5;q=bogus',
  '<sip:a@b.com>;EXPIRES=soon',
  '<sip:a@b.com>;expires',
  '<sip:a@b.com>;expires=60;expires=x',
  '',
];

describe('decode-time checks agree with the parsers', () => {
  test('Via: checkViaIn in place ≡ parseVia', () => {
    for (const v of VIAS) {
      const expected = verdict(() => parseVia(v));
      assert.deepEqual(
        inPlace(v, checkViaIn),
        SUFFIXES.map(() => expected),
        v,
      );
      assert.equal(
        verdict(() => checkViaField(v)),
        verdict(() => parseViaList([v])),
        v,
      );
    }
    const list = `${VIAS[0]!}, ${VIAS[2]!}`;
    assert.equal(
      verdict(() => checkViaField(list)),
      'ok',
    );
    assert.equal(
      verdict(() => checkViaField(`${VIAS[0]!},`)),
      'SIP_ERR_MALFORMED_VIA',
    );
    assert.equal(parseFirstVia(list).host, '192.0.2.30');
  });

  test('From/To: checkNameAddrIn in place ≡ parseNameAddr, and hands back the same tag', () => {
    for (const v of NAME_ADDRS) {
      const expected = verdict(() => parseNameAddr(v, 'SIP_ERR_MALFORMED_TO'));
      const check = (s: string, from: number, to: number): void => {
        checkNameAddrIn(s, from, to, 'SIP_ERR_MALFORMED_TO');
      };
      assert.deepEqual(
        inPlace(v, check),
        SUFFIXES.map(() => expected),
        v,
      );
      assert.equal(
        verdict(() => checkNameAddrField(v)),
        verdict(() => parseNameAddrList([v])),
        v,
      );
      if (expected === 'ok') {
        const tag = checkNameAddrIn(`${PREFIX}${v};tag=after`, PREFIX.length, PREFIX.length + v.length);
        assert.equal(tag, parseNameAddr(v).params.get('tag') ?? undefined, v);
      }
    }
    for (const [v, tag] of [
      ['<sip:a@b.com>;TAG=x1;tag=x2', 'x1'],
      ['<sip:a@b.com;tag=uri>;tag=hdr', 'hdr'],
      ['<sip:a@b.com>;tag;tag=later', undefined],
      ['<sip:a@b.com>;tag="q"', '"q"'],
      ['<sip:a@b.com>;tags=no', undefined],
    ] as const) {
      assert.equal(checkNameAddrIn(v, 0, v.length), tag, v);
      assert.equal(parseNameAddr(v).params.get('tag') ?? undefined, tag, v);
    }
  });

  test('Contact: checkContactIn in place ≡ parseContactList (q and expires included)', () => {
    for (const v of NAME_ADDRS) {
      const expected = verdict(() => parseContactList([v]));
      if (v.indexOf(',') === -1)
        assert.deepEqual(
          inPlace(v, checkContactIn),
          SUFFIXES.map(() => expected),
          v,
        );
      assert.equal(
        verdict(() => checkContactField(v)),
        expected,
        v,
      );
    }
    assert.equal(
      verdict(() => checkContactField('<sip:a@b.com>;q=0.5, <sip:c@d.com>;q=7')),
      'SIP_ERR_MALFORMED_CONTACT',
    );
  });
});

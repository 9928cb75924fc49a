import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SequentialIdSource } from '../../../../../common/ids.ts';
import {
  type CpimMessage,
  emptyCpim,
  parseCpim,
  serializeCpim,
} from '../../../../../domains/simple/payloads/cpim.ts';
import {
  addImdnRequest,
  buildImdnNotification,
  type Disposition,
  type Imdn,
  parseImdn,
  readImdnRequest,
} from '../../../../../domains/simple/payloads/imdn.ts';
import { headerValue } from '../../../../../domains/simple/payloads/mime.ts';
import {
  deliveryReportToImdn,
  imdnToDeliveryReport,
  impsResultToSip,
  messageResponseToCsp,
} from '../../../../../interworking/mapping/message/delivery-report.ts';
import { MESSAGE_ROWS } from '../../../../../interworking/mapping/message/message-rows.ts';
import type { SendMessageRequest } from '../../../../../interworking/mapping/message/message-types.ts';
import { sendMessageToSip } from '../../../../../interworking/mapping/message/send-message-to-sip.ts';
import { sipMessageToImps } from '../../../../../interworking/mapping/message/sip-message-to-imps.ts';

// One case per message row (a row without a case fails): each runs the mapper on the row's
// situation and checks the outcome and the row id it reports.

const NOW = '2026-11-24T04:30:00Z';
const opts = () => ({ ids: new SequentialIdSource('m'), now: NOW });
const harry = 'wv:harry@domain1.lab';
const jane = 'wv:jane@domain2.lab';

function send(
  extra: Partial<NonNullable<SendMessageRequest['messageInfo']>>,
  data: string,
  dr = false,
): SendMessageRequest {
  return {
    deliveryReport: dr,
    messageInfo: {
      contentSize: Buffer.byteLength(data),
      recipient: { users: [{ userId: jane }] },
      sender: { user: { userId: harry } },
      ...extra,
    },
    contentData: data,
  };
}

const incoming = (contentType: string | undefined, body: Buffer | string) => ({
  from: 'sip:jane@domain2.lab',
  to: 'sip:harry@domain1.lab',
  ...(contentType === undefined ? {} : { contentType }),
  body: Buffer.isBuffer(body) ? body : Buffer.from(body),
});

function cpimOf(contentType: string, body: Buffer, imdn?: Disposition[]): Buffer {
  let m: CpimMessage = {
    ...emptyCpim(),
    from: { uri: 'sip:jane@domain2.lab' },
    to: [{ uri: 'sip:harry@domain1.lab' }],
    dateTime: '2026-11-24T04:00:00Z',
    contentHeaders: [['Content-Type', contentType]] as Array<[string, string]>,
    body,
  };
  if (imdn) m = addImdnRequest(m, 'abc123', imdn);
  return serializeCpim(m);
}

const imdnDoc = (status: string, kind = 'delivery'): Imdn => {
  const r = parseImdn(
    `<imdn xmlns="urn:ietf:params:xml:ns:imdn"><message-id>abc123</message-id><datetime>2026-11-24T04:00:00Z</datetime><${kind}-notification><status><${status}/></status></${kind}-notification></imdn>`,
  );
  assert.ok(r.ok);
  return r.value;
};

const info = send({ messageId: 'm-17' }, 'hi').messageInfo!;

const CASES: Record<string, () => string[]> = {
  IM1: () => {
    const r = sendMessageToSip(
      send({ contentType: 'text/plain; charset=iso-8859-1' }, 'Hyvää päivää 🙂'),
      opts(),
    );
    assert.equal(r.messages[0]?.contentType, 'text/plain;charset=UTF-8');
    assert.equal(r.messages[0]?.body.toString('utf8'), 'Hyvää päivää 🙂');
    return r.rows;
  },
  IM2: () => {
    const r = sendMessageToSip(
      send({ contentType: 'image/png', contentEncoding: 'BASE64' }, 'iVBO Rw0K'),
      opts(),
    );
    assert.equal(r.messages[0]?.contentType, 'image/png');
    assert.deepEqual(r.messages[0]?.body, Buffer.from('iVBORw0K', 'base64'));
    return r.rows;
  },
  IM3: () => {
    const plain = sendMessageToSip(send({}, 'report please'), opts());
    assert.equal(plain.messages[0]?.imdnMessageId, undefined);
    assert.equal(plain.messages[0]?.contentType, 'text/plain;charset=UTF-8');
    const withDr = sendMessageToSip({ ...send({}, 'report please'), deliveryReport: true }, opts());
    const m = withDr.messages[0]!;
    assert.equal(m.contentType, 'message/cpim');
    assert.equal(m.imdnMessageId, 'm1');
    const cpim = parseCpim(m.body);
    assert.ok(cpim.ok);
    assert.equal(cpim.value.dateTime, NOW);
    assert.deepEqual(readImdnRequest(cpim.value), {
      messageId: 'm1',
      dispositions: ['positive-delivery', 'negative-delivery'],
      recordRoutes: [],
    });
    assert.equal(cpim.value.body.toString(), 'report please');
    return withDr.rows;
  },
  IM4: () => {
    const r = sendMessageToSip(send({}, 'x'), opts());
    assert.deepEqual(
      { uri: r.messages[0]?.requestUri, from: r.messages[0]?.from, to: r.messages[0]?.to },
      { uri: 'sip:jane@domain2.lab', from: 'sip:harry@domain1.lab', to: 'sip:jane@domain2.lab' },
    );
    return r.rows;
  },
  IM5: () => {
    const req = send({ recipient: { users: [{ userId: jane }, { userId: 'wv:bob@domain2.lab' }] } }, 'all');
    const r = sendMessageToSip(req, opts());
    assert.deepEqual(
      r.messages.map((m) => m.requestUri),
      ['sip:jane@domain2.lab', 'sip:bob@domain2.lab'],
    );
    return r.rows;
  },
  IM6: () => {
    const req = send(
      {
        recipient: {
          users: [{ userId: 'wv:nodomain' }],
          groups: [{ groupId: 'wv:/chat@domain1.lab' }],
          contactLists: ['wv:harry/f@domain1.lab'],
        },
      },
      'x',
    );
    const r = sendMessageToSip(req, opts());
    assert.equal(r.messages.length, 0);
    assert.deepEqual(
      r.failures.map((f) => f.code),
      [405, 405, 531],
    );
    return r.rows;
  },
  IM7: () => sendMessageToSip(send({ validity: 3600 }, 'x'), opts()).rows,
  IN1: () => {
    const r = sipMessageToImps(incoming('text/plain; charset=ISO-8859-1', Buffer.from([0x48, 0xe4, 0x69])));
    assert.equal(r.kind, 'message');
    if (r.kind !== 'message') return [];
    assert.equal(r.request.contentData, 'Häi');
    assert.equal(r.request.messageInfo?.contentType, 'text/plain');
    assert.equal(r.request.messageInfo?.contentSize, 4);
    assert.equal(r.request.messageInfo?.sender?.user?.userId, jane);
    assert.deepEqual(r.request.messageInfo?.recipient?.users, [{ userId: harry }]);
    const bad = sipMessageToImps(incoming('text/plain;charset=x-nonesuch', 'a'));
    assert.equal(bad.kind === 'refused' && bad.refusal.status, 415);
    const invalid = sipMessageToImps(incoming('text/plain;charset=utf-8', Buffer.from([0xff, 0xfe, 0x41])));
    assert.equal(invalid.kind === 'refused' && invalid.refusal.status, 400);
    return r.rows;
  },
  IN2: () => {
    const r = sipMessageToImps(incoming('image/gif', Buffer.from('GIF89a')));
    assert.ok(r.kind === 'message');
    assert.equal(r.request.messageInfo?.contentEncoding, 'BASE64');
    assert.equal(r.request.contentData, Buffer.from('GIF89a').toString('base64'));
    const refused = sipMessageToImps(incoming('image/gif', 'GIF89a'), {
      acceptedContentTypes: ['text/plain'],
    });
    assert.ok(refused.kind === 'refused');
    assert.deepEqual(refused.refusal, {
      status: 415,
      reason: 'Unsupported Media Type',
      accept: 'text/plain',
    });
    return r.rows;
  },
  IN3: () => {
    const r = sipMessageToImps(
      incoming('message/cpim', cpimOf('text/plain; charset=utf-8', Buffer.from('Moi'))),
    );
    assert.ok(r.kind === 'message');
    assert.equal(r.request.contentData, 'Moi');
    assert.equal(r.request.messageInfo?.dateTime, '2026-11-24T04:00:00Z');
    assert.equal(r.request.deliveryReport, false);
    return r.rows;
  },
  IN4: () => {
    const r = sipMessageToImps(
      incoming('message/cpim', cpimOf('text/plain', Buffer.from('ack?'), ['positive-delivery', 'display'])),
    );
    assert.ok(r.kind === 'message');
    assert.equal(r.request.deliveryReport, true);
    assert.equal(r.imdn?.messageId, 'abc123');
    return r.rows;
  },
  IN5: () => {
    const note = buildImdnNotification({
      from: { uri: 'sip:jane@domain2.lab' },
      to: { uri: 'sip:harry@domain1.lab' },
      dateTime: NOW,
      notificationMessageId: 'n1',
      imdn: imdnDoc('delivered'),
    });
    const r = sipMessageToImps(incoming('message/cpim', serializeCpim(note)));
    assert.ok(r.kind === 'imdn');
    assert.equal(r.imdn.messageId, 'abc123');
    return r.rows;
  },
  IN6: () => sipMessageToImps(incoming('application/im-iscomposing+xml', '<isComposing/>')).rows,
  IN7: () => {
    const malformed = sipMessageToImps(incoming('message/cpim', 'no headers here'));
    assert.ok(malformed.kind === 'refused' && malformed.refusal.status === 400);
    const unknown = sipMessageToImps({ ...incoming('text/plain', 'x'), to: 'sip:domain1.lab' });
    assert.ok(unknown.kind === 'refused' && unknown.refusal.status === 404);
    return malformed.rows;
  },
  DR1: () => {
    const r = imdnToDeliveryReport(imdnDoc('delivered'), info, NOW);
    assert.deepEqual(r.value, {
      result: { code: 200, description: 'Successful' },
      deliveryTime: NOW,
      messageInfo: info,
    });
    return [r.row];
  },
  DR2: () => {
    const r = imdnToDeliveryReport(imdnDoc('failed'), info, NOW);
    assert.equal(r.value?.result?.code, 410);
    return [r.row];
  },
  DR3: () => {
    const r = imdnToDeliveryReport(imdnDoc('forbidden'), info, NOW);
    assert.equal(r.value?.result?.code, 532);
    return [r.row];
  },
  DR4: () => {
    const r = imdnToDeliveryReport(imdnDoc('error'), info, NOW);
    assert.equal(r.value?.result?.code, 500);
    return [r.row];
  },
  DR5: () => {
    const r = imdnToDeliveryReport(imdnDoc('displayed', 'display'), info, NOW);
    assert.equal(r.value, undefined);
    return [r.row];
  },
  DR6: () => {
    const link = {
      imdnMessageId: 'abc123',
      dateTime: '2026-11-24T04:00:00Z',
      dispositions: ['positive-delivery' as const],
      sender: 'sip:jane@domain2.lab',
      recipient: 'sip:harry@domain1.lab',
    };
    const r = deliveryReportToImdn({ result: { code: 200 }, deliveryTime: NOW }, link, {
      ids: new SequentialIdSource('n'),
    });
    assert.ok(r.value);
    assert.deepEqual(r.value.to, [{ uri: 'sip:jane@domain2.lab' }]);
    assert.equal(headerValue(r.value.contentHeaders, 'Content-Disposition'), 'notification');
    const imdn = parseImdn(r.value.body);
    assert.ok(imdn.ok);
    assert.deepEqual(imdn.value.notification, { kind: 'delivery', status: 'delivered' });
    assert.equal(imdn.value.messageId, 'abc123');
    // Failure not asked for (only positive-delivery) → nothing sent.
    assert.equal(
      deliveryReportToImdn({ result: { code: 533 } }, link, { ids: new SequentialIdSource('n') }).value,
      undefined,
    );
    return [r.row];
  },
  DR7: () => failureImdn(533, 'failed'),
  DR8: () => failureImdn(532, 'forbidden'),
  DR9: () => failureImdn(400, 'error'),
  X1: () => {
    const r = messageResponseToCsp(200, true);
    assert.deepEqual(r.result, { code: 200, text: 'Successful', row: 'E1' });
    assert.deepEqual(r.reportNow, { code: 200, description: 'Successful' });
    assert.equal(messageResponseToCsp(200, false).reportNow, undefined);
    return r.rows;
  },
  X2: () => {
    const r = messageResponseToCsp(202, true);
    assert.equal(r.result.code, 200);
    assert.equal(r.reportNow, undefined);
    assert.ok(r.rows.includes('E2'));
    return r.rows;
  },
  X3: () => {
    const offline = messageResponseToCsp(480, true);
    assert.equal(offline.result.code, 533);
    assert.equal(messageResponseToCsp(404, false).result.code, 531);
    return offline.rows;
  },
  X4: () => {
    const r = impsResultToSip(200);
    assert.equal(r.status.code, 200);
    return r.rows;
  },
  X5: () => {
    const r = impsResultToSip(202);
    assert.equal(r.status.code, 202);
    return r.rows;
  },
  X6: () => {
    assert.equal(impsResultToSip(531).status.code, 404);
    const r = impsResultToSip(533);
    assert.equal(r.status.code, 480);
    assert.ok(r.rows.includes('C19'));
    return r.rows;
  },
};

function failureImdn(code: number, status: string): string[] {
  const link = {
    imdnMessageId: 'abc123',
    dateTime: '2026-11-24T04:00:00Z',
    dispositions: ['negative-delivery' as const],
    sender: 'sip:jane@domain2.lab',
    recipient: 'sip:harry@domain1.lab',
  };
  const r = deliveryReportToImdn({ result: { code } }, link, { ids: new SequentialIdSource('n') });
  assert.ok(r.value);
  const imdn = parseImdn(r.value.body);
  assert.ok(imdn.ok);
  assert.deepEqual(imdn.value.notification, { kind: 'delivery', status });
  return [r.row];
}

describe('message mapping rows', () => {
  for (const row of MESSAGE_ROWS) {
    it(`${row.id} ${row.direction}: ${row.imps} ⇄ ${row.simple}`, () => {
      const run = CASES[row.id];
      assert.ok(run, `row ${row.id} has no test case`);
      const rows = run();
      assert.ok(rows.includes(row.id), `row ${row.id} not reported (got ${rows.join(',')})`);
    });
  }

  it('UTF-8 text survives IMPS → SIMPLE → IMPS byte for byte', () => {
    const text = 'Ääkköset, 日本語, emoji 🙂, CR\r\nLF';
    const out = sendMessageToSip({ ...send({}, text), deliveryReport: true }, opts()).messages[0]!;
    const back = sipMessageToImps({
      from: out.from,
      to: out.to,
      contentType: out.contentType,
      body: out.body,
    });
    assert.ok(back.kind === 'message');
    assert.equal(back.request.contentData, text);
    assert.equal(back.request.deliveryReport, true);
  });
});

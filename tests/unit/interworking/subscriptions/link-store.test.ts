import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Dialog } from '../../../../domains/simple/sip/core/index.ts';
import { SipHeaders, SipRequest, SipResponse } from '../../../../domains/simple/sip/message/sip-message.ts';
import { parseUri } from '../../../../domains/simple/sip/message/uri-codec.ts';
import { asMessageId, asWv, impsWatchId } from '../../../../interworking/core/ids.ts';
import {
  type ImpsWatchLink,
  LinkStore,
  loadDialog,
  storeDialog,
} from '../../../../interworking/subscriptions/link-store.ts';

const dir = mkdtempSync(join(tmpdir(), 'links-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function uacDialog(): Dialog {
  const h = new SipHeaders();
  h.append('From', '<sip:harry@domain1.lab>;tag=f1');
  h.append('To', '<sip:jane@domain2.lab>');
  h.append('Call-ID', 'call-1@127.0.3.1');
  h.append('CSeq', '7 SUBSCRIBE');
  h.append('Contact', '<sip:127.0.3.1:5060>');
  const request = new SipRequest('SUBSCRIBE', parseUri('sip:jane@domain2.lab'), h);
  const rh = new SipHeaders();
  rh.append('From', '<sip:harry@domain1.lab>;tag=f1');
  rh.append('To', '<sip:jane@domain2.lab>;tag=t9');
  rh.append('Call-ID', 'call-1@127.0.3.1');
  rh.append('CSeq', '7 SUBSCRIBE');
  rh.append('Contact', '<sip:127.0.2.1:5060;transport=tcp>');
  rh.append('Record-Route', '<sip:127.0.2.1;lr>, <sip:127.0.4.1;lr>');
  return Dialog.asUac(request, new SipResponse(200, 'OK', rh), '<sip:127.0.3.1:5060>');
}

describe('dialog state codec', () => {
  it('stores every RFC 3261 §12 field as text and loads the same dialog back', () => {
    const d = uacDialog();
    const stored = storeDialog(d.state);
    assert.deepEqual(JSON.parse(JSON.stringify(stored)), stored, 'plain JSON');
    assert.deepEqual(stored.routeSet, ['<sip:127.0.4.1;lr>', '<sip:127.0.2.1;lr>']);
    assert.equal(stored.remoteSeq, null);
    const back = loadDialog(stored)!;
    assert.ok(back);
    const again = new Dialog(back);
    assert.equal(again.id, d.id);
    const a = d.createRequest('SUBSCRIBE');
    const b = again.createRequest('SUBSCRIBE');
    for (const name of ['Route', 'From', 'To', 'Call-ID', 'CSeq', 'Contact'])
      assert.deepEqual(b.headers.getFields(name), a.headers.getFields(name), name);
    assert.deepEqual(b.uri, a.uri);
  });

  it('a stored dialog that no longer parses loads as undefined (the caller subscribes afresh)', () => {
    const stored = { ...storeDialog(uacDialog().state), remoteTarget: 'not a uri' };
    assert.equal(loadDialog(stored), undefined);
  });
});

describe('LinkStore', () => {
  it('keeps typed links across instances over the same file', async () => {
    const path = join(dir, 'a.jsonl');
    const id = impsWatchId(asWv('wv:harry@domain1.lab'), asWv('wv:jane@domain2.lab'));
    const link: ImpsWatchLink = {
      kind: 'imps-watch',
      id,
      watcher: asWv('wv:harry@domain1.lab'),
      target: asWv('wv:jane@domain2.lab'),
      sipState: 'active',
      dialog: uacDialog().state,
      last: { statusText: { qualifier: true, presenceValue: 'here' } },
    };
    const a = new LinkStore(path);
    a.open();
    a.put(link);
    a.put({ kind: 'im', id: asMessageId('m1'), direction: 'imps→sip', payload: { x: 1 }, acceptedAt: 5 });
    a.put({ kind: 'report', id: asMessageId('r1'), direction: 'sip→imps', data: {}, createdAt: 6 });
    a.delete('report', 'r1');
    await a.durable();
    // On disk the live dialog state is a StoredDialog: texts only.
    const line = readFileSync(path, 'utf8')
      .split('\n')
      .find((l) => l.includes('"sub:'));
    const written = JSON.parse(line ?? '{}').value.dialog;
    assert.deepEqual(written, JSON.parse(JSON.stringify(storeDialog(link.dialog!))));
    assert.deepEqual(written.routeSet, ['<sip:127.0.4.1;lr>', '<sip:127.0.2.1;lr>']);
    const b = new LinkStore(path);
    b.open();
    assert.deepEqual(b.subscription(id), link);
    assert.equal(b.subscription(id)?.dialog?.routeSet[0]?.uri.scheme, 'sip', 'read back as live state');
    assert.equal(b.all('im').length, 1);
    assert.equal(b.report('r1'), undefined);
    assert.equal(b.all('imps-watch')[0]?.last?.statusText?.presenceValue, 'here');
    a.close();
    b.close();
  });

  it('without a path it is memory only', () => {
    const s = new LinkStore(undefined);
    s.open();
    s.put({ kind: 'im', id: asMessageId('m'), direction: 'sip→imps', payload: {}, acceptedAt: 0 });
    assert.equal(s.size, 1);
  });
});

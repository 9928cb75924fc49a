// Domain1 e2e: contact lists (nicknames, properties, the default list, members of other domains)
// with AutoSubscribe; IM online (push and notify/get) and offline, delivery reports, rejection,
// Validity expiry.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManualClock } from '../../../common/manual-clock.ts';
import type { PresenceEvent } from '../../../domains/imps/client/imps-client.ts';
import { resultOf } from '../../../domains/imps/client/imps-client.ts';
import type { MessageInfo, Result } from '../../../domains/imps/csp/model/common-structs.ts';
import { collect, next, ps1PerTest, settle } from './harness.ts';

const HARRY = 'wv:harry@domain1.lab';
const SALLY = 'wv:sally@domain1.lab';
const TOM = 'wv:tom@domain1.lab';
const FRIENDS = 'wv:harry/friends@domain1.lab';

interface Msg {
  info: MessageInfo;
  content: string;
}
interface Report {
  info: MessageInfo;
  result: Result;
}

describe('PS1 contact lists and IM', () => {
  let clock: ManualClock | undefined;
  const lab = ps1PerTest(() => {
    clock = new ManualClock();
    return { clock };
  });
  const { login } = lab;

  it('CreateList, ListManage with nicknames and properties, the default list, GetList, DeleteList', async () => {
    const harry = await login('harry');
    await harry.createList(FRIENDS, {
      members: [
        { userId: SALLY, name: 'Sal' },
        { userId: 'wv:jane@domain2.lab', name: 'Jane' },
      ],
      displayName: 'Friends',
    });
    await harry.createList('wv:harry/work@domain1.lab');
    const lists = await harry.getList();
    assert.equal(lists.body.defaultContactList, FRIENDS, 'the first list is the default');
    assert.deepEqual(lists.body.contactLists, ['wv:harry/work@domain1.lab']);
    const m = await harry.listManage(FRIENDS, {
      add: [{ userId: TOM }],
      remove: [SALLY],
      makeDefault: false,
    });
    assert.deepEqual(
      m.body.nickList?.nickNames?.map((n) => n.userId),
      ['wv:jane@domain2.lab', TOM],
    );
    assert.equal(m.body.nickList?.nickNames?.[0]?.name, 'Jane');
    const props = Object.fromEntries(
      (m.body.contactListProperties?.properties ?? []).map((p) => [p.name, p.value]),
    );
    assert.deepEqual(props, { DisplayName: 'Friends', Default: 'F' });
    assert.equal((await harry.getList()).body.defaultContactList, 'wv:harry/work@domain1.lab');
    await assert.rejects(harry.createList(FRIENDS), (e: { result: Result }) => e.result.code === 701);
    await harry.deleteList(FRIENDS);
    await assert.rejects(harry.deleteList(FRIENDS), (e: { result: Result }) => e.result.code === 700);
    await assert.rejects(
      harry.listManage('wv:harry/x@domain1.lab', { displayName: 'y' }),
      (e: { result: Result }) => e.result.code === 700,
    );
  });

  it('AutoSubscribe on a contact list follows ListManage adds and removes', async () => {
    const sally = await login('sally');
    await sally.createAttributeList({ attributes: ['OnlineStatus', 'StatusText'], defaultList: true });
    await sally.updatePresence({ statusText: { qualifier: true, presenceValue: 'sally here' } });
    const tom = await login('tom');
    await tom.createAttributeList({ attributes: ['OnlineStatus', 'StatusText'], defaultList: true });
    const harry = await login('harry');
    await harry.createList(FRIENDS, { members: [{ userId: SALLY }] });
    const fromSally = next<PresenceEvent>(harry, 'presence', (p) => p.userId === SALLY);
    const r = await harry.subscribe({
      contactLists: [FRIENDS],
      autoSubscribe: true,
      attributes: ['StatusText'],
    });
    assert.equal(resultOf(r).code, 200);
    await fromSally;
    const fromTom = next<PresenceEvent>(harry, 'presence', (p) => p.userId === TOM);
    await tom.updatePresence({ statusText: { qualifier: true, presenceValue: 'tom here' } });
    await harry.listManage(FRIENDS, { add: [{ userId: TOM }] });
    assert.equal((await fromTom).presenceSubList.statusText?.presenceValue, 'tom here');
    await harry.listManage(FRIENDS, { remove: [SALLY] });
    const seen = collect<PresenceEvent>(harry, 'presence');
    await sally.updatePresence({ statusText: { qualifier: true, presenceValue: 'gone?' } });
    await settle(200);
    assert.equal(seen.length, 0, 'no notification for a removed member');
    assert.deepEqual(lab.server.core.presence.watchersOf(TOM), [HARRY]);
  });

  it('IM to an online user (push): NewMessage, MessageDelivered and a delivery report', async () => {
    const sally = await login('sally');
    const harry = await login('harry');
    const got = next<Msg>(sally, 'message');
    const report = next<Report>(harry, 'deliveryReport');
    const r = await harry.sendMessage([SALLY], 'hello Sally', { deliveryReport: true });
    assert.equal(resultOf(r).code, 200);
    const m = await got;
    assert.equal(m.content, 'hello Sally');
    assert.equal(m.info.sender?.user?.userId, HARRY);
    assert.equal(m.info.messageId, r.body.messageId);
    const rep = await report;
    assert.equal(rep.result.code, 200);
    assert.equal(rep.info.messageId, r.body.messageId);
    assert.equal(lab.server.core.messages.pendingFor(SALLY).length, 0);
  });

  it('IM notify/get: MessageNotification, GetMessage, MessageDelivered; RejectMessage reports 538', async () => {
    const sally = await login('sally', { deliveryMethod: 'N' });
    const harry = await login('harry');
    const note = next<{ info: MessageInfo }>(sally, 'messageNotification');
    const r = await harry.sendMessage([SALLY], 'fetch me', { deliveryReport: true });
    const n = await note;
    const list = await sally.getMessageList();
    assert.equal(list.body.messageInfos?.length, 1);
    const fetched = await sally.getMessage(n.info.messageId!);
    assert.equal(fetched.body.contentData, 'fetch me');
    const report = next<Report>(harry, 'deliveryReport');
    await sally.messageDelivered(r.body.messageId!);
    assert.equal((await report).result.code, 200);
    const second = next<{ info: MessageInfo }>(sally, 'messageNotification');
    const r2 = await harry.sendMessage([SALLY], 'unwanted', { deliveryReport: true });
    await second;
    const rejected = next<Report>(harry, 'deliveryReport');
    await sally.rejectMessage([r2.body.messageId!]);
    assert.equal((await rejected).result.code, 538);
    await assert.rejects(sally.getMessage('nope'), (e: { result: Result }) => e.result.code === 426);
  });

  it('offline messages are stored and delivered at login; Validity expiry reports 542', async () => {
    const harry = await login('harry');
    const r = await harry.sendMessage([SALLY], 'while you were out', { deliveryReport: true });
    assert.equal(resultOf(r).code, 200);
    const doomed = await harry.sendMessage([TOM], 'short-lived', { deliveryReport: true, validity: 60 });
    assert.equal(resultOf(doomed).code, 200);
    const sally = lab.client('sally');
    const got = next<Msg>(sally, 'message');
    await sally.login();
    assert.equal((await got).content, 'while you were out');
    const expired = next<Report>(harry, 'deliveryReport', (x) => x.result.code === 542);
    clock!.advance(61_000);
    assert.equal((await expired).info.messageId, doomed.body.messageId);
    assert.equal(lab.server.core.messages.pendingFor(TOM).length, 0);
  });

  it('IM errors: unknown user 531, unrouted domain 516, blocked 532, several recipients 201', async () => {
    const sally = await login('sally');
    await sally.blockEntity({ block: [HARRY], blockInUse: true });
    const harry = await login('harry');
    assert.equal(resultOf(await harry.sendMessage(['wv:nobody@domain1.lab'], 'x')).code, 531);
    assert.equal(resultOf(await harry.sendMessage(['wv:x@nowhere.lab'], 'x')).code, 516);
    assert.equal(resultOf(await harry.sendMessage([SALLY], 'x')).code, 532);
    const multi = await harry.sendMessage([TOM, 'wv:nobody@domain1.lab'], 'x');
    assert.equal(resultOf(multi).code, 201);
    assert.deepEqual(
      resultOf(multi).detailedResults?.map((d) => d.code),
      [531],
    );
    assert.ok(multi.body.messageId);
  });
});

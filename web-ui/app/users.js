// One panel per simulated user: session, presence editor, buddy list with live presence,
// pending authorizations, watchers, chat with per-message delivery state. Every action is one
// call of the console's lab API, which forwards it to the user's terminal (control API).
import { api, clear, displayName, h } from './dom.js';

const AVAILABILITY = ['available', 'discreet', 'not-available'];
const MOODS = ['', 'happy', 'sad', 'angry', 'bored', 'excited', 'sleepy', 'stressed'];
const ACTIVITIES = ['', 'busy', 'meeting', 'on-the-phone', 'lunch', 'travel', 'vacation', 'working'];
const ATTRIBUTES = ['availability', 'note', 'activities', 'mood', 'placeType', 'statusIcon'];

let uid = 0;
const nextId = (what) => `${what}-${++uid}`;

function labelled(label, control) {
  return [h('label', { for: control.id }, label), control];
}

function select(id, values, selected) {
  return h(
    'select',
    { id },
    values.map((v) => h('option', { value: v, selected: v === selected }, v === '' ? '(none)' : v)),
  );
}

function presenceText(p) {
  if (!p) return 'no presence yet';
  const parts = [p.basic === 'open' ? 'online' : p.basic === 'closed' ? 'offline' : 'unknown'];
  if (p.availability) parts.push(p.availability);
  if (p.activities?.length) parts.push(p.activities.join(', '));
  if (p.mood?.length) parts.push(`mood ${p.mood.join(', ')}`);
  if (p.note) parts.push(`“${p.note}”`);
  if (p.network?.accessType)
    parts.push(`network ${p.network.accessType}${p.network.visited ? ` (${p.network.visited})` : ''}`);
  return parts.join(' · ');
}

export class UserPanel {
  /**
   * @param terminal the terminal as the console lists it (node, user, protocol, csp …)
   * @param peers every terminal of the topology (offered as buddy and chat addresses)
   */
  constructor(terminal, peers) {
    this.t = terminal;
    this.name = displayName(terminal.node);
    // Delivery events (delivered/failed/displayed) win over the send answer (sent/stored): the
    // event can arrive before the answer does.
    this.delivery = new Map();
    this.accepted = new Map();
    this.state = undefined;
    this.refreshTimer = undefined;
    const ids = {
      password: nextId('password'),
      via: nextId('via'),
      online: nextId('online'),
      availability: nextId('availability'),
      note: nextId('note'),
      mood: nextId('mood'),
      activity: nextId('activity'),
      place: nextId('place'),
      buddy: nextId('buddy'),
      peers: nextId('peers'),
      onlyChanges: nextId('only-changes'),
      list: nextId('list'),
      allow: nextId('allow'),
      to: nextId('to'),
      text: nextId('text'),
      report: nextId('report'),
    };
    this.ids = ids;
    const peerList = h(
      'datalist',
      { id: ids.peers },
      peers.filter((p) => p.node !== terminal.node).map((p) => h('option', { value: p.user })),
    );
    const protocol =
      terminal.protocol === 'imps'
        ? `IMPS · CSP ${terminal.csp?.version ?? '1.2'} · ${(terminal.csp?.encoding ?? 'xml').toUpperCase()}`
        : 'SIMPLE · SIP';
    this.status = h('p', { role: 'status', class: 'state-out' }, 'logged out');
    this.error = h('p', { role: 'alert', class: 'error' });
    this.buddies = h('ul', { class: 'list', 'aria-label': `${this.name}'s buddy list` });
    this.pending = h('ul', { class: 'list', 'aria-label': `${this.name}'s pending authorizations` });
    this.watchers = h('ul', { class: 'list', 'aria-label': `${this.name}'s watchers` });
    this.chat = h('ol', {
      class: 'list chat',
      'aria-label': `${this.name}'s messages`,
      'aria-live': 'polite',
    });
    this.myPresence = h('p', { class: 'addr' });
    const attrBoxes = ATTRIBUTES.map((a) => {
      const id = nextId(`attr-${a}`);
      return h(
        'span',
        {},
        h('input', { type: 'checkbox', id, value: a, checked: true }),
        h('label', { for: id }, a),
      );
    });
    this.attrBoxes = attrBoxes.map((s) => s.querySelector('input'));

    this.element = h(
      'section',
      { class: `panel ${terminal.protocol}`, 'aria-label': this.name, 'data-node': terminal.node },
      h(
        'header',
        {},
        h('h3', {}, this.name),
        h('span', { class: 'addr' }, terminal.user),
        h('span', { class: 'badge' }, protocol),
      ),
      this.status,
      this.error,
      peerList,
      h(
        'fieldset',
        {},
        h('legend', {}, 'Session'),
        h(
          'div',
          { class: 'row' },
          ...labelled(
            'Password',
            h('input', { id: ids.password, type: 'password', autocomplete: 'off', placeholder: 'default' }),
          ),
          ...labelled(
            'Network',
            h(
              'select',
              { id: ids.via },
              h('option', { value: 'home' }, 'home'),
              h('option', { value: 'visited' }, 'roaming (visited network)'),
            ),
          ),
        ),
        h(
          'div',
          { class: 'row' },
          h('button', { type: 'button', class: 'primary', onclick: () => this.login() }, 'Log in'),
          h('button', { type: 'button', onclick: () => this.act('logout', {}) }, 'Log out'),
        ),
      ),
      h(
        'fieldset',
        {},
        h('legend', {}, 'My presence'),
        this.myPresence,
        h(
          'div',
          { class: 'row' },
          h('input', { type: 'checkbox', id: ids.online, checked: true }),
          h('label', { for: ids.online }, 'Online'),
          ...labelled('Availability', select(ids.availability, AVAILABILITY, 'available')),
        ),
        h(
          'div',
          { class: 'row' },
          ...labelled('Note', h('input', { id: ids.note, type: 'text', maxlength: 200 })),
        ),
        h(
          'div',
          { class: 'row' },
          ...labelled('Mood', select(ids.mood, MOODS, '')),
          ...labelled('Activity', select(ids.activity, ACTIVITIES, '')),
          ...labelled('Place', h('input', { id: ids.place, type: 'text', size: 8, maxlength: 40 })),
        ),
        h('button', { type: 'button', onclick: () => this.publish() }, 'Publish presence'),
      ),
      h(
        'fieldset',
        {},
        h('legend', {}, 'Buddies'),
        h(
          'div',
          { class: 'row' },
          ...labelled(
            'Buddy address',
            h('input', { id: ids.buddy, type: 'text', list: ids.peers, size: 24 }),
          ),
          h('button', { type: 'button', onclick: () => this.subscribe() }, 'Subscribe'),
        ),
        h(
          'div',
          { class: 'row' },
          h('input', { type: 'checkbox', id: ids.list }),
          h('label', { for: ids.list }, 'it is a buddy list (RLS list / contact list)'),
        ),
        h(
          'details',
          {},
          h('summary', {}, 'Attributes to subscribe to'),
          h('div', { class: 'row' }, attrBoxes),
          h(
            'div',
            { class: 'row' },
            h('input', { type: 'checkbox', id: ids.onlyChanges }),
            h('label', { for: ids.onlyChanges }, 'only changes'),
          ),
        ),
        this.buddies,
      ),
      h('fieldset', {}, h('legend', {}, 'Pending authorizations'), this.pending),
      h(
        'fieldset',
        {},
        h('legend', {}, 'Watchers'),
        h(
          'div',
          { class: 'row' },
          ...labelled(
            'Watcher address',
            h('input', { id: ids.allow, type: 'text', list: ids.peers, size: 22 }),
          ),
          h('button', { type: 'button', onclick: () => this.authorizeTyped('approve') }, 'Allow'),
          h('button', { type: 'button', onclick: () => this.authorizeTyped('deny') }, 'Block'),
        ),
        this.watchers,
      ),
      h(
        'fieldset',
        {},
        h('legend', {}, 'Chat'),
        h(
          'div',
          { class: 'row' },
          ...labelled('To', h('input', { id: ids.to, type: 'text', list: ids.peers, size: 22 })),
          h('input', { type: 'checkbox', id: ids.report, checked: true }),
          h('label', { for: ids.report }, 'Delivery report'),
        ),
        h(
          'form',
          {
            class: 'row',
            onsubmit: (e) => {
              e.preventDefault();
              void this.send();
            },
          },
          ...labelled('Message', h('input', { id: ids.text, type: 'text', size: 28, maxlength: 2000 })),
          h('button', { type: 'submit' }, 'Send'),
        ),
        this.chat,
      ),
    );
  }

  field(name) {
    return this.element.querySelector(`#${this.ids[name]}`);
  }

  async act(action, body) {
    this.error.textContent = '';
    try {
      const answer = await api('POST', `/users/${encodeURIComponent(this.t.node)}/${action}`, body);
      this.scheduleRefresh(0);
      return answer;
    } catch (error) {
      this.error.textContent = `${action} failed — ${error.message}`;
      return undefined;
    }
  }

  login() {
    const password = this.field('password').value;
    return this.act('login', { ...(password ? { password } : {}), via: this.field('via').value });
  }

  publish() {
    const mood = this.field('mood').value;
    const activity = this.field('activity').value;
    const note = this.field('note').value.trim();
    const place = this.field('place').value.trim();
    return this.act('presence', {
      basic: this.field('online').checked ? 'open' : 'closed',
      availability: this.field('availability').value,
      ...(note ? { note } : {}),
      ...(mood ? { mood: [mood] } : {}),
      ...(activity ? { activities: [activity] } : {}),
      ...(place ? { placeType: place } : {}),
    });
  }

  subscribe() {
    const target = this.field('buddy').value.trim();
    if (!target) {
      this.error.textContent = 'subscribe: type a buddy address first';
      return undefined;
    }
    const chosen = this.attrBoxes.filter((b) => b.checked).map((b) => b.value);
    const subset = chosen.length < this.attrBoxes.length;
    const onlyChanges = this.field('onlyChanges').checked;
    return this.act('subscribe', {
      target,
      ...(this.field('list').checked ? { list: true } : {}),
      ...(subset ? { attributes: chosen } : {}),
      ...(onlyChanges ? { onlyChanges: true } : {}),
    });
  }

  /** Proactive authorization: a rule for a watcher before (or without) any request. */
  authorizeTyped(decision) {
    const watcher = this.field('allow').value.trim();
    if (!watcher) {
      this.error.textContent = 'authorize: type a watcher address first';
      return undefined;
    }
    return this.act('authorize', { watcher, decision });
  }

  async send() {
    const to = this.field('to').value.trim();
    const input = this.field('text');
    const text = input.value;
    if (!to || !text) {
      this.error.textContent = 'send: type an address and a message';
      return;
    }
    const answer = await this.act('message', { to, text, deliveryReport: this.field('report').checked });
    if (answer?.id) {
      this.accepted.set(answer.id, answer.status);
      input.value = '';
    }
  }

  /** An event from the user's terminal (control API event stream). */
  onEvent(event) {
    if (event.type === 'delivery' && event.id) this.delivery.set(event.id, event.status);
    if (event.type === 'error') this.error.textContent = `${event.code}: ${event.message}`;
    if (event.type === 'hello' && event.state) this.render(event.state);
    else this.scheduleRefresh(50);
  }

  scheduleRefresh(delayMs = 100) {
    clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => void this.refresh(), delayMs);
  }

  async refresh() {
    try {
      const answer = await api('GET', `/users/${encodeURIComponent(this.t.node)}/state`);
      this.render(answer.state);
    } catch (error) {
      this.status.textContent = `terminal unreachable — ${error.message}`;
      this.status.className = 'state-out';
    }
  }

  render(state) {
    this.state = state;
    this.status.textContent = state.loggedIn
      ? `logged in (${state.via === 'visited' ? 'roaming' : 'home'})`
      : 'logged out';
    this.status.className = state.loggedIn ? 'state-in' : 'state-out';
    this.myPresence.textContent = `Published: ${state.presence ? presenceText(state.presence) : 'nothing yet'}`;

    clear(this.buddies);
    for (const s of state.subscriptions ?? []) {
      const rows = s.kind === 'list' && s.members ? s.members : [s];
      for (const m of rows) {
        const basic = m.presence?.basic;
        this.buddies.append(
          h(
            'li',
            { 'data-target': m.target },
            h('span', {}, h('strong', {}, m.target), ` — ${m.state}`),
            h(
              'span',
              { class: basic === 'open' ? 'presence-open' : basic === 'closed' ? 'presence-closed' : '' },
              presenceText(m.presence),
            ),
            h(
              'button',
              {
                type: 'button',
                'aria-label': `Unsubscribe ${m.target}`,
                onclick: () => this.act('unsubscribe', { target: s.target }),
              },
              'Unsubscribe',
            ),
          ),
        );
      }
    }
    if (!this.buddies.firstChild) this.buddies.append(h('li', { class: 'empty' }, 'no subscriptions'));

    clear(this.pending);
    clear(this.watchers);
    for (const w of state.watchers ?? []) {
      if (w.status === 'pending' || w.status === 'waiting') {
        this.pending.append(
          h(
            'li',
            { 'data-watcher': w.watcher },
            h('span', {}, w.watcher),
            h(
              'span',
              {},
              h(
                'button',
                {
                  type: 'button',
                  class: 'primary',
                  'aria-label': `Approve ${w.watcher}`,
                  onclick: () => this.act('authorize', { watcher: w.watcher, decision: 'approve' }),
                },
                'Approve',
              ),
              ' ',
              h(
                'button',
                {
                  type: 'button',
                  'aria-label': `Deny ${w.watcher}`,
                  onclick: () => this.act('authorize', { watcher: w.watcher, decision: 'deny' }),
                },
                'Deny',
              ),
            ),
          ),
        );
      } else {
        this.watchers.append(
          h(
            'li',
            { 'data-watcher': w.watcher },
            h('span', {}, `${w.watcher} — ${w.status}`),
            h(
              'button',
              {
                type: 'button',
                'aria-label': `Revoke ${w.watcher}`,
                onclick: () => this.act('revoke', { watcher: w.watcher }),
              },
              'Revoke',
            ),
          ),
        );
      }
    }
    for (const a of state.authorizations ?? []) {
      if ((state.watchers ?? []).some((w) => w.watcher === a.watcher && w.status !== 'pending')) continue;
      this.watchers.append(
        h(
          'li',
          { 'data-watcher': a.watcher },
          h('span', {}, `${a.watcher} — rule: ${a.decision}`),
          h(
            'button',
            {
              type: 'button',
              'aria-label': `Revoke ${a.watcher}`,
              onclick: () => this.act('revoke', { watcher: a.watcher }),
            },
            'Revoke',
          ),
        ),
      );
    }
    if (!this.pending.firstChild) this.pending.append(h('li', { class: 'empty' }, 'none'));
    if (!this.watchers.firstChild) this.watchers.append(h('li', { class: 'empty' }, 'none'));

    clear(this.chat);
    for (const m of state.messages ?? []) {
      const status =
        m.direction === 'out'
          ? (this.delivery.get(m.id) ?? this.accepted.get(m.id) ?? m.status ?? 'sent')
          : undefined;
      this.chat.append(
        h(
          'li',
          { class: `msg-${m.direction}`, 'data-id': m.id },
          h('span', {}, m.direction === 'out' ? `to ${m.peer}: ` : `from ${m.peer}: `, h('q', {}, m.text)),
          status ? h('span', { class: `delivery delivery-${status}` }, status) : null,
        ),
      );
    }
    if (!this.chat.firstChild) this.chat.append(h('li', { class: 'empty' }, 'no messages'));
  }
}

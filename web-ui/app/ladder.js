// The live ladder: a column per node (Harry | PS1 | visited | IWF | PS2 | Jane …), one arrow per
// message crossing, filtered by user and protocol. Each arrow is a focusable button: Enter,
// Space or a click opens the inspector with the raw message, its timing and mapping rows.
import { api, clear, displayName, h } from './dom.js';

const COL_W = 118;
const ROW_H = 24;
const LEFT = 66;
const TOP = 34;
/** Arrows drawn at most (the latest); the export holds everything. */
const MAX_DRAWN = 600;

export class Ladder {
  constructor(view, count, inspector) {
    this.view = view;
    this.count = count;
    this.inspector = inspector;
    this.rows = [];
    this.total = 0;
    this.columns = [];
    this.terminals = [];
    this.filter = { user: '', protocol: '' };
    this.selected = undefined;
  }

  setTopology(topology) {
    this.columns = topology.columns.filter((c) => {
      const node = topology.nodes.find((n) => n.name === c.node);
      return node?.role !== 'console';
    });
    this.terminals = topology.terminals;
    this.traceSource = topology.traceSource;
  }

  update(total, rows) {
    this.total = total;
    this.rows = rows;
    this.render();
  }

  visibleRows() {
    const { user, protocol } = this.filter;
    const term = this.terminals.find((t) => t.bare === user);
    return this.rows.filter(
      (r) =>
        (!protocol || r.protocol === protocol) &&
        (!user || r.users.includes(user) || (term && (r.from === term.node || r.to === term.node))),
    );
  }

  render() {
    const rows = this.visibleRows();
    const shown = rows.slice(-MAX_DRAWN);
    this.count.textContent = `${rows.length} of ${this.total} messages${rows.length > shown.length ? ` (latest ${shown.length} drawn)` : ''}${this.total === 0 && this.traceSource ? ` — no trace yet: ${this.traceSource}` : ''}`;
    // A column per node that takes part in what is shown (all of them while nothing is), in the
    // use case's order Harry | PS1 | visited | IWF | PS2 | Jane, then anything else met.
    const used = new Set(rows.flatMap((r) => [r.from, r.to]));
    const names = this.columns.map((c) => c.node).filter((n) => used.size === 0 || used.has(n));
    for (const r of shown) for (const n of [r.from, r.to]) if (!names.includes(n)) names.push(n);
    const atBottom = this.view.scrollTop + this.view.clientHeight >= this.view.scrollHeight - 4;
    const x = (node) => LEFT + names.indexOf(node) * COL_W + COL_W / 2;
    const width = LEFT + names.length * COL_W + 10;
    const height = TOP + shown.length * ROW_H + 10;
    const t0 = this.rows[0]?.time ?? 0;
    const svg = h(
      'svg',
      { width, height, role: 'group', 'aria-label': 'Messages between the nodes, oldest first' },
      names.map((n) =>
        h(
          'g',
          { 'aria-hidden': 'true' },
          h('text', { x: x(n), y: 16, 'text-anchor': 'middle', class: 'col-head' }, labelOf(this.columns, n)),
          h('line', { x1: x(n), y1: 22, x2: x(n), y2: height, class: 'lifeline' }),
        ),
      ),
      shown.map((r, i) => this.arrow(r, TOP + i * ROW_H, x, width, t0)),
    );
    // A live update must not take the keyboard focus away from the arrow the user is on.
    const focused = this.view.contains(document.activeElement)
      ? document.activeElement?.dataset?.index
      : undefined;
    clear(this.view).append(svg);
    if (focused !== undefined) svg.querySelector(`g.msg[data-index="${focused}"]`)?.focus();
    // Follow the live end of the ladder unless the user scrolled up to read.
    else if (atBottom) this.view.scrollTop = this.view.scrollHeight;
  }

  arrow(r, y, x, width, t0) {
    const x1 = x(r.from);
    const x2 = x(r.to);
    const dir = x2 >= x1 ? 1 : -1;
    const tip = x2 - dir * 2;
    const label = `${r.label}${r.rows.length ? ` [${r.rows.join(' ')}]` : ''}`;
    const response = r.status !== undefined && (r.protocol === 'sip' ? /^\d{3}/.test(r.label) : false);
    const name = `#${r.index} ${r.label} from ${displayName(r.from)} to ${displayName(r.to)} (${r.protocol.toUpperCase()})`;
    const open = () => this.open(r.index);
    return h(
      'g',
      {
        class: `msg proto-${r.protocol}${response ? ' response' : ''}${this.selected === r.index ? ' selected' : ''}`,
        role: 'button',
        tabindex: 0,
        'aria-label': name,
        'data-index': r.index,
        'data-from': r.from,
        'data-to': r.to,
        'data-label': r.label,
        onclick: open,
        onkeydown: (e) => {
          if (e.key === 'Enter' || e.key === ' ') {
            e.preventDefault();
            open();
          }
        },
      },
      h('rect', { class: 'hit', x: 0, y: y - ROW_H + 6, width, height: ROW_H }),
      h('text', { x: 4, y: y, class: 'time' }, `+${((r.time - t0) / 1000).toFixed(3)}s`),
      h('line', { x1, y1: y, x2: tip, y2: y }),
      h('polygon', { points: `${x2},${y} ${x2 - dir * 7},${y - 4} ${x2 - dir * 7},${y + 4}` }),
      h('text', { x: (x1 + x2) / 2, y: y - 4, 'text-anchor': 'middle' }, label.slice(0, 48)),
    );
  }

  async open(index) {
    this.selected = index;
    for (const g of this.view.querySelectorAll('g.msg'))
      g.classList.toggle('selected', Number(g.dataset.index) === index);
    try {
      this.inspector.show(await api('GET', `/trace/${index}`));
    } catch (error) {
      this.inspector.showError(error.message);
    }
  }
}

function labelOf(columns, node) {
  return columns.find((c) => c.node === node)?.label ?? displayName(node);
}

export class Inspector {
  constructor(aside, body, close) {
    this.aside = aside;
    this.body = body;
    this.returnFocus = undefined;
    close.addEventListener('click', () => this.hide());
    aside.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') this.hide();
    });
  }

  hide() {
    this.aside.hidden = true;
    this.returnFocus?.focus();
  }

  showError(text) {
    clear(this.body).append(h('p', { class: 'error', role: 'alert' }, text));
    this.aside.hidden = false;
  }

  show(d) {
    this.returnFocus = document.activeElement;
    const r = d.row;
    const body = clear(this.body);
    body.append(
      h('h3', {}, `#${r.index} ${r.label}`),
      h(
        'table',
        {},
        h(
          'tbody',
          {},
          info(
            'From → to',
            `${displayName(r.from)} (${d.src.address}:${d.src.port}) → ${displayName(r.to)} (${d.dst.address}:${d.dst.port})`,
          ),
          info('Protocol', `${r.protocol.toUpperCase()} over ${r.transport.toUpperCase()}`),
          info(
            'Time',
            `${d.timing.at} · +${d.timing.sinceStartMs} ms since the first message · +${d.timing.sincePreviousMs} ms after the previous`,
          ),
          info('Size', `${d.message.size} bytes`),
          info('Reported by', d.reportedBy.map((s) => (s === 'tx' ? 'sender' : 'receiver')).join(' and ')),
        ),
      ),
    );
    if (d.mappings.length) {
      body.append(
        h('h4', {}, 'Mapping rows that produced it (docs/mapping.md)'),
        h(
          'table',
          { 'aria-label': 'Mapping rows' },
          h(
            'tbody',
            {},
            d.mappings.map((m) =>
              h('tr', {}, h('th', { scope: 'row' }, m.id), h('td', {}, m.cells.join(' · ') || '—')),
            ),
          ),
        ),
      );
    }
    if (d.message.head)
      body.append(h('h4', {}, 'Message'), h('pre', { 'aria-label': 'Raw message head' }, d.message.head));
    for (const [i, p] of d.message.payloads.entries()) {
      body.append(h('h4', {}, `Payload ${i + 1}: ${p.contentType}`));
      if (p.hex !== undefined) {
        body.append(
          h(
            'div',
            { class: 'side-by-side' },
            h('div', {}, h('h4', {}, 'WBXML bytes'), h('pre', { 'aria-label': 'WBXML as hex' }, p.hex)),
            h(
              'div',
              {},
              h('h4', {}, 'Decoded XML'),
              h('pre', { 'aria-label': 'Decoded XML' }, p.pretty ?? p.note ?? ''),
            ),
          ),
        );
        continue;
      }
      if (p.pretty !== undefined) body.append(h('pre', { 'aria-label': 'Pretty-printed payload' }, p.pretty));
      else body.append(h('pre', { 'aria-label': 'Raw payload' }, p.text ?? ''));
      if (p.note) body.append(h('p', { class: 'error' }, p.note));
      if (p.pretty !== undefined && p.text !== undefined)
        body.append(h('details', {}, h('summary', {}, 'As sent'), h('pre', {}, p.text)));
    }
    this.aside.hidden = false;
    this.aside.querySelector('#inspector-close')?.focus();
  }
}

function info(name, value) {
  return h('tr', {}, h('th', { scope: 'row' }, name), h('td', {}, value));
}

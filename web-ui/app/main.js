// The console's entry point: one WebSocket (/api/v1/events) feeds the topology's health, the
// users' terminal events, the ladder and scenario progress; everything else is lab API calls.
import { api, clear, displayName, h } from './dom.js';
import { Inspector, Ladder } from './ladder.js';
import { ScenarioLauncher } from './scenarios.js';
import { UserPanel } from './users.js';

const $ = (id) => document.getElementById(id);
const panels = new Map();
let topology;
let health = [];

const inspector = new Inspector($('inspector'), $('inspector-body'), $('inspector-close'));
const ladder = new Ladder($('ladder-view'), $('ladder-count'), inspector);
const scenarios = new ScenarioLauncher($('scenario-list'));

function renderTopology() {
  if (!topology) return;
  const status = new Map(health.map((n) => [n.node, n]));
  const group = (title, cls, nodes) =>
    h(
      'div',
      { class: `domain ${cls}`, role: 'group', 'aria-label': title },
      h('h3', {}, title),
      h(
        'ul',
        {},
        nodes.map((n) => {
          const s = status.get(n.name);
          const state = s?.health ?? 'unknown';
          const words = { up: 'up', down: 'down', 'not-built': 'not built yet', unknown: 'checking' }[state];
          return h(
            'li',
            { class: `health-${state}`, 'data-node': n.name, 'data-health': state },
            h('span', { class: 'dot', 'aria-hidden': 'true' }),
            h('strong', {}, displayName(n.name)),
            h('span', {}, `— ${words}`),
            h('span', { class: 'addr' }, `${n.address}${s?.rttMs !== undefined ? ` · ${s.rttMs} ms` : ''}`),
          );
        }),
      ),
    );
  const nodes = topology.nodes;
  const serverOf = (d) => topology.domains[d]?.server;
  const inDomain = (d) =>
    nodes.filter(
      (n) =>
        n.name === serverOf(d) ||
        ((n.role === 'harry' || n.role === 'jane') && n.user?.toLowerCase().endsWith(`@${d}`)),
    );
  const domains = Object.keys(topology.domains);
  const placed = new Set(domains.flatMap((d) => inDomain(d).map((n) => n.name)));
  const cls = (d) => (nodes.find((n) => n.name === serverOf(d))?.role === 'ps1' ? 'imps' : 'simple');
  const first = domains[0];
  const rest = domains.slice(1);
  clear($('topology-view')).append(
    ...(first ? [group(`Domain ${first}`, cls(first), inDomain(first))] : []),
    group(
      'Interworking',
      'iwf',
      nodes.filter((n) => n.role === 'iwf'),
    ),
    ...rest.map((d) => group(`Domain ${d}`, cls(d), inDomain(d))),
    group(
      'Visited network and lab',
      '',
      nodes.filter((n) => !placed.has(n.name) && n.role !== 'iwf'),
    ),
  );
}

function addPanel(node) {
  if (!topology || panels.has(node)) return;
  const t = topology.terminals.find((x) => x.node === node);
  if (!t) return;
  const panel = new UserPanel(t, topology.terminals);
  panels.set(node, panel);
  $('user-panels').append(panel.element);
  void panel.refresh();
  renderAddUser();
}

function renderAddUser() {
  const sel = clear($('add-user-node'));
  const free = (topology?.terminals ?? []).filter((t) => !panels.has(t.node));
  for (const t of free) sel.append(h('option', { value: t.node }, `${displayName(t.node)} (${t.user})`));
  if (free.length === 0) sel.append(h('option', { value: '' }, 'every user has a panel'));
  sel.disabled = free.length === 0;
  $('add-user').querySelector('button').disabled = free.length === 0;
}

function onHello(message) {
  topology = message.topology;
  health = message.health ?? [];
  ladder.setTopology(topology);
  const sel = clear($('filter-user'));
  sel.append(h('option', { value: '' }, 'all users'));
  for (const t of topology.terminals)
    sel.append(h('option', { value: t.bare }, `${displayName(t.node)} (${t.bare})`));
  sel.value = ladder.filter.user;
  renderTopology();
  // Harry and Jane (the use case's users) start with a panel; others are added on demand.
  for (const t of topology.terminals) if (t.node === 'harry' || t.node === 'jane') addPanel(t.node);
  if (panels.size === 0 && topology.terminals[0]) addPanel(topology.terminals[0].node);
  renderAddUser();
  void scenarios.load();
}

function connect() {
  const ws = new WebSocket(`ws://${location.host}/api/v1/events`);
  ws.addEventListener('open', () => {
    $('link-status').textContent = 'live';
  });
  ws.addEventListener('close', () => {
    $('link-status').textContent = 'disconnected — retrying';
    setTimeout(connect, 1000);
  });
  ws.addEventListener('message', (e) => {
    const m = JSON.parse(e.data);
    if (m.type === 'hello') onHello(m);
    else if (m.type === 'health') {
      health = m.nodes;
      renderTopology();
    } else if (m.type === 'ladder') ladder.update(m.total, m.rows);
    else if (m.type === 'user') panels.get(m.node)?.onEvent(m.event);
    else if (m.type === 'scenario') scenarios.onEvent(m.run);
  });
}

$('add-user').addEventListener('submit', (e) => {
  e.preventDefault();
  const node = $('add-user-node').value;
  if (node) addPanel(node);
});
$('filter-user').addEventListener('change', (e) => {
  ladder.filter.user = e.target.value;
  ladder.render();
});
$('filter-protocol').addEventListener('change', (e) => {
  ladder.filter.protocol = e.target.value;
  ladder.render();
});
$('clear-trace').addEventListener('click', () => void api('DELETE', '/trace').catch(() => {}));
connect();

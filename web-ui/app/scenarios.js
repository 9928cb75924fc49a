// The scenario launcher: every scenario of scenarios/ with whether it can run today; Run starts
// it (the runner, on its own addresses beside the live lab) and its steps tick as they finish,
// with the use case's step numbers; at the end its ladder (Mermaid) and JUnit report open.
import { api, clear, h } from './dom.js';

export class ScenarioLauncher {
  constructor(root) {
    this.root = root;
    this.list = [];
    this.runs = new Map();
    this.error = h('p', { role: 'alert', class: 'error' });
  }

  async load() {
    try {
      this.list = await api('GET', '/scenarios');
    } catch (error) {
      this.error.textContent = error.message;
    }
    this.render();
  }

  onEvent(run) {
    this.runs.set(run.name, run);
    this.render();
  }

  async run(name) {
    this.error.textContent = '';
    try {
      this.onEvent(await api('POST', `/scenarios/${encodeURIComponent(name)}/run`, {}));
    } catch (error) {
      this.error.textContent = `${name}: ${error.message}`;
    }
  }

  render() {
    const busy = [...this.runs.values()].some((r) => r.status === 'running');
    clear(this.root).append(
      this.error,
      ...this.list.map((s) => {
        const run = this.runs.get(s.name);
        const section = h(
          'div',
          { class: 'scenario', 'data-scenario': s.name, 'aria-label': `Scenario ${s.name}`, role: 'group' },
          h(
            'div',
            { class: 'section-head' },
            h('h3', {}, s.name),
            h(
              'button',
              {
                type: 'button',
                class: 'primary',
                disabled: !s.runnable || busy,
                'aria-label': `Run ${s.name}`,
                onclick: () => this.run(s.name),
              },
              'Run',
            ),
          ),
          s.description ? h('p', {}, s.description) : null,
          s.runnable ? null : h('p', { class: 'addr' }, `Not runnable yet: ${s.reason}`),
        );
        if (run) section.append(this.renderRun(s, run));
        return section;
      }),
    );
  }

  renderRun(s, run) {
    const done = new Map(run.steps.map((x) => [x.index, x.status]));
    const final = new Map((run.result?.steps ?? []).map((x) => [x.index, x]));
    const status =
      run.status === 'running'
        ? `running — ${run.steps.length}/${s.steps.length} steps`
        : `${run.status.toUpperCase()}`;
    const wrap = h(
      'div',
      {},
      h(
        'p',
        { class: `run-status step-${run.status === 'running' ? 'pending' : run.status}`, role: 'status' },
        `Run ${run.runId}: ${status}`,
      ),
      run.result?.error ? h('p', { class: 'error' }, run.result.error) : null,
      h(
        'ol',
        { class: 'steps', 'aria-label': `Steps of ${s.name}` },
        s.steps.map((step) => {
          const st = final.get(step.index)?.status ?? done.get(step.index) ?? 'pending';
          const mark = { passed: '✓', failed: '✗', skipped: '·', pending: '○' }[st];
          const err = final.get(step.index)?.error;
          return h(
            'li',
            { class: `step-${st}`, 'data-step': step.index, 'data-status': st },
            `${mark} ${step.index}. `,
            step.useCaseStep !== undefined ? h('strong', {}, `§${step.useCaseStep} `) : null,
            step.title,
            ` — ${st}`,
            err ? h('div', { class: 'error' }, err.split('\n')[0]) : null,
          );
        }),
      ),
    );
    if (run.status !== 'running') {
      const base = `/api/v1/scenarios/${encodeURIComponent(s.name)}`;
      wrap.append(
        h(
          'p',
          {},
          run.mermaid
            ? h('a', { href: `${base}/ladder.mmd`, target: '_blank' }, 'Open its ladder (Mermaid)')
            : null,
          ' ',
          run.junit ? h('a', { href: `${base}/junit.xml`, target: '_blank' }, 'Open its JUnit report') : null,
        ),
      );
    }
    return wrap;
  }
}

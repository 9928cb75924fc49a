// Reading a scenario file: YAML → validated Scenario, with every problem reported as
// `file:line:column field: message` so a typo points at its line.
import { isMap, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import { actionOf, type Scenario, ScenarioSchema } from './scenario-schema.ts';

export interface ScenarioProblem {
  line: number;
  column: number;
  /** `steps[3].subscribe.target` */
  field: string;
  message: string;
}

export type ParseScenarioResult =
  | { ok: true; scenario: Scenario }
  | { ok: false; problems: ScenarioProblem[] };

export class ScenarioFileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: ScenarioProblem[],
  ) {
    super(
      `invalid scenario ${file}:\n${problems
        .map((p) => `  ${file}:${p.line}:${p.column} ${p.field ? `${p.field}: ` : ''}${p.message}`)
        .join('\n')}`,
    );
  }
}

const MAX_SCENARIO_BYTES = 256 * 1024;

export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out === '' ? String(p) : `.${String(p)}`;
  }
  return out;
}

/** The deepest YAML node that exists along `path` (a missing key points at its parent). */
function nodeAt(root: Node | null, path: ReadonlyArray<PropertyKey>): Node | null {
  let node = root;
  for (const key of path) {
    if (isMap(node)) {
      const pair = node.items.find((i) => (i.key as { value?: unknown } | null)?.value === key);
      if (!pair) return node;
      node = (pair.value as Node | null) ?? (pair.key as Node);
    } else if (isSeq(node) && typeof key === 'number') {
      const item = node.items[key] as Node | undefined;
      if (!item) return node;
      node = item;
    } else {
      return node;
    }
  }
  return node;
}

export function parseScenario(text: string): ParseScenarioResult {
  const lines = new LineCounter();
  const at = (offset: number | undefined) => {
    const pos = lines.linePos(offset ?? 0);
    return { line: pos.line, column: pos.col };
  };
  if (Buffer.byteLength(text) > MAX_SCENARIO_BYTES)
    return {
      ok: false,
      problems: [{ line: 1, column: 1, field: '', message: `larger than ${MAX_SCENARIO_BYTES} bytes` }],
    };
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  if (doc.errors.length > 0)
    return {
      ok: false,
      problems: doc.errors.map((e) => ({
        ...at(e.pos[0]),
        field: '',
        message: e.message.split('\n')[0] ?? '',
      })),
    };
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 10 });
  } catch (error) {
    // yaml refuses alias expansion past maxAliasCount (a "billion laughs" file) by throwing.
    return { ok: false, problems: [{ line: 1, column: 1, field: '', message: (error as Error).message }] };
  }
  const result = ScenarioSchema.safeParse(data);
  if (!result.success)
    return {
      ok: false,
      problems: result.error.issues.map((issue) => {
        const node = nodeAt(doc.contents as Node | null, issue.path);
        const message = issue.message.endsWith('received undefined') ? 'missing (required)' : issue.message;
        return { ...at(node?.range?.[0]), field: formatPath(issue.path), message };
      }),
    };
  const problems = checkReferences(result.data).map((p) => {
    const node = nodeAt(doc.contents as Node | null, p.path);
    return { ...at(node?.range?.[0]), field: formatPath(p.path), message: p.message };
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, scenario: result.data };
}

/** What the schema cannot say alone: every step's actor is declared, `$names` are set first. */
function checkReferences(s: Scenario): Array<{ path: PropertyKey[]; message: string }> {
  const out: Array<{ path: PropertyKey[]; message: string }> = [];
  const remembered = new Set<string>();
  s.steps.forEach((step, i) => {
    const action = actionOf(step);
    const args = action.args as { actor?: string; match?: unknown };
    if (args.actor !== undefined && !s.actors[args.actor])
      out.push({
        path: ['steps', i, action.name, 'actor'],
        message: `unknown actor "${args.actor}" (declared: ${Object.keys(s.actors).join(', ') || 'none'})`,
      });
    for (const ref of JSON.stringify(args.match ?? {}).match(/"\$[A-Za-z][A-Za-z0-9_]*"/g) ?? []) {
      const name = ref.slice(2, -1);
      if (!remembered.has(name))
        out.push({
          path: ['steps', i, action.name, 'match'],
          message: `"$${name}" is used before a sendMessage step sets it (as: ${name})`,
        });
    }
    if (action.name === 'sendMessage' && action.args.as) remembered.add(action.args.as);
    if (action.name === 'expect' && action.args.absent && action.args.forMs === undefined)
      out.push({ path: ['steps', i, 'expect', 'forMs'], message: 'an absent expectation needs forMs' });
  });
  return out;
}

// The scenario files of scenarios/: each read and validated, in name order.
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseScenario, type ScenarioProblem } from './scenario-file.ts';
import type { Scenario } from './scenario-schema.ts';

export const SCENARIOS_DIR = fileURLToPath(new URL('.', import.meta.url));

export type CatalogEntry =
  | { file: string; ok: true; scenario: Scenario }
  | { file: string; ok: false; problems: ScenarioProblem[] };

export function loadCatalog(dir: string = SCENARIOS_DIR): CatalogEntry[] {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.yaml') || f.endsWith('.yml'))
    .sort();
  return files.map((f) => {
    const file = join(dir, f);
    const parsed = parseScenario(readFileSync(file, 'utf8'));
    if (!parsed.ok) return { file, ok: false, problems: parsed.problems };
    const stem = basename(f).replace(/\.ya?ml$/, '');
    if (parsed.scenario.name !== stem)
      return {
        file,
        ok: false,
        problems: [
          {
            line: 1,
            column: 1,
            field: 'name',
            message: `"${parsed.scenario.name}" must match the file name "${stem}"`,
          },
        ],
      };
    return { file, ok: true, scenario: parsed.scenario };
  });
}

export function formatProblems(entry: Extract<CatalogEntry, { ok: false }>): string {
  return entry.problems
    .map((p) => `${entry.file}:${p.line}:${p.column} ${p.field ? `${p.field}: ` : ''}${p.message}`)
    .join('\n');
}

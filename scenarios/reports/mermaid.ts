// Ladder → Mermaid sequence diagram: one participant per node (Harry | PS1 | IWF | PS2 | Jane
// first, in the use case's left-to-right order, then any other), one arrow per message crossing
// (solid for requests, dashed for answers), and the scenario's steps as notes in time order.
import type { LadderEntry } from './trace-ladder.ts';

export interface DiagramParticipant {
  /** Node name as in the ladder (`harry`, `ps1`, or a bare address). */
  node: string;
  /** Shown name (`Harry`, `PS1`). */
  label: string;
}

export interface DiagramNote {
  time: number;
  text: string;
}

export interface MermaidOptions {
  /** Participants in diagram order; nodes met in the ladder but absent here are appended. */
  participants?: readonly DiagramParticipant[];
  notes?: readonly DiagramNote[];
  title?: string;
}

/** `ps1` → `PS1`, `iwf` → `IWF`, `jane` → `Jane`. */
export function participantLabel(node: string): string {
  if (/^(ps\d*|iwf|rls|xdms)$/i.test(node)) return node.toUpperCase();
  if (/^\d/.test(node)) return node;
  return node.charAt(0).toUpperCase() + node.slice(1);
}

function idOf(node: string): string {
  const id = node.replace(/[^A-Za-z0-9_]/g, '_');
  return /^[A-Za-z]/.test(id) ? id : `n${id}`;
}

/** Mermaid ends a statement at `;` and reads `#…;` as an entity: both are written as entities. */
export function mermaidText(text: string): string {
  return text
    .replace(/[\r\n]+/g, ' ')
    .replace(/[#;]/g, (c) => (c === '#' ? '#35;' : '#59;'))
    .slice(0, 160);
}

export function toMermaid(entries: readonly LadderEntry[], options: MermaidOptions = {}): string {
  const order: DiagramParticipant[] = [...(options.participants ?? [])];
  const known = new Set(order.map((p) => p.node));
  for (const e of entries) {
    for (const node of [e.from, e.to]) {
      if (known.has(node)) continue;
      known.add(node);
      order.push({ node, label: participantLabel(node) });
    }
  }
  const lines = ['sequenceDiagram'];
  if (options.title) lines.push(`  title ${mermaidText(options.title)}`);
  for (const p of order) lines.push(`  participant ${idOf(p.node)} as ${mermaidText(p.label)}`);
  const first = order[0];
  const last = order[order.length - 1];
  const notes = [...(options.notes ?? [])].sort((a, b) => a.time - b.time);
  let n = 0;
  const flushNotes = (until: number) => {
    while (n < notes.length && (notes[n]?.time ?? Number.POSITIVE_INFINITY) <= until) {
      const note = notes[n++];
      if (note && first && last) {
        const span = first === last ? idOf(first.node) : `${idOf(first.node)},${idOf(last.node)}`;
        lines.push(`  Note over ${span}: ${mermaidText(note.text)}`);
      }
    }
  };
  for (const e of entries) {
    flushNotes(e.time);
    const arrow = e.summary.isResponse ? '-->>' : '->>';
    const proto = e.protocol === 'sip' ? '' : `${e.protocol.toUpperCase()} `;
    lines.push(`  ${idOf(e.from)}${arrow}${idOf(e.to)}: ${mermaidText(`${proto}${e.summary.label}`)}`);
  }
  flushNotes(Number.POSITIVE_INFINITY);
  return `${lines.join('\n')}\n`;
}

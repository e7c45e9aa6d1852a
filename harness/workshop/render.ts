import type { FixJudgement, JudgedItem } from './check-fix.ts';

/** The answer `casebook check` prints: verdict first, then each failed item with why and the line that shows it, then what held. */
export function judgementLines(j: FixJudgement, opts: { files?: string[] } = {}): string[] {
  const failed = j.items.filter((i) => !i.held);
  const out: string[] = [];
  out.push(`${j.accepted ? 'ACCEPTED' : 'REJECTED'}: ${j.scenario} on istio ${j.istio} at config level (Istio's code at ${j.computedBy})`);
  if (opts.files) out.push(`  your files: ${opts.files.join(', ')}`);
  for (const i of failed) out.push(...itemLines(i));
  const held = j.items.filter((i) => i.held);
  if (held.length > 0) out.push(`  held: ${held.map((i) => `${label(i)}`).join(', ')}`);
  out.push(
    j.accepted
      ? '  every outcome is reached and no control is broken (config level: what Istio computes for the proxies; a runtime check proves the packets)'
      : `  ${failed.filter((i) => i.role === 'outcome').length} outcome(s) not reached, ${failed.filter((i) => i.role !== 'outcome').length} control(s) broken`,
  );
  return out;
}

function label(i: JudgedItem): string {
  return `${i.role === 'outcome' ? 'outcome' : 'control'} ${i.key}`;
}

function itemLines(i: JudgedItem): string[] {
  const lines = [`  ✗ ${label(i)}: ${i.because}`, `      ${i.message}`];
  const path = i.evidence?.startsWith('path: ') ? i.evidence.slice(6) : undefined;
  if (i.evidence && !(path && i.message.includes(path)))
    lines.push(...i.evidence.split('\n').map((l, n) => `      ${n === 0 ? 'evidence: ' : '          '}${l}`));
  return lines;
}

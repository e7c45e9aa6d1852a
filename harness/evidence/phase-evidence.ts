import { mkdir, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { EvidenceRef, ProbeResult } from '../model/results.ts';
import { redactSecrets } from './redact.ts';

/** One extra evidence file of a phase: a listener table, access-log lines, a served certificate. */
export type EvidenceItem = { name: string; fileName: string; contentType: string; content: string };

export type PhaseEvidenceInput = {
  scenario: string;
  phase: string;
  istio: string;
  probes: readonly ProbeResult[];
  items?: readonly EvidenceItem[];
};

/** Where a phase's evidence lives, relative to the run's report folder. */
export function phaseEvidenceDir(input: { scenario: string; phase: string; istio: string }): string {
  return join('evidence', safe(input.scenario), `istio-${safe(input.istio)}`, safe(input.phase));
}

/**
 * Writes the evidence bundle of one phase under `<reportDir>/evidence/<scenario>/istio-<v>/<phase>/`:
 * per probe, every attempt (command, exit code, output, timings, check message, transport error)
 * as readable text and as JSON; then the extra items. Everything passes through redactSecrets.
 */
export async function writePhaseEvidence(reportDir: string, input: PhaseEvidenceInput): Promise<EvidenceRef[]> {
  const dir = join(reportDir, phaseEvidenceDir(input));
  await mkdir(dir, { recursive: true });
  const refs: EvidenceRef[] = [];
  const put = async (name: string, fileName: string, contentType: string, content: string) => {
    const path = join(dir, fileName);
    await writeFile(path, redactSecrets(content), { mode: 0o644 });
    refs.push({ name, path: relative(reportDir, path), contentType });
  };
  for (const p of input.probes) {
    await put(`probe ${p.probe}: attempts`, `probe-${safe(p.probe)}.txt`, 'text/plain', renderAttempts(p));
    await put(`probe ${p.probe}: attempts (json)`, `probe-${safe(p.probe)}.json`, 'application/json', JSON.stringify(p, null, 2));
  }
  for (const item of input.items ?? []) await put(item.name, safe(item.fileName), item.contentType, item.content);
  return refs;
}

type ExecLike = { command?: unknown; exitCode?: unknown; stdout?: unknown; stderr?: unknown; durationMs?: unknown };

/** Human-readable: what ran, what came back, how the check judged it, attempt by attempt. */
export function renderAttempts(p: ProbeResult): string {
  const lines = [
    `probe ${p.probe} (${p.spec.kind}): ${p.held ? 'held' : 'did not hold'}${p.infrastructureError ? ' — infrastructure error' : ''}`,
    `spec: ${JSON.stringify(p.spec)}`,
    `result: ${p.message}`,
    '',
  ];
  for (const a of p.attempts) {
    lines.push(`--- attempt ${a.index} at ${a.startedAt} (${a.durationMs} ms)`);
    if (a.transportError) lines.push(`transport error: ${a.transportError}`);
    const exec = (a.observation as { exec?: ExecLike } | undefined)?.exec;
    if (exec) {
      const cmd = Array.isArray(exec.command) ? exec.command.map(String) : [];
      const script = cmd[0] === 'sh' && cmd[1] === '-c' ? `sh -c <<'EOF'\n${cmd[2] ?? ''}\nEOF` : cmd.join(' ');
      lines.push(`$ ${script}`, `exit code: ${String(exec.exitCode)}  (${String(exec.durationMs)} ms)`);
      if (exec.stdout) lines.push('stdout:', String(exec.stdout).trimEnd());
      if (exec.stderr) lines.push('stderr:', String(exec.stderr).trimEnd());
    }
    if (a.observation !== undefined) {
      const { exec: _exec, ...shown } = a.observation as Record<string, unknown>;
      lines.push(`observation: ${JSON.stringify(shown, null, 2)}`);
    }
    if (a.check) lines.push(`check: ${a.check.ok ? 'held' : 'failed'}: ${a.check.message}`);
    lines.push('');
  }
  return lines.join('\n');
}

function safe(part: string): string {
  // `..` (or `.`) as a whole segment would climb out of the evidence folder: never a path step.
  const flat = part.replace(/[^A-Za-z0-9._-]+/g, '_');
  return /^\.+$/.test(flat) ? flat.replace(/\./g, '_') : flat;
}

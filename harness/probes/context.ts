import type { ExecResult, ExecTransport } from '../model/exec.ts';

/** What a probe needs from the run: a way into workload containers, and where each workload lives. */
export type ProbeContext = {
  transport: ExecTransport;
  namespaceOf(workload: string): string;
};

/** The raw exec behind an observation, bounded, for the evidence bundle (never secrets: we only run clients). */
export type ExecRecord = {
  command: string[];
  exitCode: number;
  stdout: string;
  stderr: string;
  startedAt: string;
  durationMs: number;
};

const MAX_RAW = 32 * 1024;

export function execRecord(r: ExecResult): ExecRecord {
  const cut = (s: string) => (s.length > MAX_RAW ? `${s.slice(0, MAX_RAW)}\n… (${s.length - MAX_RAW} more characters)` : s);
  return {
    command: [...r.command],
    exitCode: r.exitCode,
    stdout: cut(r.stdout),
    stderr: cut(r.stderr),
    startedAt: r.startedAt,
    durationMs: r.durationMs,
  };
}

/**
 * The first line of every probe script: a private temp dir in `$d`, or exit 90. The sidecar
 * container runs with readOnlyRootFilesystem: true and no /tmp mount (Istio's injection template,
 * manifests/charts/istio-control/istio-discovery/files/injection-template.yaml), so a probe run
 * `from` istio-proxy (the uid-1337 capture bypass) falls back to the emptyDirs the template
 * mounts there for Envoy's bootstrap and data, which kubelet creates world-writable.
 */
export const TEMP_DIR_LINE =
  'd=$(mktemp -d 2>/dev/null || mktemp -d -p /etc/istio/proxy 2>/dev/null || mktemp -d -p /var/lib/istio/data 2>/dev/null) || exit 90';

/** Quotes one word for `sh -c`. */
export function shq(word: string): string {
  return /^[A-Za-z0-9_./:=@%+,-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { InfrastructureError } from '../model/errors.ts';
import type { ConfigHop, AnalyzerMessage, Rejection } from '../model/observation.ts';
import type { ConfigBuild } from './releases.ts';
import type { SimPhaseInput } from './phase-input.ts';

/** What istio-sim writes (istio-sim/io.go BatchOutput), as the harness reads it. */
export type ServedSecret = {
  name: string;
  found: boolean;
  subject?: string;
  issuer?: string;
  sans?: string[];
  fingerprint256?: string;
  validationContext?: boolean;
};
export type SimHop = ConfigHop & { servedCertificates?: ServedSecret[] };
export type SimCallOut = { probe: string; address?: string; resolve: string; captured: boolean; hops: SimHop[] };
export type SimProxyOut = {
  kind: string;
  podIP: string;
  nativeSidecar: boolean;
  injected: boolean;
  iptables?: string[];
  configDump?: unknown;
  secrets: string[];
  sds?: ServedSecret[];
  pod?: Record<string, unknown>;
};
export type SimPhaseOutput = {
  id: string;
  rejected: Rejection[];
  analysis: AnalyzerMessage[];
  proxies: Record<string, SimProxyOut>;
  calls: SimCallOut[];
  addresses: Record<string, string>;
  problems: string[];
  timingsMs: Record<string, number>;
};
export type SimBatchOutput = {
  istio: { module: string; version: string; go: string };
  nativeSidecars: boolean;
  istiodEnv: Record<string, string>;
  meshConfig: string;
  problems: string[];
  timingsMs: Record<string, number>;
  phases: SimPhaseOutput[];
  complete: boolean;
};

export type SimBatchInput = { istioOperator: Record<string, unknown>; kubeletVersion: string; phases: SimPhaseInput[] };

/**
 * Runs the helper on one batch. The input carries the phases' Secrets unredacted (Istio parses the
 * certificates a gateway serves), so it lives in a private temp folder (0700, file 0600) that is
 * removed afterwards, whatever happens. Istio logs to stdout; the result is the output file.
 */
export async function runHelper(
  binary: string,
  build: ConfigBuild,
  batch: SimBatchInput,
  opts: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<SimBatchOutput> {
  const dir = await mkdtemp(join(tmpdir(), 'casebook-sim-'));
  try {
    const input = join(dir, 'input.json');
    const output = join(dir, 'output.json');
    await writeFile(input, JSON.stringify(batch), { mode: 0o600 });
    const run = await execa(binary, ['-test.run', '^TestPhases$', '-test.count=1'], {
      cwd: dir,
      reject: false,
      all: true,
      timeout: opts.timeoutMs ?? 300_000,
      env: {
        ...(opts.env ?? process.env),
        CASEBOOK_SIM_INPUT: input,
        CASEBOOK_SIM_OUTPUT: output,
        CASEBOOK_ISTIO_PROXY_VERSION: build.proxyVersion,
        TMPDIR: dir,
      },
    });
    let out: SimBatchOutput;
    try {
      out = JSON.parse(await readFile(output, 'utf8')) as SimBatchOutput;
    } catch {
      const tail = (run.all ?? '')
        .split('\n')
        .filter((l) => !/\tinfo\t/.test(l))
        .slice(-20)
        .join('\n');
      throw new InfrastructureError(
        `the config-level helper (${build.label}) wrote no result (exit ${run.exitCode ?? run.signal}):\n${tail}`,
        'this is a harness failure, not a verdict: rerun with CASEBOOK_SIM_KEEP=1 to keep its input, and report it',
      );
    }
    // Go writes an empty list as null.
    for (const p of out.phases ?? []) {
      p.rejected ??= [];
      p.analysis ??= [];
      p.calls ??= [];
      p.problems ??= [];
      p.proxies ??= {};
      for (const c of p.calls) c.hops ??= [];
    }
    out.problems ??= [];
    out.phases ??= [];
    if (!out.complete) {
      throw new InfrastructureError(
        `the config-level helper (${build.label}) stopped before the end: ${out.problems.join('; ') || `exit ${run.exitCode}`}`,
        'a harness failure, not a verdict; the problems above say where it stopped',
      );
    }
    return out;
  } finally {
    if (!(opts.env ?? process.env)['CASEBOOK_SIM_KEEP']) await rm(dir, { recursive: true, force: true });
  }
}

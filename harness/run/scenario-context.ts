import type { CertStore } from '../certs/cert-store.ts';
import type { ExecTransport } from '../model/exec.ts';
import type { ScenarioDefinition } from '../model/scenario.ts';
import { ownedLabels } from '../kube/labels.ts';
import type { KubeObject } from '../kube/manifest-objects.ts';
import type { PlaceholderSources } from './resolve-placeholders.ts';
import type { ScenarioDeps, StartedExternals } from './scenario-deps.ts';

/** What a scenario's phases share once its setup is done. */
export type ScenarioContext = {
  scenario: ScenarioDefinition;
  istio: string;
  runId: string;
  deps: ScenarioDeps;
  transport: ExecTransport;
  namespaceOf(workload: string): string;
  /** Namespaces this scenario created (labelled ours). */
  namespaces: ReadonlyMap<string, { injected: boolean }>;
  certs: CertStore;
  externals: StartedExternals | undefined;
  /** objectKey → the object as set up before any phase (workloads, mesh.apply). */
  base: ReadonlyMap<string, KubeObject>;
};

export function labelsFor(ctx: Pick<ScenarioContext, 'scenario' | 'runId'>): Record<string, string> {
  return ownedLabels({ scenario: ctx.scenario.id, runId: ctx.runId });
}

export function placeholderSources(ctx: Pick<ScenarioContext, 'deps' | 'externals' | 'certs'>): PlaceholderSources {
  const ingress = ctx.deps.ingress;
  return {
    externalIp: (name) => {
      if (!ctx.externals) throw new Error(`\${external.${name}.ip} is used, but the scenario starts no external services`);
      return ctx.externals.ipOf(name);
    },
    serviceClusterIp: (ns, name) => ctx.deps.cluster.serviceClusterIp(ns, name),
    ingress: ingress && { http: `${ingress.host}:${ingress.httpPort}`, https: `${ingress.host}:${ingress.httpsPort}` },
    caPemPath: (name) => ctx.certs.get(name).caPath,
  };
}

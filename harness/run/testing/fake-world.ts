import type { CertStore } from '../../certs/cert-store.ts';
import { describeObject, objectKey, parseManifest, type KubeObject } from '../../kube/manifest-objects.ts';
import type { Check } from '../../model/check.ts';
import { InfrastructureError } from '../../model/errors.ts';
import type { ExecTransport } from '../../model/exec.ts';
import type { ProbeResult } from '../../model/results.ts';
import type { ScenarioDeps, SettleFn } from '../scenario-deps.ts';

/**
 * A recording stand-in for the cluster, probes and services, for unit tests of the runner's
 * ORDER of operations and verdict logic. It is not Kubernetes: "applied" objects are kept in a
 * map, and the probe answers from a rule the test gives (e.g. 503 while a DestinationRule
 * without tls exists), so the runner is judged on what it did, not on a canned verdict.
 */
export type FakeWorld = {
  deps: ScenarioDeps;
  timeline: string[];
  live: Map<string, KubeObject>;
  /** What the labels of objects that exist before the run (not ours) are. */
  foreign: Map<string, Record<string, string>>;
  failures: { applyMatching?: RegExp; revert?: boolean; namespace?: Error; observe?: Error; rollout?: Error };
};

export function fakeCertStore(timeline: string[]): CertStore {
  const made = new Set<string>();
  const stored = (name: string) => ({
    name,
    kind: 'ca' as const,
    certPem: `PEM ${name}`,
    chainPem: '',
    certPath: `/tmp/fake-certs/${name}.crt`,
    keyPath: `/tmp/fake-certs/${name}.key`,
    caName: name,
    caPem: '',
    caPath: `/tmp/fake-certs/${name}-ca.crt`,
  });
  return {
    dir: '/tmp/fake-certs',
    ca: async (name) => {
      made.add(name);
      timeline.push(`cert ${name}`);
      return stored(name);
    },
    server: async (name) => {
      made.add(name);
      timeline.push(`cert ${name}`);
      return stored(name);
    },
    client: async (name) => {
      made.add(name);
      timeline.push(`cert ${name}`);
      return stored(name);
    },
    has: (name) => made.has(name),
    get: (name) => stored(name),
    keyPem: () => 'not a key',
    dispose: async () => {
      timeline.push('dispose certs');
    },
  };
}

/** A settle that tries up to 3 times and records every attempt, like the real one but without a clock. */
export const fakeSettle: SettleFn = async ({ name, spec, observe, check }) => {
  const attempts: ProbeResult['attempts'] = [];
  for (let index = 0; index < 3; index++) {
    const startedAt = new Date(0).toISOString();
    try {
      const observation = await observe();
      const verdict = (check as Check<unknown>).evaluate(observation);
      attempts.push({ index, startedAt, durationMs: 0, observation, check: verdict });
      if (verdict.ok) return { probe: name, spec, held: true, message: verdict.message, infrastructureError: false, attempts };
    } catch (e) {
      if (!(e instanceof InfrastructureError)) throw e;
      attempts.push({ index, startedAt, durationMs: 0, transportError: e.message });
      return { probe: name, spec, held: false, message: e.message, infrastructureError: true, attempts };
    }
  }
  return { probe: name, spec, held: false, message: attempts.at(-1)?.check?.message ?? '', infrastructureError: false, attempts };
};

export function fakeWorld(opts: {
  manifests: Record<string, string>;
  respond: (live: Map<string, KubeObject>, spec: unknown) => unknown;
}): FakeWorld {
  const timeline: string[] = [];
  const live = new Map<string, KubeObject>();
  const foreign = new Map<string, Record<string, string>>();
  const failures: FakeWorld['failures'] = {};
  let reverting = false;
  const load = async (path: string) => {
    const text = opts.manifests[path];
    if (text === undefined) throw new Error(`fake: no manifest ${path}`);
    return parseManifest(text, path);
  };
  const transport: ExecTransport = {
    kind: 'kubernetes',
    exec: async () => {
      throw new Error('fake: probes in these tests observe through `respond`');
    },
    logs: async () => '',
  };
  const deps: ScenarioDeps = {
    cluster: {
      objects: {
        apply: async (objects) => {
          for (const o of objects) {
            if (failures.applyMatching?.test(describeObject(o)))
              throw new InfrastructureError(`could not apply ${describeObject(o)}: HTTP 422 Invalid`);
            timeline.push(`apply ${describeObject(o)}`);
            live.set(objectKey(o), o);
          }
        },
        delete: async (objects) => {
          if (failures.revert && reverting) throw new InfrastructureError('fake: API server unreachable');
          for (const o of [...objects].reverse()) {
            timeline.push(`delete ${describeObject(o)}`);
            live.delete(objectKey(o));
          }
        },
        labelsOf: async (o) => foreign.get(objectKey(o)) ?? live.get(objectKey(o))?.metadata.labels,
      },
      ensureNamespace: async (req) => {
        if (failures.namespace) throw failures.namespace;
        timeline.push(`namespace ${req.name} injected=${req.injected}`);
        return 'created';
      },
      deleteNamespace: async (name) => {
        timeline.push(`delete namespace ${name}`);
        return 'deleted';
      },
      waitForRollout: async (ns, name) => {
        if (failures.rollout) throw failures.rollout;
        timeline.push(`rollout ${ns}/${name}`);
        return { done: true, detail: '' };
      },
      serviceClusterIp: async (ns, name) => {
        timeline.push(`clusterIP ${ns}/${name}`);
        return '10.96.0.20';
      },
      transport: () => transport,
    },
    ensureMesh: async (mesh) => {
      timeline.push(`mesh ${JSON.stringify({ ...mesh.meshConfig, ...mesh.proxyMetadata })}`);
    },
    manifests: {
      workload: (m) => load(`workloads/${m}.yaml`),
      scenarioFile: (id, f) => load(`scenarios/${id}/${f}`),
      meshFile: (f) => load(f),
    },
    observe: async (spec) => {
      if (failures.observe) throw failures.observe;
      timeline.push(`observe ${(spec as { url?: string; host?: string }).url ?? (spec as { host?: string }).host}`);
      return opts.respond(live, spec);
    },
    settle: async (o) => {
      const r = await fakeSettle(o);
      timeline.push(`settled ${o.name} held=${r.held}`);
      return r;
    },
    createCertStore: async () => fakeCertStore(timeline),
    secretFor: async (req) => ({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: req.name, namespace: req.namespace, labels: { 'casebook.dev/managed-by': 'istio-casebook' } },
      type: 'kubernetes.io/tls',
      data: { 'tls.crt': req.cert ?? '' },
    }),
    startExternals: async (refs) => {
      timeline.push(`start externals ${refs.map((r) => r.name).join(',')}`);
      return {
        ipOf: (n) => (n === 'mysql' ? '172.18.0.9' : '172.18.0.10'),
        stop: async () => {
          timeline.push('stop externals');
        },
        containerNames: ['casebook-r1-mysql'],
      };
    },
    collectEvidence: async (req) => {
      timeline.push(`evidence ${req.phase}`);
      return [{ name: `${req.phase}-probes`, path: `${req.scenario.id}/${req.phase}/probes.json`, contentType: 'application/json' }];
    },
    ingress: { host: '127.0.0.1', httpPort: 8080, httpsPort: 8443 },
    kubectl: 'kubectl --kubeconfig /run/kubeconfig',
    step: async (title, body) => {
      timeline.push(`step ${title}`);
      return body();
    },
    phaseEnded: (r) => {
      timeline.push(`verdict ${r.phase}=${r.verdict}`);
    },
    log: () => {},
    now: () => 0,
  };
  // The runner reverts right after reporting a phase's verdict: that window is where revert failures are injected.
  const phaseEnded = deps.phaseEnded;
  deps.phaseEnded = (r) => {
    reverting = true;
    return phaseEnded(r);
  };
  const step = deps.step;
  deps.step = (title, body) => {
    reverting = false;
    return step(title, body);
  };
  return { deps, timeline, live, foreign, failures };
}

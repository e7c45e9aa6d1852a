import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createCertStore } from '../certs/cert-store.ts';
import { secretFor } from '../certs/secrets.ts';
import { createEvidenceCollector } from '../evidence/collect-evidence.ts';
import { startExternalServices } from '../external/start-external-services.ts';
import { offlineImagesFromEnv } from '../external/images.ts';
import type { IngressAddress } from '../probes/ingress/observe-ingress.ts';
import { parseManifest } from '../kube/manifest-objects.ts';
import type { KubeClient } from '../kube/kube-client.ts';
import { observeKube } from '../kube/cluster-reads.ts';
import { layout } from '../load/casebook-root.ts';
import { InfrastructureError } from '../model/errors.ts';
import type { MeshRequirements } from '../model/scenario.ts';
import type { PhaseResult } from '../model/results.ts';
import { probeObserver, REAL_OBSERVERS } from '../probes/observe.ts';
import type { ManifestSource, ScenarioDeps } from '../run/scenario-deps.ts';
import { settle } from '../run/settle.ts';

export type LiveDepsOptions = {
  root: string;
  runId: string;
  reportDir: string;
  kube: KubeClient;
  /** Docker network of the cluster's nodes (kind: `kind`), where external services start. */
  dockerNetwork: string | undefined;
  ingress: IngressAddress | undefined;
  /** Why `ingress` is undefined (the gateway Service could not be resolved), for the probes' error. */
  ingressUnknownBecause?: string;
  /** `kubectl --kubeconfig … --context …` for cleanup lines. */
  kubectl: string;
  ensureMesh(mesh: MeshRequirements): Promise<void>;
  step<T>(title: string, body: () => Promise<T>): Promise<T>;
  phaseEnded(result: PhaseResult): Promise<void> | void;
  log(line: string): void;
};

/** Manifests read from this checkout (or CASEBOOK_ROOT), at the paths harness/load validates. */
export function fileManifests(root: string): ManifestSource {
  const load = async (path: string) => parseManifest(await readFile(join(root, path), 'utf8'), path);
  return {
    workload: (m) => load(layout.workloadManifest(m)),
    scenarioFile: (id, f) => load(layout.phaseManifest(id, f)),
    meshFile: (f) => load(layout.meshApply(f)),
  };
}

/** The scenario runner's ports wired to the real cluster, probes, certificates and containers. */
export function liveScenarioDeps(o: LiveDepsOptions): ScenarioDeps {
  return {
    cluster: {
      objects: o.kube.objects,
      ensureNamespace: (req) => o.kube.ensureNamespace(req),
      deleteNamespace: (name) => o.kube.deleteNamespace(name),
      waitForRollout: (ns, name, opts) => o.kube.waitForRollout(ns, name, opts),
      serviceClusterIp: (ns, name) => o.kube.serviceClusterIp(ns, name),
      transport: (opts) => o.kube.transport(opts),
    },
    ensureMesh: o.ensureMesh,
    manifests: fileManifests(o.root),
    observe: probeObserver(o.ingress, {
      unknownBecause: o.ingressUnknownBecause,
      observers: {
        ...REAL_OBSERVERS,
        kube: (spec) =>
          observeKube(
            o.kube.kubeConfig,
            spec.read === 'object'
              ? { read: 'object', object: spec.object }
              : { read: 'pods', namespace: spec.namespace, selector: spec.selector, since: spec.since },
          ),
      },
    }),
    settle: (opts) => settle(opts),
    createCertStore: () => createCertStore(),
    secretFor: (req, store) => secretFor(req, store),
    startExternals: async (refs, certs) => {
      if (!o.dockerNetwork) {
        throw new InfrastructureError(
          'external services need the Docker network of the cluster nodes, which an existing cluster does not have',
          'run scenarios with external services on --cluster kind',
        );
      }
      const started = await startExternalServices(refs, {
        network: o.dockerNetwork,
        certs,
        runId: o.runId,
        offlineImages: offlineImagesFromEnv(),
        log: o.log,
      });
      return { ipOf: (n) => started.ipOf(n), stop: () => started.stop(), containerNames: started.services.map((s) => s.containerName) };
    },
    collectEvidence: createEvidenceCollector({ reportDir: o.reportDir }),
    ingress: o.ingress,
    kubectl: o.kubectl,
    step: o.step,
    phaseEnded: o.phaseEnded,
    log: o.log,
    now: () => Date.now(),
  };
}

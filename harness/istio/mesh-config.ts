import { parse, stringify } from 'yaml';
import { deepMerge, isObject } from '../model/deep-merge.ts';
import { InfrastructureError } from '../model/errors.ts';
import type { MeshRequirements } from '../model/scenario.ts';
import { canonicalJson } from './operator.ts';

/**
 * Mesh config without reinstalling, as Istio's own integration framework does
 * (pkg/test/framework/components/istio/configmap.go PatchMeshConfig/UpdateMeshConfig): the mesh
 * config lives under the `mesh` key of the `istio` ConfigMap in istio-system; istiod, as the
 * current chart installs it, does not mount that file but watches the ConfigMap
 * (pilot/pkg/bootstrap/mesh.go, kubemesh.NewConfigMapSource) and pushes a change within about a
 * second. So one install per Istio version (and mesh profile) serves every scenario: a scenario's
 * or a phase's meshConfig/proxyMetadata is a patch of that ConfigMap, restored afterwards.
 *
 * proxyMetadata (meshConfig.defaultConfig) is read when a proxy starts: the runner restarts the
 * workloads after such a patch (phase-runner.ts), and the session waits a little first so the
 * injector has seen the new mesh (istiod reads the ConfigMap through an informer).
 */

export const MESH_CONFIG_MAP = 'istio';
export const MESH_CONFIG_KEY = 'mesh';
/** The mesh text as installed, kept on the ConfigMap while it is patched: a crashed or --keep run can still be restored. */
export const ORIGINAL_MESH_ANNOTATION = 'casebook.dev/original-mesh';

/**
 * Istio's defaults for the meshConfig keys scenarios set (pkg/config/mesh/mesh.go DefaultMeshConfig,
 * 1.29/1.30): asking for a default is asking for nothing, so `{enableAutoMtls: true}` and `{}`
 * are the same mesh and cost neither an install nor a patch.
 */
export const ISTIO_MESH_DEFAULTS: Readonly<Record<string, unknown>> = {
  enableAutoMtls: true,
  outboundTrafficPolicy: { mode: 'ALLOW_ANY' },
};

/** `overrides` without what equals `defaults` (deep), and without objects left empty. */
function withoutDefaults(overrides: Record<string, unknown>, defaults: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(overrides)) {
    if (v === undefined) continue;
    const d = defaults[k];
    if (isObject(v)) {
      const inner = withoutDefaults(v, isObject(d) ? d : {});
      if (Object.keys(inner).length > 0) out[k] = inner;
    } else if (canonicalJson(v) !== canonicalJson(d)) {
      out[k] = v;
    }
  }
  return out;
}

/** What of a mesh is changed at run time (the `istio` ConfigMap): meshConfig and proxyMetadata, defaults dropped. */
export type MeshPatch = { meshConfig?: Record<string, unknown>; proxyMetadata?: Record<string, string> };

export function meshPatchOf(mesh: Pick<MeshRequirements, 'meshConfig' | 'proxyMetadata'>): MeshPatch {
  const meshConfig = withoutDefaults(mesh.meshConfig ?? {}, ISTIO_MESH_DEFAULTS);
  const proxyMetadata = Object.fromEntries(Object.entries(mesh.proxyMetadata ?? {}).map(([k, v]) => [k, String(v)]));
  return {
    ...(Object.keys(meshConfig).length > 0 ? { meshConfig } : {}),
    ...(Object.keys(proxyMetadata).length > 0 ? { proxyMetadata } : {}),
  };
}

/** What needs an install: the profile alone. Scenarios that differ only in meshConfig share it. */
export function installMeshOf(mesh: MeshRequirements): MeshRequirements {
  return { profile: mesh.profile };
}

export function isEmptyPatch(p: MeshPatch): boolean {
  return p.meshConfig === undefined && p.proxyMetadata === undefined;
}

/** The installed mesh text (YAML of a MeshConfig) with the patch merged over it: objects key by key, the rest replaced. */
export function patchMeshText(original: string, patch: MeshPatch): string {
  const parsed: unknown = original.trim() === '' ? {} : parse(original);
  if (!isObject(parsed))
    throw new InfrastructureError(
      'the mesh key of the istio ConfigMap is not a YAML map',
      'look at kubectl -n istio-system get cm istio -o yaml',
    );
  return stringify(patchedMesh(parsed, patch));
}

/**
 * A MeshConfig (as a plain object) with the patch merged over it, the input left as it was:
 * meshConfig key by key, proxyMetadata into defaultConfig.proxyMetadata. The runtime path writes
 * the result into the `istio` ConfigMap; the config level renders it into the install.
 */
export function patchedMesh(mesh: Record<string, unknown>, patch: MeshPatch): Record<string, unknown> {
  const out = structuredClone(mesh);
  deepMerge(out, patch.meshConfig ?? {});
  if (patch.proxyMetadata) {
    const defaultConfig = isObject(out['defaultConfig']) ? out['defaultConfig'] : ((out['defaultConfig'] = {}) as Record<string, unknown>);
    const metadata = isObject(defaultConfig['proxyMetadata'])
      ? defaultConfig['proxyMetadata']
      : ((defaultConfig['proxyMetadata'] = {}) as Record<string, unknown>);
    Object.assign(metadata, patch.proxyMetadata);
  }
  return out;
}

/** The `istio` ConfigMap, behind an interface so the patch logic is tested without a cluster. */
export type MeshConfigApi = {
  /** The current `mesh` text and the installed text kept while patched (undefined when not patched). */
  read(): Promise<{ mesh: string; original: string | undefined }>;
  /** Writes `mesh`; `original` set keeps the installed text on the ConfigMap, undefined removes it. */
  write(mesh: string, original: string | undefined): Promise<void>;
};

export type InstallOutcome = { action: 'reused' | 'installed' | 'reinstalled'; hash: string };

export type MeshChange = {
  install: InstallOutcome | undefined;
  /** 'patched': the ConfigMap now holds the patch; 'restored': back to the installed mesh; 'unchanged': nothing written. */
  config: 'patched' | 'restored' | 'unchanged';
};

export type MeshSessionOptions = {
  /** Installs (or reuses) Istio for a profile-only mesh (ensureIstio). */
  install(mesh: MeshRequirements): Promise<InstallOutcome>;
  api: MeshConfigApi;
  log?: (line: string) => void;
  /** After a patch that changes proxyMetadata: time for istiod's informer to see it before pods restart (default 2 s). */
  injectorSettleMs?: number;
  sleep?: (ms: number) => Promise<void>;
};

export type MeshSession = {
  /** Istio for this mesh: an install only when the profile changes; meshConfig/proxyMetadata by patching the ConfigMap. */
  ensureMesh(mesh: MeshRequirements): Promise<MeshChange>;
  /** Puts the installed mesh back (end of the run); a no-op when nothing is patched. */
  restore(): Promise<void>;
};

export function meshSession(opts: MeshSessionOptions): MeshSession {
  const log = opts.log ?? (() => {});
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  let installedKey: string | undefined;
  /** canonicalJson of the patch the ConfigMap holds; undefined until read after an install. */
  let applied: string | undefined;
  let appliedPatch: MeshPatch = {};

  const write = async (patch: MeshPatch): Promise<'patched' | 'restored'> => {
    const { mesh, original } = await opts.api.read();
    const base = original ?? mesh;
    if (isEmptyPatch(patch)) {
      await opts.api.write(base, undefined);
      log(`mesh config restored to the installed one`);
      return 'restored';
    }
    await opts.api.write(patchMeshText(base, patch), base);
    log(`mesh config patched: ${canonicalJson(patch)}`);
    return 'patched';
  };

  return {
    async ensureMesh(mesh) {
      const installMesh = installMeshOf(mesh);
      const key = canonicalJson(installMesh);
      let install: InstallOutcome | undefined;
      if (key !== installedKey) {
        install = await opts.install(installMesh);
        installedKey = key;
        if (install.action === 'reused') {
          // A reused install may still hold a patch of an earlier run (--keep, a crash): judge from the ConfigMap.
          const { original } = await opts.api.read();
          applied = original === undefined ? canonicalJson({}) : undefined;
        } else {
          // A fresh install wrote the ConfigMap: whatever was kept as "original" belongs to the old one.
          const { mesh: text, original } = await opts.api.read();
          if (original !== undefined) await opts.api.write(text, undefined);
          applied = canonicalJson({});
        }
        appliedPatch = {};
      }
      const patch = meshPatchOf(mesh);
      const wanted = canonicalJson(patch);
      if (wanted === applied) return { install, config: 'unchanged' };
      const before = appliedPatch;
      const config = await write(patch);
      applied = wanted;
      appliedPatch = patch;
      if (canonicalJson(before.proxyMetadata ?? {}) !== canonicalJson(patch.proxyMetadata ?? {}))
        await sleep(opts.injectorSettleMs ?? 2000);
      return { install, config };
    },
    async restore() {
      if (installedKey === undefined) return;
      const { original } = await opts.api.read();
      if (original === undefined) return;
      await opts.api.write(original, undefined);
      applied = canonicalJson({});
      appliedPatch = {};
      log('mesh config restored to the installed one');
    },
  };
}

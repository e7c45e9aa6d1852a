import { parseAllDocuments } from 'yaml';
import { ScenarioLoadError, type LoadProblem } from '../model/errors.ts';
import { isClusterScoped as isClusterScopedKind } from '../model/cluster-scoped.ts';

/** A Kubernetes object exactly as written in YAML: no typed model in between. */
export type KubeObject = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; [k: string]: unknown };
  [k: string]: unknown;
};

/**
 * Parses multi-document YAML into plain objects with the `yaml` package (YAML 1.2 core schema,
 * the same as the js-yaml 4 that client-node uses). Not client-node's loadAllYaml: it runs every
 * known kind through the typed models (ObjectSerializer.deserialize), which drops unknown fields
 * (a `replicaz` typo vanishes instead of being rejected by the server) and renames
 * `x-kubernetes-preserve-unknown-fields` to `x_kubernetes_preserve_unknown_fields` (checked on
 * client-node 2.0.1; kubernetes-client/javascript#2962).
 */
export function parseManifest(text: string, source: string): KubeObject[] {
  const problems: LoadProblem[] = [];
  const objects: KubeObject[] = [];
  parseAllDocuments(text).forEach((doc, i) => {
    const location = `${source}#${i + 1}`;
    if (doc.errors.length > 0) {
      problems.push(...doc.errors.map((e) => ({ location, message: e.message })));
      return;
    }
    let value: unknown;
    try {
      // A billion-laughs document ("Excessive alias count") throws here: a problem of this file
      // and document, exit 2 naming them, not a harness failure.
      value = doc.toJS();
    } catch (e) {
      problems.push({ location, message: `cannot be read: ${(e as Error).message}` });
      return;
    }
    if (value === null || value === undefined) return; // empty document (a trailing ---)
    const problem = shapeProblem(value);
    if (problem) problems.push({ location, message: problem });
    else objects.push(value as KubeObject);
  });
  if (problems.length > 0) throw new ScenarioLoadError(problems);
  return objects;
}

function shapeProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || Array.isArray(value)) return 'not a Kubernetes object (expected a mapping)';
  const o = value as Record<string, unknown>;
  const meta = o['metadata'] as Record<string, unknown> | undefined;
  if (typeof o['apiVersion'] !== 'string') return 'apiVersion is missing';
  if (typeof o['kind'] !== 'string') return 'kind is missing';
  if (typeof meta?.['name'] !== 'string') return `${String(o['kind'])} has no metadata.name`;
  return undefined;
}

export function isClusterScoped(o: KubeObject): boolean {
  return isClusterScopedKind(o.kind);
}

/** A copy of each namespaced object placed in `namespace` (workload manifests are namespace-free). */
export function inNamespace(objects: readonly KubeObject[], namespace: string): KubeObject[] {
  return objects.map((o) =>
    isClusterScoped(o) ? structuredClone(o) : { ...structuredClone(o), metadata: { ...structuredClone(o.metadata), namespace } },
  );
}

/** A copy of each object with these labels added (ours, so cleanup can find them). */
export function withLabels(objects: readonly KubeObject[], labels: Record<string, string>): KubeObject[] {
  return objects.map((o) => {
    const copy = structuredClone(o);
    copy.metadata.labels = { ...copy.metadata.labels, ...labels };
    return copy;
  });
}

/** Identity across API versions: group, kind, namespace, name (v1 and v1beta1 of one group match). */
export function objectKey(o: KubeObject): string {
  const group = o.apiVersion.includes('/') ? o.apiVersion.split('/')[0] : '';
  return `${group}|${o.kind}|${o.metadata.namespace ?? ''}|${o.metadata.name}`;
}

/** "DestinationRule demo1/httpbin" */
export function describeObject(o: KubeObject): string {
  return `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`;
}

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Finds the published schema for an apiVersion/kind:
 *   - Kubernetes built-ins: `kubernetes-models` (OpenAPI of Kubernetes 1.15.5 … 1.36.0 merged, so
 *     removed APIs are still known; generate.ts in tommy351/kubernetes-models-ts).
 *   - Istio: `@kubernetes-models/istio` (crd-all.gen.yaml of Istio 1.29.2, IstioOperator CRD of 1.18.0).
 * Each model class carries its ajv-compiled validator; calling it on our own object (a Proxy, see
 * trace-unknown-fields.ts) validates types, enums, formats and required fields.
 */
export type SchemaValidator = {
  /** Throws an ajv ValidationError (with `.errors`) when the object does not match. */
  validate(object: unknown): void;
  /** e.g. "kubernetes-models 5.1.0" */
  source: string;
  /** Paths the CRD declares `x-kubernetes-preserve-unknown-fields` but the compiled validator lost. */
  opaquePaths: readonly string[];
};

/**
 * The IstioOperator CRD (manifests/charts/base/crds/crd-operator.yaml, Istio 1.18.0) declares
 * spec and status as `type: object, x-kubernetes-preserve-unknown-fields: true`; the generated
 * validator keeps only apiVersion/kind/metadata. istioctl validates the spec when it installs.
 */
const OPAQUE_PATHS: Record<string, readonly string[]> = {
  'install.istio.io/v1alpha1|IstioOperator': ['spec', 'status'],
};

type ModelClass = { apiVersion?: string; kind?: string; prototype: { validate(this: unknown): void } };

const SOURCES = {
  kubernetes: 'kubernetes-models',
  istio: '@kubernetes-models/istio',
} as const;

export function schemaSources(): { kubernetes: string; istio: string } {
  return { kubernetes: describeSource(SOURCES.kubernetes), istio: describeSource(SOURCES.istio) };
}

const cache = new Map<string, Promise<SchemaValidator | undefined>>();

export function schemaFor(apiVersion: string, kind: string): Promise<SchemaValidator | undefined> {
  const key = `${apiVersion}|${kind}`;
  let found = cache.get(key);
  if (!found) cache.set(key, (found = lookup(apiVersion, kind)));
  return found;
}

async function lookup(apiVersion: string, kind: string): Promise<SchemaValidator | undefined> {
  // Only names that can be a Kubernetes kind and group/version reach the import specifier.
  if (!/^[A-Z][A-Za-z0-9]*$/.test(kind) || !/^([a-z0-9.-]+\/)?v[0-9a-z]+$/.test(apiVersion)) return undefined;
  const pkg = apiVersion.includes('.istio.io/') ? SOURCES.istio : SOURCES.kubernetes;
  let mod: Record<string, unknown>;
  try {
    mod = (await import(`${pkg}/${apiVersion}/${kind}`)) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const cls = mod[kind] as ModelClass | undefined;
  // DeploymentSpec is a model too, but not a kind: only classes with apiVersion/kind are objects.
  if (!cls || cls.apiVersion !== apiVersion || cls.kind !== kind) return undefined;
  return {
    source: describeSource(pkg),
    opaquePaths: OPAQUE_PATHS[`${apiVersion}|${kind}`] ?? [],
    // setValidateFunc installs `validate()` on the prototype; it validates `this`, so we can hand
    // it any object without copying it into a model (a copy would hide our Proxy).
    validate: (object) => cls.prototype.validate.call(object),
  };
}

function describeSource(pkg: string): string {
  const dir = dirname(fileURLToPath(import.meta.resolve(pkg)));
  const { version } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string };
  return `${pkg} ${version}`;
}

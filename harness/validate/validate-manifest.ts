import { parseAllDocuments } from 'yaml';
import { withDummies } from '../load/placeholders.ts';
import { isClusterScoped } from '../model/cluster-scoped.ts';
import { schemaFor } from './schema-lookup.ts';
import { formatPath, traceUnknownFields } from './trace-unknown-fields.ts';

/**
 * How a manifest treats metadata.namespace:
 *   required  scenario and mesh manifests: every namespaced object names its namespace, which must
 *             be one of `allowed` (the scenario's own namespaces, or istio-system);
 *   forbidden shared workload manifests: the runner puts them into the WorkloadRef's namespace;
 *   exempt    istioctl input (IstioOperator), never applied as an object.
 */
export type NamespaceRule = { mode: 'required'; allowed?: readonly string[] } | { mode: 'forbidden' } | { mode: 'exempt' };

export type ManifestProblem = {
  file: string;
  /** 1-based index of the YAML document in the file; absent when the problem is about the file or folder. */
  document?: number;
  /** "DestinationRule default/httpbin" when the document is an object. */
  object?: string;
  /** "spec.trafficPolicy.outlierDetection.consecutiveErrorz" */
  field?: string;
  message: string;
};

/** "manifests/x.yaml#1: DestinationRule demo/httpbin: spec.host" */
export function problemLocation(p: ManifestProblem): string {
  return [p.document === undefined ? p.file : `${p.file}#${p.document}`, p.object, p.field].filter(Boolean).join(': ');
}

export function formatProblem(p: ManifestProblem): string {
  return `${problemLocation(p)}: ${p.message}`;
}

/** Parses a (multi-document) YAML file and validates every object in it. */
export async function validateManifestText(file: string, text: string, rule: NamespaceRule): Promise<ManifestProblem[]> {
  const problems: ManifestProblem[] = [];
  const docs = parseAllDocuments(text);
  if (!Array.isArray(docs)) return [{ file, document: 1, message: 'not YAML documents' }];
  for (const [i, doc] of docs.entries()) {
    const document = i + 1;
    if (doc.errors.length > 0) {
      for (const e of doc.errors) {
        const line = e.linePos?.[0];
        problems.push({
          file,
          document,
          message: `YAML error${line ? ` at line ${line.line}, column ${line.col}` : ''}: ${e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`,
        });
      }
      continue;
    }
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) continue; // empty document (e.g. trailing ---)
    problems.push(...(await validateObject(file, document, value, rule)));
  }
  return problems;
}

export async function validateObject(file: string, document: number, value: unknown, rule: NamespaceRule): Promise<ManifestProblem[]> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return [{ file, document, message: 'a manifest document must be a Kubernetes object (a mapping with apiVersion and kind)' }];
  }
  const o = value as { apiVersion?: unknown; kind?: unknown; metadata?: { name?: unknown; namespace?: unknown } };
  if (typeof o.apiVersion !== 'string' || typeof o.kind !== 'string') {
    return [{ file, document, message: 'missing apiVersion or kind' }];
  }
  const name = typeof o.metadata?.name === 'string' ? o.metadata.name : '<no name>';
  const namespace = typeof o.metadata?.namespace === 'string' ? o.metadata.namespace : undefined;
  const object = `${o.kind} ${namespace ? `${namespace}/` : ''}${name}`;
  const problems: ManifestProblem[] = [];
  const add = (field: string | undefined, message: string) => problems.push({ file, document, object, field, message });

  if (o.metadata?.name === undefined) add('metadata.name', 'required: every object we apply has a name');
  problems.push(
    ...namespaceProblems(o.kind, namespace, rule).map((message) => ({ file, document, object, field: 'metadata.namespace', message })),
  );

  const schema = await schemaFor(o.apiVersion, o.kind);
  if (!schema) {
    add(
      'apiVersion',
      `no published schema for ${o.apiVersion} ${o.kind}: use a Kubernetes built-in or an Istio CRD version we validate (networking.istio.io/v1, security.istio.io/v1, …)`,
    );
    return problems;
  }
  // Placeholders (${service.abc/traefik.clusterIP}) become type-correct dummies first.
  const candidate = withDummies(value);
  let schemaErrors: AjvError[] = [];
  const { unknownFields } = traceUnknownFields(
    candidate,
    (proxied) => {
      try {
        schema.validate(proxied);
      } catch (e) {
        const errors = (e as { errors?: AjvError[] }).errors;
        if (!Array.isArray(errors)) throw e;
        schemaErrors = errors;
      }
    },
    { opaquePaths: schema.opaquePaths },
  );
  for (const path of unknownFields) add(formatPath(path), `unknown field (not in the ${o.kind} schema of ${schema.source})`);
  const seen = new Set<string>();
  for (const err of schemaErrors) {
    const segments = err.instancePath.split('/').slice(1).map(unescapePointer);
    if (err.keyword === 'required' && typeof err.params?.['missingProperty'] === 'string') segments.push(err.params['missingProperty']);
    const field = formatPath(segments.map((s) => (/^\d+$/.test(s) ? Number(s) : s)));
    const message = describeAjvError(err);
    const key = `${field}|${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    add(field || undefined, message);
  }
  return problems;
}

function namespaceProblems(kind: string, namespace: string | undefined, rule: NamespaceRule): string[] {
  // IstioOperator is istioctl's input (harness/istio/operator.ts sets its namespace), never applied.
  if (rule.mode === 'exempt' || kind === 'IstioOperator') return [];
  if (isClusterScoped(kind)) {
    if (kind === 'Namespace') return ['the runner creates and labels namespaces itself: remove this object'];
    return namespace === undefined ? [] : [`${kind} is cluster-scoped: remove metadata.namespace`];
  }
  if (rule.mode === 'forbidden') {
    return namespace === undefined
      ? []
      : ['shared workload manifests set no namespace: the runner applies them in the namespace the scenario names (WorkloadRef.namespace)'];
  }
  if (namespace === undefined) return ['required: scenario and mesh manifests name the namespace of every namespaced object'];
  if (rule.allowed && !rule.allowed.includes(namespace)) {
    return [`namespace '${namespace}' is not one of this scenario's namespaces (${rule.allowed.join(', ')})`];
  }
  return [];
}

type AjvError = { instancePath: string; keyword: string; message?: string; params?: Record<string, unknown> };

function describeAjvError(err: AjvError): string {
  const allowed = err.params?.['allowedValues'];
  if (err.keyword === 'enum' && Array.isArray(allowed)) return `must be one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}`;
  if (err.keyword === 'required') return 'required field missing';
  return err.message ?? `fails ${err.keyword}`;
}

function unescapePointer(s: string): string {
  return s.replace(/~1/g, '/').replace(/~0/g, '~');
}

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { stringify } from 'yaml';
import type { KubeObject } from '../kube/manifest-objects.ts';
import { parseManifest } from '../kube/manifest-objects.ts';
import { isClusterScoped } from '../model/cluster-scoped.ts';
import { ScenarioLoadError, UsageError } from '../model/errors.ts';
import type { CertificateRequest, SecretRequest } from '../model/scenario.ts';

/**
 * The learner's fix as `casebook check` reads it: every *.yaml / *.yml under a file or folder,
 * parsed as Kubernetes objects. Secrets are not written with key material: a Secret names the
 * scenario's certificates with placeholders (`${certificate.httpbin.crt}`, `.key`, `.ca`), and the
 * casebook builds it from the scenario's own certificates, as a run does.
 */
export class FixInputError extends UsageError {
  override name = 'FixInputError';
}

export type FixInput = {
  /** Files read, relative to the given path (for the answer). */
  files: string[];
  /** Everything but the certificate Secrets, in file order. */
  objects: KubeObject[];
  /** The certificate Secrets, as the run's secret requests; undefined when the input has none (the starting phase's are kept). */
  secrets?: SecretRequest[];
};

const CERT_PLACEHOLDER = /^\$\{certificate\.([A-Za-z0-9_.-]+)\.(crt|key|ca)\}$/;

export function readFixInput(path: string, certificates: readonly CertificateRequest[] = []): FixInput {
  if (!existsSync(path)) throw new FixInputError(`${path} does not exist`, 'give a YAML file or a folder of YAML files (your fix)');
  const files = statSync(path).isDirectory() ? yamlFiles(path) : [path];
  if (files.length === 0)
    throw new FixInputError(
      `${path} holds no .yaml or .yml file`,
      "put your manifests there (the workspace starts with the broken phase's)",
    );
  const objects: KubeObject[] = [];
  const secrets: SecretRequest[] = [];
  let sawSecret = false;
  for (const f of files) {
    const shown = statSync(path).isDirectory() ? relative(path, f) : f;
    let parsed: KubeObject[];
    try {
      parsed = parseManifest(readFileSync(f, 'utf8'), shown);
    } catch (e) {
      if (e instanceof ScenarioLoadError) {
        throw new FixInputError(
          `${shown} is not valid Kubernetes YAML:\n${e.problems.map((p) => `  ${p.location}: ${p.message}`).join('\n')}`,
          'fix the YAML (every document needs apiVersion, kind and metadata.name), then check again',
        );
      }
      throw e;
    }
    parsed.forEach((o, i) => {
      const at = `${shown}#${i + 1}`;
      if (!isClusterScoped(o.kind) && !o.metadata.namespace) {
        throw new FixInputError(
          `${at}: ${o.kind} ${o.metadata.name} has no metadata.namespace`,
          'give every object its namespace (the casebook applies nothing to a default namespace)',
        );
      }
      if (o.kind === 'Secret' && o.apiVersion === 'v1') {
        sawSecret = true;
        secrets.push(secretRequestOf(o, at, certificates));
      } else {
        objects.push(o);
      }
    });
  }
  return { files: files.map((f) => (statSync(path).isDirectory() ? relative(path, f) : f)), objects, ...(sawSecret ? { secrets } : {}) };
}

function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (e.name.startsWith('.')) continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...yamlFiles(p));
    else if (/\.ya?ml$/.test(e.name)) out.push(p);
  }
  return out;
}

/** The secret request a placeholder Secret stands for (harness/certs/secrets.ts lays out the keys the same way). */
export function secretRequestOf(o: KubeObject, at: string, certificates: readonly CertificateRequest[]): SecretRequest {
  const values = { ...(o['stringData'] as Record<string, unknown> | undefined), ...(o['data'] as Record<string, unknown> | undefined) };
  const names = certificates.map((c) => c.name);
  const ref = (key: string, part: 'crt' | 'key' | 'ca'): string | undefined => {
    const v = values[key];
    if (v === undefined) return undefined;
    const m = CERT_PLACEHOLDER.exec(String(v).trim());
    if (!m) {
      throw new FixInputError(
        `${at}: Secret ${o.metadata.namespace}/${o.metadata.name} key ${key} is not a certificate placeholder`,
        `write ${key}: \${certificate.<name>.${part}} with one of this scenario's certificates (${names.join(', ') || 'none'}); the casebook fills in the PEM`,
      );
    }
    if (!names.includes(m[1]!)) {
      throw new FixInputError(
        `${at}: Secret ${o.metadata.namespace}/${o.metadata.name} names certificate ${m[1]}, which this scenario does not have`,
        `its certificates: ${names.join(', ') || 'none'}`,
      );
    }
    if (m[2] !== part)
      throw new FixInputError(
        `${at}: ${key} takes \${certificate.<name>.${part}}, not .${m[2]}`,
        'see the Secret layouts in secrets.yaml of the workspace',
      );
    return m[1]!;
  };
  const base = { name: o.metadata.name, namespace: o.metadata.namespace! };
  const known = new Set(['tls.crt', 'tls.key', 'ca.crt', 'cert', 'key', 'cacert']);
  const extra = Object.keys(values).filter((k) => !known.has(k));
  if (extra.length > 0 || Object.keys(values).length === 0) {
    throw new FixInputError(
      `${at}: Secret ${base.namespace}/${base.name} ${extra.length > 0 ? `has key(s) ${extra.join(', ')} the casebook does not build` : 'has no data'}`,
      'a Secret holds tls.crt + tls.key (+ ca.crt), or cert + key (+ cacert), or cacert alone, each a ${certificate.<name>.crt|key|ca} placeholder',
    );
  }
  if ('tls.crt' in values || 'tls.key' in values) {
    const cert = ref('tls.crt', 'crt');
    const key = ref('tls.key', 'key');
    if (!cert || cert !== key)
      throw new FixInputError(
        `${at}: tls.crt and tls.key must name the same certificate`,
        'e.g. ${certificate.httpbin.crt} and ${certificate.httpbin.key}',
      );
    const ca = ref('ca.crt', 'ca');
    return { ...base, format: 'tls', cert, ...(ca ? { ca: caOf(ca, certificates) } : {}) };
  }
  if ('cert' in values || 'key' in values) {
    const cert = ref('cert', 'crt');
    const key = ref('key', 'key');
    if (!cert || cert !== key)
      throw new FixInputError(
        `${at}: cert and key must name the same certificate`,
        'e.g. ${certificate.httpbin.crt} and ${certificate.httpbin.key}',
      );
    const ca = ref('cacert', 'ca');
    return { ...base, format: 'generic', cert, ...(ca ? { ca: caOf(ca, certificates) } : {}) };
  }
  const ca = ref('cacert', 'ca');
  return { ...base, format: 'cacert', ca: caOf(ca!, certificates) };
}

/** `${certificate.example-ca.ca}` names the CA itself; `${certificate.httpbin.ca}` the CA that issued httpbin. */
function caOf(name: string, certificates: readonly CertificateRequest[]): string {
  const c = certificates.find((x) => x.name === name);
  return c && c.kind !== 'ca' ? c.ca : name;
}

/** A secret request written as the placeholder Secret a learner edits (the inverse of secretRequestOf). */
export function secretManifest(req: SecretRequest): KubeObject {
  const cert = (n: string | undefined, part: string) => `\${certificate.${n}.${part}}`;
  const data: Record<string, string> = {};
  if (req.format === 'tls') {
    data['tls.crt'] = cert(req.cert, 'crt');
    data['tls.key'] = cert(req.cert, 'key');
    if (req.ca) data['ca.crt'] = cert(req.ca, 'ca');
  } else if (req.format === 'generic') {
    data['cert'] = cert(req.cert, 'crt');
    data['key'] = cert(req.cert, 'key');
    if (req.ca) data['cacert'] = cert(req.ca, 'ca');
  } else {
    data['cacert'] = cert(req.ca, 'ca');
  }
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: req.name, namespace: req.namespace },
    type: req.format === 'tls' ? 'kubernetes.io/tls' : 'Opaque',
    stringData: data,
  };
}

export const SECRETS_HEADER = [
  "# Secrets, made by the casebook from this scenario's certificates. Keep the ${certificate.<name>.crt|key|ca}",
  '# placeholders (the PEM is filled in for you); change the name, the namespace, or which certificate.',
  '# Layouts Istio reads: tls.crt + tls.key (+ ca.crt); cert + key (+ cacert); cacert alone.',
  "# With no Secret in your files at all, the broken phase's Secrets are used as they are.",
].join('\n');

export function secretsYaml(reqs: readonly SecretRequest[]): string {
  return `${SECRETS_HEADER}\n${reqs.map((r) => stringify(secretManifest(r))).join('---\n')}`;
}

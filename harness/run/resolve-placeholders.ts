import { UsageError } from '../model/errors.ts';
import { placeholdersIn, type Placeholder } from '../load/placeholders.ts';

/** Where placeholder values come from during a run. Each is asked only for what is used. */
export type PlaceholderSources = {
  externalIp(name: string): string;
  serviceClusterIp(namespace: string, name: string): Promise<string>;
  /** host:port of the ingress gateway as the host reaches it; undefined when the cluster has none. */
  ingress: { http: string; https: string } | undefined;
  caPemPath(name: string): string;
};

async function valueOf(p: Placeholder, sources: PlaceholderSources): Promise<string> {
  switch (p.kind) {
    case 'external':
      return sources.externalIp(p.name);
    case 'service':
      return sources.serviceClusterIp(p.namespace, p.name);
    case 'ingress':
      if (!sources.ingress)
        throw new UsageError(
          `${p.text} is used, but this cluster has no known ingress address`,
          'use --cluster kind, or give the ingress address of the existing cluster',
        );
      return sources.ingress[p.name];
    case 'ca':
      return sources.caPemPath(p.name);
    case 'unknown':
      throw new UsageError(
        `unknown placeholder ${p.text}`,
        'placeholders are ${external.<name>.ip}, ${service.<ns>/<name>.clusterIP}, ${ingress.http|https}, ${ca.<name>.pem-path}',
      );
  }
}

/** Replaces every placeholder in the strings of `value` (a probe spec, parsed manifests). */
export function substitute<T>(value: T, values: ReadonlyMap<string, string>): T {
  if (typeof value === 'string') {
    return value.replace(/\$\{([^}]*)\}/g, (whole) => values.get(whole) ?? whole) as T;
  }
  if (Array.isArray(value)) return value.map((v) => substitute(v, values)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, values)])) as T;
  }
  return value;
}

/** Looks up each distinct placeholder once, then substitutes; the input is not modified. */
export async function resolvePlaceholders<T>(value: T, sources: PlaceholderSources): Promise<T> {
  const values = new Map<string, string>();
  for (const p of placeholdersIn(value)) {
    if (!values.has(p.text)) values.set(p.text, await valueOf(p, sources));
  }
  return substitute(value, values);
}

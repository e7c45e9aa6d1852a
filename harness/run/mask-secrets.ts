/**
 * A copy of any value (a plan, a rendered object list) in which every Kubernetes Secret's `data`
 * and `stringData` values are replaced by their size. `plan --json` prints rendered manifests, and
 * a Secret's key material must not reach a terminal or a CI log; the size still shows that the
 * entry is there.
 */
export function maskSecretData<T>(value: T): T {
  return mask(value) as T;
}

function mask(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(mask);
  if (v === null || typeof v !== 'object') return v;
  const o = v as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(o)) out[k] = mask(x);
  if (o['kind'] === 'Secret' && typeof o['apiVersion'] === 'string') {
    for (const field of ['data', 'stringData'] as const) {
      const entries = o[field];
      if (entries && typeof entries === 'object') {
        out[field] = Object.fromEntries(
          Object.entries(entries as Record<string, unknown>).map(([k, x]) => [
            k,
            `<${typeof x === 'string' ? (field === 'data' ? Buffer.from(x, 'base64').length : Buffer.byteLength(x)) : 0} bytes, not shown>`,
          ]),
        );
      }
    }
  }
  return out;
}

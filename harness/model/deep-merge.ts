/** A plain object (not null, not an array): what YAML maps and JSON objects parse into. */
export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Merges `overrides` into `target` in place, as Istio merges mesh config and IstioOperator
 * values: objects key by key, arrays and scalars from `overrides` replace. What comes from
 * `overrides` is copied, so `target` never shares structure with it.
 */
export function deepMerge(target: Record<string, unknown>, overrides: Record<string, unknown>): Record<string, unknown> {
  for (const [key, value] of Object.entries(overrides)) {
    const current = target[key];
    if (isObject(current) && isObject(value)) deepMerge(current, value);
    else target[key] = structuredClone(value);
  }
  return target;
}

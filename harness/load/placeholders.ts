/**
 * Placeholders the runner resolves just before a phase (harness/model/probe-spec.ts):
 *   ${external.<name>.ip}  ${service.<ns>/<name>.clusterIP}  ${ingress.http}  ${ingress.https}
 *   ${ca.<name>.pem-path}
 */
export type Placeholder =
  | { kind: 'external'; text: string; name: string }
  | { kind: 'service'; text: string; namespace: string; name: string }
  | { kind: 'ingress'; text: string; name: 'http' | 'https' }
  | { kind: 'ca'; text: string; name: string }
  | { kind: 'unknown'; text: string };

const ANY = /\$\{([^}]*)\}/g;

export function parsePlaceholder(text: string, body: string): Placeholder {
  let m = /^external\.([a-z0-9-]+)\.ip$/.exec(body);
  if (m) return { kind: 'external', text, name: m[1]! };
  m = /^service\.([a-z0-9-]+)\/([a-z0-9-]+)\.clusterIP$/.exec(body);
  if (m) return { kind: 'service', text, namespace: m[1]!, name: m[2]! };
  m = /^ingress\.(https?)$/.exec(body);
  if (m) return { kind: 'ingress', text, name: m[1] as 'http' | 'https' };
  m = /^ca\.([a-z0-9-]+)\.pem-path$/.exec(body);
  if (m) return { kind: 'ca', text, name: m[1]! };
  return { kind: 'unknown', text };
}

/** Every placeholder in the strings of a value (objects and arrays walked). */
export function placeholdersIn(value: unknown): Placeholder[] {
  const out: Placeholder[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === 'string') {
      for (const m of v.matchAll(ANY)) out.push(parsePlaceholder(m[0], m[1]!));
    } else if (Array.isArray(v)) v.forEach(walk);
    else if (v !== null && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(value);
  return out;
}

/**
 * A type-correct stand-in for each placeholder, so schema validation sees a plausible value
 * (an IP where an IP goes) instead of failing on `${…}`.
 */
export function substituteDummies(text: string): string {
  return text.replace(ANY, (whole, body: string) => {
    const p = parsePlaceholder(whole, body);
    switch (p.kind) {
      case 'external':
        return '192.0.2.10'; // TEST-NET-1 (RFC 5737): never a real host
      case 'service':
        return '10.96.0.10';
      case 'ingress':
        return p.name === 'http' ? '127.0.0.1:8080' : '127.0.0.1:8443';
      case 'ca':
        return '/etc/casebook/ca.pem';
      case 'unknown':
        return whole;
    }
  });
}

/** Replaces placeholders in every string of a parsed document. */
export function withDummies<T>(value: T): T {
  if (typeof value === 'string') return substituteDummies(value) as T;
  if (Array.isArray(value)) return value.map(withDummies) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withDummies(v)])) as T;
  }
  return value;
}

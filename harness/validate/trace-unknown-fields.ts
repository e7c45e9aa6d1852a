/**
 * Unknown-field detection that derives from the published schemas, not from a field list.
 *
 * The validators shipped by kubernetes-models / @kubernetes-models/istio are ajv-compiled code:
 * for every property a schema declares, the code reads `data.<property>` (to test its presence
 * and type), and for maps (additionalProperties) it reads `data[key]` for every key. Unknown
 * properties are never read, because nothing in the schema mentions them. So we run the real
 * validator over a Proxy of the object and record which keys it read at which path:
 *   - a key the validator read (get/has) is known to the schema;
 *   - a key it did not read, in an object where it read at least one other key, is unknown;
 *   - an object in which it read nothing is opaque to the schema (`x-kubernetes-preserve-
 *     unknown-fields`, `type: object` without properties, or a map with trivial values): nothing
 *     inside it is judged.
 * Limits: a property whose schema is trivially valid (no type, description only) generates no
 * read, so a struct made only of such properties is treated as opaque (a missed unknown field,
 * never a false one). Keys read only inside a failing oneOf/anyOf branch count as known.
 */
export type PathSegment = string | number;
export type TraceResult = { unknownFields: PathSegment[][] };

const SEP = '\u0000';
/** Reads made by generic JavaScript (coercion, promise and JSON probing), not by a schema. */
const NOT_FIELDS = new Set(['then', 'toJSON', 'constructor', 'toString', 'valueOf', 'hasOwnProperty']);

export function traceUnknownFields(
  value: unknown,
  run: (proxied: unknown) => void,
  options: { opaquePaths?: readonly string[] } = {},
): TraceResult {
  const opaque = new Set(options.opaquePaths ?? []);
  const readsByParent = new Map<string, Set<string>>();
  const noteRead = (path: PathSegment[], key: string | symbol) => {
    if (typeof key !== 'string' || NOT_FIELDS.has(key)) return;
    const parent = path.join(SEP);
    let keys = readsByParent.get(parent);
    if (!keys) readsByParent.set(parent, (keys = new Set()));
    keys.add(key);
  };
  const wrap = (v: unknown, path: PathSegment[]): unknown => {
    if (v === null || typeof v !== 'object') return v;
    return new Proxy(v, {
      get(target, key, receiver) {
        noteRead(path, key);
        const child = Reflect.get(target, key, receiver);
        return typeof key === 'string' && Object.hasOwn(target, key) ? wrap(child, [...path, segment(target, key)]) : child;
      },
      has(target, key) {
        noteRead(path, key);
        return Reflect.has(target, key);
      },
      // Not getOwnPropertyDescriptor: Object.keys() asks it for every key (minProperties and
      // maxProperties count keys that way), which would make every key of a struct look known.
      // Maps are still seen: their validators read each value with data[key].
    });
  };
  run(wrap(value, []));

  const unknownFields: PathSegment[][] = [];
  const walk = (v: unknown, path: PathSegment[]) => {
    if (Array.isArray(v)) {
      v.forEach((item, i) => walk(item, [...path, i]));
      return;
    }
    if (v === null || typeof v !== 'object') return;
    const read = readsByParent.get(path.join(SEP));
    for (const [key, child] of Object.entries(v)) {
      const childPath = [...path, key];
      if (opaque.has(formatPath(childPath))) continue;
      if (read !== undefined && !read.has(key)) unknownFields.push(childPath);
      else walk(child, childPath);
    }
  };
  walk(value, []);
  return { unknownFields };
}

function segment(target: object, key: string): PathSegment {
  return Array.isArray(target) && /^\d+$/.test(key) ? Number(key) : key;
}

/** `spec.ports[0].name`; keys that are not identifiers are quoted: `metadata.annotations["a/b"]`. */
export function formatPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const s of path) {
    if (typeof s === 'number') out += `[${s}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(s)) out += out === '' ? s : `.${s}`;
    else out += `[${JSON.stringify(s)}]`;
  }
  return out;
}

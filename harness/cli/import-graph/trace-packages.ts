import { registerHooks } from 'node:module';

/**
 * Records which npm packages a process loads, by watching module resolution. Used (via
 * `node --import`) by the import-graph guard and the CLI benchmark, to prove that a command
 * does not load code it never calls: the cost of a command at the front door is almost all
 * module loading (docs/performance notes in the README).
 */
const loaded = new Set<string>();
registerHooks({
  resolve(specifier, context, next) {
    const result = next(specifier, context);
    const pkg = packageOf(result.url);
    if (pkg) loaded.add(pkg);
    return result;
  },
});

/** `file:///…/node_modules/@scope/name/…` → `@scope/name`; undefined outside node_modules. */
export function packageOf(url: string): string | undefined {
  const i = url.lastIndexOf('/node_modules/');
  if (i < 0) return undefined;
  const parts = url.slice(i + '/node_modules/'.length).split('/');
  return parts[0]?.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
}

export function loadedPackages(): string[] {
  return [...loaded].sort();
}

import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const SCENARIO = 'destinationrule-without-tls-overrides-mesh-mtls';

/**
 * A throwaway casebook root (CASEBOOK_ROOT) holding this repository's first scenario, its
 * registry and manifests, with `harness` symlinked so scenario modules import the real harness.
 * Tests change files in it freely; changes to the real scenarios cannot make these tests flaky.
 */
export function makeTempRoot(): { root: string; dispose(): void } {
  const root = mkdtempSync(join(tmpdir(), 'casebook-root-'));
  const copy = (path: string) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    cpSync(join(REPO, path), join(root, path), { recursive: true });
  };
  for (const path of [
    `scenarios/${SCENARIO}`,
    'scenarios/write-ups.ts',
    'manifests/mesh',
    `manifests/scenarios/${SCENARIO}`,
    'manifests/workloads/curl.yaml',
    'manifests/workloads/httpbin.yaml',
    'package.json',
  ])
    copy(path);
  symlinkSync(join(REPO, 'harness'), join(root, 'harness'));
  // A registry of just this scenario, whatever the repository's registry holds by now.
  writeFileSync(join(root, 'scenarios/index.ts'), `import only from './${SCENARIO}/scenario.ts';\nexport const scenarios = [only];\n`);
  return { root, dispose: () => rmSync(root, { recursive: true, force: true }) };
}

/** Every file under root with its size and mtime: "changes nothing" is checked against this. */
export function snapshot(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, e.name);
      if (e.isSymbolicLink()) {
        out.push(`${relative(root, full)} -> link`);
        continue;
      }
      if (e.isDirectory()) {
        walk(full);
        continue;
      }
      const st = statSync(full);
      out.push(`${relative(root, full)} ${st.size} ${st.mtimeMs}`);
    }
  };
  walk(root);
  return out.sort();
}

export { SCENARIO };

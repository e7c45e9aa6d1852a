import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import which from 'which';
import { PrerequisiteError } from '../model/errors.ts';
import { defaultCacheDir } from '../tools/cache-dir.ts';
import { simDir, type ConfigBuild } from './releases.ts';

/**
 * The config level's Go helper, built once per Istio build and source change and cached under
 * <cache>/istio-sim/<label>-<key>/. Go's own module and build caches make a rebuild after a
 * source change take seconds; the first build downloads Istio's modules from the Go module proxy
 * and compiles them (minutes).
 */
export type HelperOptions = {
  root: string;
  env?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
};

export class GoMissingError extends PrerequisiteError {
  override name = 'GoMissingError';
}

/** Go's own tarball installs to /usr/local/go, often without a PATH entry for non-login shells. */
export async function findGo(
  env: NodeJS.ProcessEnv = process.env,
  fallbacks: readonly string[] = ['/usr/local/go/bin/go'],
): Promise<string> {
  // CASEBOOK_GO names the go binary to use (a toolchain off PATH); when set, nothing else is tried.
  const chosen = env['CASEBOOK_GO'];
  if (chosen !== undefined) {
    if (existsSync(chosen)) return chosen;
    throw new GoMissingError(
      `CASEBOOK_GO is ${chosen}, which does not exist`,
      'point CASEBOOK_GO at a go binary (Go 1.26 or newer), or unset it to use go from PATH',
    );
  }
  const go = await which('go', { nothrow: true, path: env['PATH'] ?? '' });
  if (go) return go;
  const found = fallbacks.find((f) => existsSync(f));
  if (found) return found;
  throw new GoMissingError(
    "Go is not on PATH: the config level builds Istio's own code (istio-sim/) with Go 1.26 or newer",
    'install Go (https://go.dev/dl/, or your package manager) with access to a Go module proxy, or use --level runtime',
  );
}

/** A key over everything that decides the binary: our sources, the build's go.mod/go.sum, Go's version. */
export async function helperKey(root: string, build: ConfigBuild, goVersion: string): Promise<string> {
  const dir = simDir(root);
  const h = createHash('sha256').update(goVersion).update(build.version);
  const files = (await readdir(dir)).filter((f) => f.endsWith('.go')).sort();
  for (const f of files) h.update(f).update(await readFile(join(dir, f)));
  const mod = build.modfile;
  h.update(await readFile(join(dir, mod)));
  const sum = mod.replace(/\.mod$/, '.sum');
  if (existsSync(join(dir, sum))) h.update(await readFile(join(dir, sum)));
  return h.digest('hex').slice(0, 16);
}

export async function ensureHelper(build: ConfigBuild, opts: HelperOptions): Promise<string> {
  const env = opts.env ?? process.env;
  const log = opts.log ?? (() => {});
  const go = await findGo(env);
  const { stdout: goVersion } = await execa(go, ['env', 'GOVERSION'], { env });
  const key = await helperKey(opts.root, build, goVersion.trim());
  const dir = join(defaultCacheDir(env), 'istio-sim', `${build.label.replace(/[^A-Za-z0-9._-]/g, '_')}-${key}`);
  const binary = join(dir, 'istio-sim.test');
  if (existsSync(binary)) return binary;
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const tmp = `${binary}.${process.pid}.partial`;
  log(
    `config level: building Istio's code at ${build.label} with ${goVersion.trim()} (the first build downloads and compiles istio.io/istio: several minutes; later ones are cached)`,
  );
  const started = Date.now();
  try {
    await execa(
      go,
      [
        'test',
        '-c',
        '-vet=off',
        `-modfile=${build.modfile}`,
        '-ldflags',
        `-X casebook.dev/istio-sim.istioModuleVersion=${build.version}`,
        '-o',
        tmp,
        '.',
      ],
      { cwd: simDir(opts.root), env: { ...env, GOFLAGS: '-mod=readonly' }, all: true },
    );
  } catch (e) {
    await rm(tmp, { force: true });
    const out = (e as { all?: string }).all ?? String(e);
    throw new PrerequisiteError(
      `building the config-level helper for ${build.label} failed:\n${out.split('\n').slice(-15).join('\n')}`,
      'check that the Go module proxy is reachable (GOPROXY) and Go is 1.26 or newer; `npx casebook doctor` checks both',
    );
  }
  await rename(tmp, binary);
  // Builds of the same label from another istio-sim source: another checkout on this machine may
  // still use one, so only those unused for a week go.
  const prefix = `${build.label.replace(/[^A-Za-z0-9._-]/g, '_')}-`;
  const parent = join(defaultCacheDir(env), 'istio-sim');
  for (const d of await readdir(parent)) {
    const old = join(parent, d);
    if (!d.startsWith(prefix) || old === dir) continue;
    const used = await stat(join(old, 'istio-sim.test')).then(
      (st) => st.atimeMs,
      () => 0,
    );
    if (Date.now() - used > 7 * 86_400_000) await rm(old, { recursive: true, force: true });
  }
  log(`config level: built ${build.label} in ${Math.round((Date.now() - started) / 1000)} s`);
  return binary;
}

/* global process, console, URL */
// Plain JavaScript that runs on old Node (Debian's and many CI images' default is Node 20): when
// this Node is older than the harness needs, get Node 24 from the npm registry package
// node-<os>-<arch>@24 (the way .ci/run does, no root needed) into the casebook cache, say so in one
// line, and run the command again with it. Used by bin/casebook.mjs and by `npm test`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const MIN = [22, 22];

export function nodeIsRecentEnough(version = process.versions.node) {
  const [major, minor] = version.split('.').map(Number);
  return major > MIN[0] || (major === MIN[0] && minor >= MIN[1]);
}

function cacheDir(env) {
  const xdg = env.XDG_CACHE_HOME;
  return join(xdg && xdg.startsWith('/') ? xdg : join(homedir(), '.cache'), 'istio-casebook');
}

const refuse = (why) => {
  process.stderr.write(
    `casebook needs Node.js >= ${MIN.join('.')} (Node 24 LTS recommended); this is Node ${process.versions.node}, and ${why}.\n` +
      'Get Node 24 from the npm registry without root:\n' +
      `  npm pack node-${process.platform}-${process.arch}@24 && tar xzf node-${process.platform}-${process.arch}-24.*.tgz\n` +
      '  export PATH="$PWD/package/bin:$PATH"   # its bin/node\n',
  );
  process.exit(2);
};

/** The bin folder of a cached Node 24, fetched with `npm pack` when missing; exits 2 saying why when that fails. */
export function ensureNode24(env = process.env) {
  const pkg = `node-${process.platform}-${process.arch}`;
  const dir = join(cacheDir(env), 'node', `${pkg}-24`);
  const bin = join(dir, 'package', 'bin');
  if (existsSync(join(bin, 'node'))) return bin;
  if (process.platform !== 'linux' && process.platform !== 'darwin') refuse(`the npm registry has no ${pkg} package to fetch`);
  console.error(
    `casebook: Node ${process.versions.node} is older than ${MIN.join('.')}; fetching Node 24 (${pkg}@24) from the npm registry into ${dir}`,
  );
  mkdirSync(join(cacheDir(env), 'node'), { recursive: true });
  // Staged beside the target and renamed into place, so an interrupted fetch leaves no half copy.
  const staging = mkdtempSync(join(cacheDir(env), 'node', '.fetch-'));
  try {
    const pack = spawnSync('npm', ['pack', '--silent', `${pkg}@24`], {
      cwd: staging,
      stdio: ['ignore', 'pipe', 'inherit'],
      encoding: 'utf8',
      timeout: 600_000,
    });
    const tgz = readdirSync(staging).find((f) => f.endsWith('.tgz'));
    if (pack.status !== 0 || !tgz) refuse(`\`npm pack ${pkg}@24\` failed (exit ${pack.status ?? pack.signal})`);
    const untar = spawnSync('tar', ['xzf', tgz], { cwd: staging, stdio: 'inherit', timeout: 600_000 });
    if (untar.status !== 0 || !existsSync(join(staging, 'package', 'bin', 'node'))) refuse(`unpacking ${tgz} failed`);
    rmSync(join(staging, tgz), { force: true });
    rmSync(dir, { recursive: true, force: true });
    renameSync(staging, dir);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return bin;
}

/** Runs argv with Node 24's bin first on PATH and exits with its status (signals included). */
export function rerunWithNode24(argv, env = process.env) {
  const bin = ensureNode24(env);
  const r = spawnSync(argv[0] === 'node' ? join(bin, 'node') : argv[0], argv.slice(1), {
    stdio: 'inherit',
    env: { ...env, PATH: `${bin}:${env.PATH ?? ''}` },
  });
  if (r.error) refuse(`running ${argv[0]} failed: ${r.error.message}`);
  process.exit(r.status ?? 1);
}

// `node bin/node24.mjs <command…>` (npm test): run the command with a recent enough Node.
if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  const argv = process.argv.slice(2);
  if (nodeIsRecentEnough()) {
    const r = spawnSync(argv[0], argv.slice(1), { stdio: 'inherit' });
    process.exit(r.status ?? 1);
  }
  rerunWithNode24(argv);
}

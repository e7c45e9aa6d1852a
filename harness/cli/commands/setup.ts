import { fileURLToPath } from 'node:url';
import { Option, type Command } from 'commander';
import semver from 'semver';
import { UsageError } from '../../model/errors.ts';
import type { CommandRunner } from '../../tools/command-runner.ts';
import type { ResolvedTool } from '../../tools/resolve-tool.ts';
import type { Step } from '../../tools/run-steps.ts';
import { DEFAULT_ISTIO_VERSIONS, KIND_NODE_IMAGE, KIND_VERSION } from '../../tools/versions.ts';

export type SetupDeps = {
  out?: (line: string) => void;
  runner?: CommandRunner;
  /** manifests/workloads of this repository unless told otherwise (tests). */
  workloadsDir?: string;
  tty?: boolean;
  env?: NodeJS.ProcessEnv;
};

type SetupOptions = { istio?: string; kind: string; mirror?: string; cacheDir?: string; images: boolean };

const WORKLOADS_DIR = fileURLToPath(new URL('../../../manifests/workloads/', import.meta.url));

/**
 * `casebook setup [--istio 1.30.3,1.31.0] [--mirror <url>]`: fills the tool cache (kind and one
 * istioctl per Istio version, each sha256-verified) and, when Docker is reachable, pulls the kind
 * node image and the workload images, so a CI job can cache ~/.cache/istio-casebook and run offline.
 */
export function registerSetupCommand(program: Command, deps: SetupDeps = {}): Command {
  return program
    .command('setup')
    .description('download and verify kind and istioctl into the cache, pull scenario images when Docker is there')
    .option('--istio <versions>', `Istio versions, comma-separated (default ${DEFAULT_ISTIO_VERSIONS.join(',')})`)
    .option('--kind <version>', 'kind version', KIND_VERSION)
    .option('--mirror <url>', 'base URL replacing https://github.com for downloads (default $CASEBOOK_MIRROR)')
    .option('--cache-dir <dir>', 'tool cache (default $XDG_CACHE_HOME/istio-casebook or ~/.cache/istio-casebook)')
    .addOption(new Option('--no-images', 'do not pull container images'))
    .addOption(
      new Option(
        '--level <level>',
        "runtime: kind, istioctl and images; config: build the config-level helper (Istio's code, with Go) for every recorded Istio build",
      )
        .choices(['runtime', 'config'])
        .default('runtime'),
    )
    .action(async (opts: SetupOptions & { level?: 'runtime' | 'config' }) => {
      if (opts.level === 'config') {
        await setupConfigLevel(deps);
        return;
      }
      await setup(opts, deps);
    });
}

/** Builds (or finds cached) the istio-sim helper for every build in istio-sim/releases.json. */
async function setupConfigLevel(deps: SetupDeps): Promise<void> {
  const out = deps.out ?? ((line: string) => console.log(line));
  const env = deps.env ?? process.env;
  const [{ ensureHelper }, { readReleases }, { casebookRoot }] = await Promise.all([
    import('../../config-level/go-helper.ts'),
    import('../../config-level/releases.ts'),
    import('../../load/casebook-root.ts'),
  ]);
  const root = casebookRoot(env);
  for (const build of readReleases(root).builds) {
    const started = Date.now();
    const binary = await ensureHelper(build, { root, env, log: out });
    out(`config level ${build.label}: ${binary} (${Math.round((Date.now() - started) / 1000)} s)`);
  }
}

export function parseVersions(list: string | undefined): string[] {
  if (list === undefined) return [...DEFAULT_ISTIO_VERSIONS];
  const versions = list
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v.length > 0);
  const bad = versions.filter((v) => semver.valid(v) === null || v.startsWith('v'));
  if (versions.length === 0 || bad.length > 0) {
    throw new UsageError(
      `--istio takes Istio release tags like 1.30.3, comma-separated; got "${list}"`,
      `e.g. --istio ${DEFAULT_ISTIO_VERSIONS.join(',')}`,
    );
  }
  return [...new Set(versions)];
}

function parseMirror(mirror: string | undefined): string | undefined {
  if (mirror === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(mirror);
  } catch {
    throw new UsageError(`--mirror "${mirror}" is not a URL`, 'give a base URL such as https://mirror.example.com/github');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new UsageError(`--mirror must be http(s), got ${url.protocol}`);
  return mirror;
}

async function setup(opts: SetupOptions, deps: SetupDeps): Promise<void> {
  const out = deps.out ?? ((line: string) => console.log(line));
  const [{ collectImages }, { assertPinnedForKind }, { pullMissing }, { execaRunner }, { resolveTool }, { runSteps }] = await Promise.all([
    import('../../cluster/collect-images.ts'),
    import('../../cluster/image-ref.ts'),
    import('../../cluster/preload-images.ts'),
    import('../../tools/command-runner.ts'),
    import('../../tools/resolve-tool.ts'),
    import('../../tools/run-steps.ts'),
  ]);
  const runner = deps.runner ?? execaRunner;
  const env = deps.env ?? process.env;
  const versions = parseVersions(opts.istio);
  const mirror = parseMirror(opts.mirror) ?? env['CASEBOOK_MIRROR'];
  const common = { mirror, cacheDir: opts.cacheDir, runner, env };
  const describe = (t: ResolvedTool) =>
    `${t.path} (${t.source === 'path' ? 'on PATH' : t.source === 'cache' ? 'already cached' : 'downloaded, sha256 verified'})`;

  const steps: Step[] = [
    {
      title: `kind ${opts.kind}`,
      run: async (progress) => describe(await resolveTool('kind', opts.kind, { ...common, onProgress: progress })),
    },
    ...versions.map((v): Step => ({
      title: `istioctl ${v}`,
      run: async (progress) => describe(await resolveTool('istioctl', v, { ...common, onProgress: progress })),
    })),
  ];
  if (opts.images) {
    steps.push({
      title: 'container images',
      run: async (progress) => {
        const docker = await runner('docker', ['info', '--format', '{{.ServerVersion}}']).catch(() => undefined);
        if (!docker || docker.exitCode !== 0)
          return 'Docker is not reachable: images not pulled (start Docker and run setup again to pull them)';
        const workloadImages = await collectImages(deps.workloadsDir ?? WORKLOADS_DIR);
        workloadImages.forEach(assertPinnedForKind);
        const all = [KIND_NODE_IMAGE, ...workloadImages];
        const pulled = await pullMissing(all, runner, progress);
        return `${all.length} image(s) present, ${pulled.length} pulled`;
      },
    });
  }
  await runSteps(steps, { out, tty: deps.tty ?? process.stdout.isTTY === true });
  out(`setup done: kind ${opts.kind}, istioctl ${versions.join(', ')}`);
}

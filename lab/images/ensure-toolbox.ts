/**
 * Builds the lab's one image, `casebook-lab/toolbox:bookworm-1`, from Debian packages when it is
 * missing: no registry is needed, only the Debian mirror this machine's apt already uses.
 *
 *   node lab/images/ensure-toolbox.ts          (idempotent: does nothing when the image exists)
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { PrerequisiteError } from '../../harness/model/errors.ts';

export const TOOLBOX_IMAGE = 'casebook-lab/toolbox:bookworm-1';

/** What the probes and the lab servers need; netcat-openbsd gives `nc -w`, the probes' tcp tool. */
export const TOOLBOX_PACKAGES = [
  'curl',
  'telnet',
  'netcat-openbsd',
  'openssl',
  'ca-certificates',
  'nginx-light',
  'mariadb-server',
  'python3',
  'python3-flask',
  'iproute2',
  'procps',
] as const;

const DEFAULT_MIRROR = 'http://deb.debian.org/debian';

export type EnsureToolboxOptions = {
  /** Debian mirror; default: the one apt uses here (CASEBOOK_DEBIAN_MIRROR overrides). */
  mirror?: string;
  log?: (line: string) => void;
};

export async function toolboxImageExists(image = TOOLBOX_IMAGE): Promise<boolean> {
  const r = await execa('docker', ['image', 'inspect', '--format', '{{.Id}}', image], { reject: false });
  if (r.exitCode === 0) return true;
  if (/No such image/i.test(r.stderr)) return false;
  throw new PrerequisiteError(
    `docker image inspect failed: ${r.stderr.trim() || r.shortMessage}`,
    'start Docker (sudo ci/install-lab-prereqs.sh), then retry',
  );
}

/** Ensures the image exists; returns true when it had to build it. */
export async function ensureToolboxImage(opts: EnsureToolboxOptions = {}): Promise<boolean> {
  const log = opts.log ?? ((line: string) => console.error(line));
  if (await toolboxImageExists()) {
    log(`${TOOLBOX_IMAGE} is present`);
    return false;
  }
  const mirror = opts.mirror ?? process.env['CASEBOOK_DEBIAN_MIRROR'] ?? (await aptDebianMirror()) ?? DEFAULT_MIRROR;
  await requireTool('debootstrap', 'apt-get install -y debootstrap (or run ci/install-lab-prereqs.sh as root)');
  const work = await mkdtemp(join(tmpdir(), 'casebook-toolbox-'));
  const rootfs = join(work, 'rootfs');
  try {
    log(`building ${TOOLBOX_IMAGE} with debootstrap from ${mirror} (a few minutes)…`);
    const started = Date.now();
    const boot = execa('debootstrap', ['--variant=minbase', `--include=${TOOLBOX_PACKAGES.join(',')}`, 'bookworm', rootfs, mirror], {
      all: true,
      reject: false,
    });
    let tail: string[] = [];
    for await (const line of boot.iterable({ from: 'all' })) {
      tail = [...tail.slice(-19), line];
      // Phase lines only ("Installing core packages...", "Base system installed successfully."), not one per package.
      if (
        /^I: (Retrieving (InRelease|Release|Packages)|Installing|Unpacking|Configuring) ?[a-z ]*(packages)?\.*$|^I: Base system/.test(line)
      )
        log(`  ${line}`);
    }
    const r = await boot;
    if (r.exitCode !== 0) {
      throw new PrerequisiteError(
        `debootstrap failed (exit ${r.exitCode}) building ${TOOLBOX_IMAGE}:\n${tail.join('\n')}`,
        `check that ${mirror} is reachable and that you run as root; set CASEBOOK_DEBIAN_MIRROR to another mirror`,
      );
    }
    log(`  debootstrap done in ${Math.round((Date.now() - started) / 1000)}s; trimming apt caches`);
    await rm(join(rootfs, 'var/cache/apt/archives'), { recursive: true, force: true });
    await rm(join(rootfs, 'var/lib/apt/lists'), { recursive: true, force: true });
    log(`  docker import → ${TOOLBOX_IMAGE}`);
    const tar = execa('tar', ['-C', rootfs, '-c', '.'], { buffer: false });
    const imp = execa('docker', ['import', '--change', 'CMD ["sleep", "infinity"]', '-', TOOLBOX_IMAGE], { reject: false });
    tar.stdout?.pipe(imp.stdin!);
    const [tr, ir] = await Promise.all([tar, imp]);
    if (tr.exitCode !== 0 || ir.exitCode !== 0) {
      throw new PrerequisiteError(
        `docker import of ${TOOLBOX_IMAGE} failed: ${ir.stderr.trim() || tr.stderr}`,
        'check `docker info` and free disk space, then retry',
      );
    }
    log(`built ${TOOLBOX_IMAGE} in ${Math.round((Date.now() - started) / 1000)}s`);
    return true;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** The main Debian archive (not -security) from /etc/apt/sources.list and sources.list.d/*. */
export async function aptDebianMirror(dir = '/etc/apt'): Promise<string | undefined> {
  const files = [join(dir, 'sources.list')];
  const extra = await readdir(join(dir, 'sources.list.d')).catch(() => [] as string[]);
  files.push(...extra.filter((f) => /\.(list|sources)$/.test(f)).map((f) => join(dir, 'sources.list.d', f)));
  for (const file of files) {
    const text = await readFile(file, 'utf8').catch(() => '');
    const mirror = debianMirrorIn(text);
    if (mirror) return mirror;
  }
  return undefined;
}

/** Finds a Debian archive URI serving bookworm in one-line or deb822 apt sources text. */
export function debianMirrorIn(text: string): string | undefined {
  for (const line of text.split('\n')) {
    const m = /^\s*deb\s+(?:\[[^\]]*\]\s+)?(\S+)\s+bookworm\s/.exec(line);
    if (m?.[1] && /\/debian\/?$/.test(m[1])) return m[1].replace(/\/$/, '');
  }
  for (const stanza of text.split(/\n\s*\n/)) {
    const uris = /^URIs:\s*(.+)$/m.exec(stanza)?.[1]?.trim().split(/\s+/) ?? [];
    const suites = /^Suites:\s*(.+)$/m.exec(stanza)?.[1]?.trim().split(/\s+/) ?? [];
    const uri = uris.find((u) => /\/debian\/?$/.test(u));
    if (uri && suites.includes('bookworm')) return uri.replace(/\/$/, '');
  }
  return undefined;
}

async function requireTool(name: string, hint: string): Promise<void> {
  const r = await execa('sh', ['-c', `command -v ${name} || test -x /usr/sbin/${name}`], { reject: false });
  if (r.exitCode !== 0) throw new PrerequisiteError(`${name} is not installed`, hint);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    await ensureToolboxImage();
  } catch (e) {
    const err = e as Error & { hint?: string };
    console.error(`error: ${err.message}${err.hint ? `\nnext: ${err.hint}` : ''}`);
    process.exitCode = 1;
  }
}

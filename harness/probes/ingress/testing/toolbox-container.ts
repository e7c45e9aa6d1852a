/**
 * A lab container from the toolbox image for the ingress lab tests: started detached with the
 * lab's labels (harness/external/labels.ts, so `casebook clean` sees a leftover), files copied in with `docker cp` (works with a remote daemon too), ports published on
 * 127.0.0.1, always removed by `remove()`. Test support only.
 */
import { randomBytes } from 'node:crypto';
import { execa } from 'execa';
import { labelArgs, labLabelsFor } from '../../../external/labels.ts';


export type ToolboxContainer = {
  name: string;
  /** Runs a command; never throws on a non-zero exit (the exit code is what the test judges). */
  exec(command: string[]): Promise<{ exitCode: number; stdout: string; stderr: string }>;
  /** Starts a long-running server process in the background. */
  spawn(command: string[]): Promise<void>;
  copyIn(hostPath: string, containerPath: string): Promise<void>;
  /** Host port published for a container port. */
  hostPort(containerPort: number): Promise<number>;
  remove(): Promise<void>;
};

/** Is a Docker daemon reachable? Returns the reason when not. */
export async function dockerUnavailable(): Promise<string | undefined> {
  const r = await execa('docker', ['info', '--format', '{{.ServerVersion}}'], { reject: false });
  return r.exitCode === 0 ? undefined : `Docker is not reachable (${String(r.stderr || r.shortMessage || `exit ${r.exitCode}`).split('\n')[0]}); start dockerd to run the lab`;
}

export async function startToolbox(opts: { image: string; role: string; ports?: number[] }): Promise<ToolboxContainer> {
  const id = randomBytes(3).toString('hex');
  const name = `casebook-lab-${opts.role}-${id}`;
  const publish = (opts.ports ?? []).flatMap((p) => ['-p', `127.0.0.1::${p}`]);
  await execa('docker', ['run', '-d', '--name', name, ...labelArgs(labLabelsFor(`lab-${id}`, `lab-${opts.role}`)),
    ...publish, opts.image, 'sleep', 'infinity']);
  const c: ToolboxContainer = {
    name,
    async exec(command) {
      const r = await execa('docker', ['exec', name, ...command], { reject: false, timeout: 60_000 });
      return { exitCode: r.exitCode ?? -1, stdout: r.stdout, stderr: r.stderr };
    },
    async spawn(command) {
      await execa('docker', ['exec', '-d', name, ...command]);
    },
    async copyIn(hostPath, containerPath) {
      await execa('docker', ['cp', hostPath, `${name}:${containerPath}`]);
    },
    async hostPort(containerPort) {
      const r = await execa('docker', ['port', name, `${containerPort}/tcp`]);
      const m = /127\.0\.0\.1:(\d+)/.exec(r.stdout);
      if (!m) throw new Error(`container ${name} publishes no host port for ${containerPort}: ${r.stdout}`);
      return Number(m[1]);
    },
    async remove() {
      await execa('docker', ['rm', '-f', '-v', name], { reject: false });
    },
  };
  return c;
}

/** Polls until `probe` resolves true or the deadline passes (a server inside the container starting). */
export async function waitFor(what: string, probe: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${what} did not come up within ${timeoutMs} ms`);
}

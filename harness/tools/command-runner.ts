import { execa } from 'execa';
import treeKill from 'tree-kill';

/**
 * The one place tools/cluster/istio code spawns processes. Everything else takes a CommandRunner,
 * so tests assert the exact argv without running kind, istioctl or docker.
 */
export type CommandResult = { exitCode: number; stdout: string; stderr: string };

export type CommandOptions = {
  env?: Record<string, string>;
  /** Called with each output line while the command runs (kind and istioctl report progress on stderr). */
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
  timeoutMs?: number;
  /** Text written to stdin. */
  input?: string;
};

/** Resolves with the exit code whatever it is; rejects only when the program could not be started. */
export type CommandRunner = (file: string, args: readonly string[], options?: CommandOptions) => Promise<CommandResult>;

/** Progress messages for long steps, one line each (the caller renders them: listr2 task output or plain lines). */
export type ProgressFn = (message: string) => void;

export const execaRunner: CommandRunner = async (file, args, options = {}) => {
  const child = execa(file, [...args], {
    reject: false,
    env: options.env,
    input: options.input,
    stdin: options.input === undefined ? 'ignore' : 'pipe',
    stripFinalNewline: true,
  });
  // At the deadline the whole process tree goes, not only the direct child: a killed `kind create`
  // or `sh` would otherwise leave its own children (docker, kubeadm steps, sleeps) running.
  let timedOut = false;
  let exited = false;
  void child.finally(() => {
    exited = true;
  });
  const timer =
    options.timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          timedOut = true;
          if (child.pid !== undefined) {
            treeKill(child.pid, 'SIGTERM');
            setTimeout(() => {
              if (child.pid !== undefined && !exited) treeKill(child.pid, 'SIGKILL');
            }, 2_000).unref();
          }
        }, options.timeoutMs);
  try {
    const { onLine } = options;
    if (onLine) {
      const pump = async (stream: 'stdout' | 'stderr') => {
        for await (const line of child.iterable({ from: stream })) onLine(String(line), stream);
      };
      await Promise.all([pump('stdout'), pump('stderr')]);
    }
    const result = await child;
    if (timedOut) {
      throw Object.assign(new Error(`${file} timed out after ${options.timeoutMs} ms (its process tree was killed)`), {
        timedOut: true,
        stdout: result.stdout,
        stderr: result.stderr,
      });
    }
    if (result.failed && result.exitCode === undefined) {
      // ENOENT, EACCES, a signal: the program did not run to an exit code.
      throw result;
    }
    return { exitCode: result.exitCode ?? 1, stdout: String(result.stdout ?? ''), stderr: String(result.stderr ?? '') };
  } finally {
    if (timer) clearTimeout(timer);
  }
};

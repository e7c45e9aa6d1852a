import type { CommandOptions, CommandResult, CommandRunner } from '../command-runner.ts';

/**
 * Test support: a CommandRunner that records every call and answers from a script of
 * (matcher -> result) rules, so tests assert the exact argv of kind/istioctl/docker without
 * running them. An unmatched call fails the test loudly instead of pretending success.
 */
export type RecordedCall = { file: string; args: string[]; options: CommandOptions | undefined };
export type Rule = { match: (file: string, args: readonly string[]) => boolean; result: Partial<CommandResult>; lines?: string[] };

export function recordingRunner(rules: Rule[]): CommandRunner & { calls: RecordedCall[] } {
  const calls: RecordedCall[] = [];
  const run = async (file: string, args: readonly string[], options?: CommandOptions): Promise<CommandResult> => {
    calls.push({ file, args: [...args], options });
    const rule = rules.find((r) => r.match(file, args));
    if (!rule) throw new Error(`unexpected command: ${file} ${args.join(' ')}`);
    for (const line of rule.lines ?? []) options?.onLine?.(line, 'stderr');
    return { exitCode: 0, stdout: '', stderr: '', ...rule.result };
  };
  return Object.assign(run, { calls });
}

/** Matches `file` whose argv starts with `prefix`. */
export function cmd(file: string, ...prefix: string[]): Rule['match'] {
  return (f, args) => f === file && prefix.every((p, i) => args[i] === p);
}

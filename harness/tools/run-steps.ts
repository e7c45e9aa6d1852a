import { Listr } from 'listr2';
import { terminalSafe } from '../report/terminal-text.ts';
import type { ProgressFn } from './command-runner.ts';

/** A long step with progress lines; resolves with a one-line summary. */
export type Step = { title: string; run: (progress: ProgressFn) => Promise<string> };

/**
 * Runs steps one after another. On a terminal: listr2's task list with the latest progress line
 * under the running step. Otherwise (CI logs, tests): plain lines through `out`, nothing redrawn.
 * The first failure stops the rest and is rethrown as is (so error classes reach the CLI boundary).
 */
export async function runSteps(steps: readonly Step[], opts: { out: (line: string) => void; tty: boolean }): Promise<string[]> {
  const summaries: string[] = [];
  if (!opts.tty) {
    for (const step of steps) {
      opts.out(`${step.title} …`);
      const summary = await step.run((line) => opts.out(`  ${line}`));
      summaries.push(summary);
      opts.out(`${step.title}: ${summary}`);
    }
    return summaries;
  }
  await new Listr(
    steps.map((step) => ({
      title: step.title,
      task: async (_ctx: unknown, task: { output: string; title: string }) => {
        // listr2 writes to the terminal itself: its lines go through the same sanitizer as out.
        const summary = await step.run((line) => {
          task.output = terminalSafe(line);
        });
        summaries.push(summary);
        task.title = terminalSafe(`${step.title}: ${summary}`);
      },
    })),
    { exitOnError: true },
  ).run();
  return summaries;
}

import { CasebookError } from '../model/errors.ts';

export type TeardownStep = {
  label: string;
  run: () => Promise<unknown> | unknown;
  /** What a user types to do this step by hand (printed with --keep). */
  command?: string;
};

export type TeardownReport = {
  kept: boolean;
  /** Labels of the steps that ran, in the order they ran (last registered first). */
  ran: string[];
  failed: { label: string; error: string }[];
  /** With --keep: the commands that clean up by hand, in the order to run them. */
  commands: string[];
};

/** Thrown by defer() once teardown has begun (interrupt): the body must stop creating things. */
export class TeardownStartedError extends CasebookError {
  override name = 'TeardownStartedError';
}

/**
 * Undo steps, run last-in first-out (what was created last depends on what came before: the
 * workloads live in the namespace, the namespace in the cluster). Every step runs even when an
 * earlier one fails; unwind() runs once however often it is called (error path and interrupt
 * may both ask). With keep, nothing runs and the report carries the cleanup commands.
 */
export class TeardownStack {
  readonly #steps: TeardownStep[] = [];
  readonly #keep: boolean;
  readonly #log: (line: string) => void;
  #unwinding: Promise<TeardownReport> | undefined;

  constructor(opts: { keep?: boolean; log?: (line: string) => void } = {}) {
    this.#keep = opts.keep ?? false;
    this.#log = opts.log ?? (() => {});
  }

  get started(): boolean {
    return this.#unwinding !== undefined;
  }

  /**
   * Registers an undo step. After teardown has started (an interrupt), the step runs at once,
   * since what it undoes already exists, and the caller gets TeardownStartedError so it stops.
   */
  defer(label: string, run: TeardownStep['run'], command?: string): void {
    const step: TeardownStep = { label, run, command };
    if (!this.#unwinding) {
      this.#steps.push(step);
      return;
    }
    this.#unwinding = this.#unwinding.then(async (report) => {
      if (report.kept) {
        if (step.command) report.commands.unshift(step.command);
      } else await this.#runStep(step, report);
      return report;
    });
    throw new TeardownStartedError(`interrupted: teardown has started, so "${label}" was undone at once and the run stops here`);
  }

  /** The commands a user runs to clean up by hand, in LIFO order. */
  cleanupCommands(): string[] {
    return [...this.#steps].reverse().flatMap((s) => (s.command ? [s.command] : []));
  }

  unwind(): Promise<TeardownReport> {
    this.#unwinding ??= this.#unwindOnce();
    return this.#unwinding;
  }

  async #unwindOnce(): Promise<TeardownReport> {
    const report: TeardownReport = { kept: this.#keep, ran: [], failed: [], commands: [] };
    if (this.#keep) {
      report.commands = this.cleanupCommands();
      return report;
    }
    while (this.#steps.length > 0) await this.#runStep(this.#steps.pop()!, report);
    return report;
  }

  async #runStep(step: TeardownStep, report: TeardownReport): Promise<void> {
    this.#log(`teardown: ${step.label}`);
    try {
      await step.run();
      report.ran.push(step.label);
    } catch (e) {
      const error = e instanceof Error ? e.message : String(e);
      this.#log(`teardown: ${step.label} failed: ${error}${step.command ? ` (by hand: ${step.command})` : ''}`);
      report.failed.push({ label: step.label, error });
    }
  }
}

/**
 * Runs `body`, then the stack's teardown, whether body succeeded, threw, or was interrupted. An
 * interrupt (the signal aborts) starts teardown at once; body learns of it from its next defer().
 */
export async function withTeardown<T>(
  stack: TeardownStack,
  body: (stack: TeardownStack) => Promise<T>,
  opts: { signal?: AbortSignal } = {},
): Promise<{ value?: T; error?: unknown; teardown: TeardownReport }> {
  const onAbort = () => {
    void stack.unwind();
  };
  if (opts.signal?.aborted) onAbort();
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const value = await body(stack);
    return { value, teardown: await stack.unwind() };
  } catch (error) {
    return { error, teardown: await stack.unwind() };
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
  }
}

type SignalSource = { once(event: string, fn: () => void): unknown; removeListener(event: string, fn: () => void): unknown };

/** An AbortSignal that fires on the first SIGINT/SIGTERM (Ctrl-C) while it is armed. */
export function interruptSignal(
  source: SignalSource = process,
  signals: readonly string[] = ['SIGINT', 'SIGTERM'],
): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const handlers = signals.map((sig) => {
    const fn = () => controller.abort(new CasebookError(`interrupted by ${sig}`));
    source.once(sig, fn);
    return [sig, fn] as const;
  });
  return { signal: controller.signal, dispose: () => handlers.forEach(([sig, fn]) => source.removeListener(sig, fn)) };
}

/**
 * The handful of error classes the harness throws. Each message says what happened and what to
 * do next; the CLI boundary (harness/cli) maps classes to exit codes:
 *   UsageError, PrerequisiteError, ScenarioLoadError -> 2; everything else escaping a run -> 1.
 * A failed network call inside a probe is NOT an error: it is an observation.
 */
export class CasebookError extends Error {
  override name = 'CasebookError';
  /** What the user should do next, printed after the message. */
  readonly hint: string | undefined;
  constructor(message: string, hint?: string, options?: ErrorOptions) {
    super(message, options);
    this.hint = hint;
  }
}

/** Bad command line or unknown scenario id. Exit 2. */
export class UsageError extends CasebookError {
  override name = 'UsageError';
}

/** Something the run needs is missing: Docker, kind, istioctl, a kubeconfig, a free port. Exit 2. */
export class PrerequisiteError extends CasebookError {
  override name = 'PrerequisiteError';
}

/** Scenario registry or manifests are invalid; carries every problem found, with locations. Exit 2. */
export class ScenarioLoadError extends CasebookError {
  override name = 'ScenarioLoadError';
  readonly problems: readonly LoadProblem[];
  constructor(problems: readonly LoadProblem[]) {
    super(
      `${problems.length} problem(s) in scenarios or manifests:\n` + problems.map((p) => `  ${p.location}: ${p.message}`).join('\n'),
      'fix the problems above, then run `npx casebook validate`',
    );
    this.problems = problems;
  }
}
export type LoadProblem = { location: string; message: string };

/**
 * The harness itself could not observe: exec transport failed, pod not ready, container gone.
 * Becomes verdict `error`, never `reproduced` or `fixed`.
 */
export class InfrastructureError extends CasebookError {
  override name = 'InfrastructureError';
}

/**
 * A downloaded tool did not match its published or pinned sha256. Nothing is left in the cache.
 * The tool could not be obtained, so it is a prerequisite problem (exit 2), like a 404.
 */
export class ChecksumError extends PrerequisiteError {
  override name = 'ChecksumError';
}

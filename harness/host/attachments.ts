/**
 * Names of the attachments the Playwright tests hand to the results reporter (the test runs in a
 * worker process, the reporter in the runner: attachments are how data crosses).
 */
export const ATTACHMENT = {
  /** One PhaseResult as JSON, per phase. */
  phaseResult: 'casebook-phase-result',
  /** Text: what is missing for a real run (the run ends with exit code 2). */
  prerequisite: 'casebook-prerequisite',
  /** Text: commands that clean up what --keep left behind, one per line. */
  cleanup: 'casebook-cleanup',
  /** RunStep[] as JSON: the worker's timed steps (cluster, install, mesh config, setup wave) not attached before. */
  steps: 'casebook-steps',
  /** A scenario's TeardownReport as JSON. */
  teardown: 'casebook-teardown',
} as const;

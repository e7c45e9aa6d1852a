/** Phase names: `broken`, `fixed`, `workaround-<x>`, `control-<x>`, plus `broken-<x>` for a second failure mode. */
export type PhaseName = 'broken' | 'fixed' | `broken-${string}` | `fixed-${string}` | `workaround-${string}` | `control-${string}`;

/** What a phase is for decides which verdict words it gets. */
export type PhaseIntent = 'failure' | 'fix' | 'control';

export function phaseIntent(name: string): PhaseIntent {
  if (name === 'broken' || name.startsWith('broken-')) return 'failure';
  if (name.startsWith('control-')) return 'control';
  return 'fix'; // fixed, fixed-*, workaround-*
}

export type Verdict =
  | 'reproduced'
  | 'not-reproduced' // failure phases
  | 'fixed'
  | 'still-failing' //       fix and workaround phases
  | 'passed'
  | 'failed' //             control phases
  | 'error' //                         the harness itself broke (transport, pod not ready)
  | 'skipped' //                       with a reason
  | 'not-judged'; //                    config level: the phase has no check config can decide (never a pass)

/** Verdict when every check of the phase held (true) or not (false). */
export function verdictFor(intent: PhaseIntent, held: boolean): Verdict {
  switch (intent) {
    case 'failure':
      return held ? 'reproduced' : 'not-reproduced';
    case 'fix':
      return held ? 'fixed' : 'still-failing';
    case 'control':
      return held ? 'passed' : 'failed';
  }
}

/** The verdict a phase is expected to reach unless a version expectation says otherwise. */
export function defaultExpectedVerdict(intent: PhaseIntent): Verdict {
  return verdictFor(intent, true);
}

import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FullConfig, FullResult, Reporter, Suite, TestCase, TestResult } from '@playwright/test/reporter';
import { casebookRoot } from '../load/casebook-root.ts';
import { inspectScenarios } from '../load/load-scenarios.ts';
import type { PhaseResult, RunResults, RunStep } from '../model/results.ts';
import { createConsoleReporter } from '../report/console-reporter.ts';
import { exitCodeFor } from '../report/exit-code.ts';
import { writeReports } from '../report/write-results.ts';
import { redactDeep } from '../evidence/redact.ts';
import { ATTACHMENT } from './attachments.ts';
import { currentRunEnv, type RunEnv } from './run-env.ts';
import { terminalSafe } from '../report/terminal-text.ts';

/** What `casebook run` reads back from the run folder: the exit code and why. */
export type RunOutcomeFile = { exitCode: 0 | 1 | 2; prerequisites: string[]; problems: string[]; cleanup: string[] };
export const OUTCOME_FILE = 'outcome.json';

/** Pure: the run's exit code. Prerequisites missing: 2. A test that failed without a verdict, or a verdict not as expected: 1. */
export function outcomeFor(results: RunResults, prerequisites: readonly string[], problems: readonly string[]): 0 | 1 | 2 {
  if (prerequisites.length > 0) return 2;
  if (problems.length > 0) return 1;
  return exitCodeFor(results);
}

/**
 * Playwright reporter: turns the tests' attachments into RunResults, writes results.json and
 * junit.xml with harness/report's writers, prints a line per phase and the summary, and leaves
 * outcome.json for startRun. Playwright's own list reporter runs beside it.
 */
export default class CasebookResultsReporter implements Reporter {
  #env: RunEnv | undefined;
  readonly #run: () => RunEnv;
  #startedAt = new Date();
  readonly #results: PhaseResult[] = [];
  readonly #steps: RunStep[] = [];
  readonly #prerequisites = new Set<string>();
  readonly #problems: string[] = [];
  readonly #cleanup: string[] = [];
  readonly #console = createConsoleReporter(process.stdout);

  /** Playwright passes the reporter's options (none are configured); tests pass `{ run }`, their own run environment. */
  constructor(options?: { run?: () => RunEnv }) {
    this.#run = options?.run ?? currentRunEnv;
  }

  onBegin(_config: FullConfig, _suite: Suite): void {
    this.#startedAt = new Date();
    this.#env = this.#run();
  }

  onTestEnd(test: TestCase, result: TestResult): void {
    let phases = 0;
    for (const a of result.attachments) {
      const text = a.body?.toString('utf8');
      if (text === undefined) continue;
      if (a.name === ATTACHMENT.phaseResult) {
        // Redacted as it arrives, so the console line and every report see the same safe copy.
        const r = redactDeep(JSON.parse(text) as PhaseResult);
        this.#results.push(r);
        this.#console.phaseEnded(r);
        phases++;
      } else if (a.name === ATTACHMENT.steps) {
        for (const s of JSON.parse(text) as RunStep[]) {
          this.#steps.push(s);
          this.#console.stepEnded(s);
        }
      } else if (a.name === ATTACHMENT.prerequisite) {
        this.#prerequisites.add(text);
      } else if (a.name === ATTACHMENT.cleanup) {
        this.#cleanup.push(...text.split('\n'));
      }
    }
    if (phases === 0 && result.status !== 'passed' && result.status !== 'skipped') {
      // Failed before any verdict (a harness bug, a timeout before the first phase): never silent.
      this.#problems.push(
        `${test.titlePath().slice(1).join(' › ')}: ${result.status}${result.error?.message ? `: ${result.error.message.split('\n')[0]}` : ''}`,
      );
    }
  }

  async onEnd(result: FullResult): Promise<void> {
    // `playwright test --list` runs nothing: there is no run to report.
    if (process.argv.includes('--list')) return;
    const env = this.#env ?? this.#run();
    if (result.status === 'interrupted') this.#problems.push('the run was interrupted');
    const results: RunResults = {
      runId: env.runId,
      casebookVersion: casebookVersion(),
      startedAt: this.#startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      cluster: { provider: env.cluster, name: env.cluster === 'kind' ? env.clusterName : (env.context ?? 'current-context') },
      istioVersions: env.istio,
      results: this.#results,
      ...(this.#steps.length > 0 ? { steps: this.#steps } : {}),
    };
    await mkdir(env.reportDir, { recursive: true });
    const written = await writeReports(env.reportDir, results, { scenarios: await scenariosOf(results) });
    this.#console.runEnded(results);
    const out: RunOutcomeFile = {
      exitCode: outcomeFor(results, [...this.#prerequisites], this.#problems),
      prerequisites: [...this.#prerequisites],
      problems: this.#problems,
      cleanup: this.#cleanup,
    };
    const print = (s: string) => process.stdout.write(terminalSafe(s));
    for (const p of out.prerequisites) print(`\n${p}\n`);
    for (const p of out.problems) print(`no verdict: ${p}\n`);
    if (out.cleanup.length > 0)
      print(`\n--keep: everything was left in place. To clean up the scenarios:\n${out.cleanup.map((c) => `  ${c}`).join('\n')}\n`);
    await writeFile(join(env.reportDir, OUTCOME_FILE), `${JSON.stringify(out, null, 2)}\n`);
    print(`results: ${written.json}\njunit:   ${written.junit}\nmatrix:  ${written.matrix}\nhtml:    ${written.html}\n`);
  }

  printsToStdio(): boolean {
    return true;
  }
}

/**
 * The definitions of the scenarios that ran, for report.html's title, symptom, cause, fix and
 * phase order. inspectScenarios never throws; a registry it cannot read leaves the HTML with the
 * results alone, which the HTML says.
 */
async function scenariosOf(results: RunResults) {
  const ran = new Set(results.results.map((r) => r.scenario));
  const { scenarios } = await inspectScenarios({ root: casebookRoot() });
  return scenarios.filter((s) => ran.has(s.id));
}

function casebookVersion(): string {
  try {
    return (JSON.parse(readFileSync(join(casebookRoot(), 'package.json'), 'utf8')) as { version?: string }).version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

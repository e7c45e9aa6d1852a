import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { InfrastructureError, PrerequisiteError } from '../model/errors.ts';
import type { ScenarioDefinition } from '../model/scenario.ts';
import { checkFix, defaultIstio, startPhase, workshopOf, type FixJudgement } from './check-fix.ts';
import { FixInputError, readFixInput } from './fix-input.ts';
import { judgementLines } from './render.ts';
import { phaseFiles, writeFiles } from './workspace.ts';

/**
 * `casebook workshop <id>`: one learner, one incident. The symptom only, the broken state at
 * config level (no cluster here), a workspace with the starting phase's manifests (broken unless workshop.from) to edit, and on
 * request hints (vague to precise), evidence, the cause, the documented fixes and `check` on the
 * workspace. Line-based (a plain pipe works; no colour), resumable from the state file in the
 * workspace, and a summary JSON at the end for the instructor.
 */
export const STATE_FILE = '.casebook-workshop.json';
export const SUMMARY_FILE = 'summary.json';

export type WorkshopTry = { at: string; accepted: boolean | 'input-error'; failed: string[] };
export type WorkshopState = {
  scenario: string;
  istio: string;
  level: 'config';
  startedAt: string;
  hintsUsed: number;
  evidence: boolean;
  cause: boolean;
  fixes: boolean;
  tries: WorkshopTry[];
};
export type WorkshopSummary = {
  scenario: string;
  istio: string;
  level: 'config';
  learner?: string;
  startedAt: string;
  endedAt: string;
  hintsUsed: number;
  hintsAvailable: number;
  tries: number;
  evidenceShown: boolean;
  causeShown: boolean;
  fixesShown: boolean;
  verdict: 'accepted' | 'rejected' | 'not-checked';
  lastFailed: string[];
};

export type SessionOptions = {
  root: string;
  scenario: ScenarioDefinition;
  workspace?: string;
  istio?: string;
  env?: NodeJS.ProcessEnv;
  input: NodeJS.ReadableStream;
  out: (text: string) => void;
};

const HELP = 'commands: h hint · e evidence · c cause · f fixes · k check · s status · q quit   (a letter or the word, then Enter)';

export async function runWorkshop(opts: SessionOptions): Promise<WorkshopSummary> {
  const s = opts.scenario;
  const w = workshopOf(s);
  const say = (l = '') => opts.out(`${l}\n`);
  const dir = resolve(opts.workspace ?? `workshop-${s.id}`);
  const statePath = join(dir, STATE_FILE);
  const istio = opts.istio ?? defaultIstio(opts.root);
  let state: WorkshopState;
  say(`workshop: ${s.title}`);
  say("level: config. No cluster is used here: the broken state and every check are computed by Istio's own code");
  say('(the configuration the proxies would get and where each call would go), not by real packets.');
  if (existsSync(statePath)) {
    state = JSON.parse(readFileSync(statePath, 'utf8')) as WorkshopState;
    if (state.scenario !== s.id) {
      throw new FixInputError(
        `${dir} is a workspace for ${state.scenario}, not ${s.id}`,
        'give another --workspace, or run `casebook workshop ' + state.scenario + '`',
      );
    }
    say(`resuming the session in ${dir}: ${state.tries.length} check(s) so far, ${state.hintsUsed} hint(s) used`);
  } else {
    if (existsSync(dir) && readdirSync(dir).length > 0) {
      throw new FixInputError(`${dir} exists and is not a workshop workspace`, 'give an empty or new folder with --workspace');
    }
    mkdirSync(dir, { recursive: true });
    writeFiles(dir, phaseFiles(opts.root, s, startPhase(s).name));
    state = {
      scenario: s.id,
      istio,
      level: 'config',
      startedAt: new Date().toISOString(),
      hintsUsed: 0,
      evidence: false,
      cause: false,
      fixes: false,
      tries: [],
    };
    save();
  }
  say();
  const from = startPhase(s).name;
  say('THE SYMPTOM');
  say(`  ${s.symptom}`);
  say();
  if (w.task) {
    say(`THE TASK (your workspace starts from phase ${from}, not from the broken one)`);
    say(`  ${w.task}`);
    say();
  }
  say(`setting up the ${from === 'broken' ? 'broken state' : `starting state (${from})`} (Istio's code, a few seconds)…`);
  const broken = await judge(phaseFiles(opts.root, s, from));
  say('what the probes show now (simulated paths):');
  for (const i of broken.items.filter((x) => x.role === 'outcome')) {
    say(`  ${i.key}: ${i.held ? 'works' : 'FAILS'}${i.evidence ? ` (${i.evidence.split('\n')[0]})` : ''}`);
  }
  say();
  say(`your workspace: ${dir}`);
  say(`  it holds the ${from} phase's manifests: edit them, add files, delete files. Your files replace the ${from} phase's`);
  say('  (the workloads stay as they are). Keep placeholders such as ${external.mysql-external.ip}: the casebook fills them in.');
  say(`  check judges: ${w.judges}.`);
  say(`  it cannot judge: ${w.cannotJudge}.`);
  say(HELP);

  const rl = createInterface({ input: opts.input, terminal: false });
  opts.out('workshop> ');
  for await (const raw of rl) {
    const cmd = raw.trim().toLowerCase();
    say();
    if (cmd === 'q' || cmd === 'quit' || cmd === 'exit') break;
    await command(cmd);
    opts.out('workshop> ');
  }
  rl.close();
  const last = state.tries.at(-1);
  const summary: WorkshopSummary = {
    scenario: s.id,
    istio: state.istio,
    level: 'config',
    ...(opts.env?.['USER'] ? { learner: opts.env['USER'] } : {}),
    startedAt: state.startedAt,
    endedAt: new Date().toISOString(),
    hintsUsed: state.hintsUsed,
    hintsAvailable: w.hints.length,
    tries: state.tries.length,
    evidenceShown: state.evidence,
    causeShown: state.cause,
    fixesShown: state.fixes,
    verdict: !last ? 'not-checked' : last.accepted === true ? 'accepted' : 'rejected',
    lastFailed: last?.failed ?? [],
  };
  writeFileSync(join(dir, SUMMARY_FILE), `${JSON.stringify(summary, null, 2)}\n`);
  say(`session saved in ${dir} (run the same command to resume). Summary for the instructor (also in ${SUMMARY_FILE}):`);
  say(`WORKSHOP-SUMMARY ${JSON.stringify(summary)}`);
  return summary;

  function save() {
    writeFileSync(statePath, `${JSON.stringify(state, null, 2)}\n`);
  }

  async function judge(files?: ReadonlyMap<string, string>): Promise<FixJudgement> {
    const input = files ? inMemory(files) : readFixInput(dir, s.certificates ?? []);
    try {
      return await checkFix({ root: opts.root, scenario: s, input, istio: state.istio, env: opts.env, log: say });
    } catch (e) {
      if (e instanceof InfrastructureError) throw new PrerequisiteError(`${e.message} (not a verdict on your fix)`, e.hint);
      throw e;
    }
  }

  function inMemory(files: ReadonlyMap<string, string>) {
    const tmp = join(dir, '.broken');
    mkdirSync(tmp, { recursive: true });
    writeFiles(tmp, files);
    return readFixInput(tmp, s.certificates ?? []);
  }

  async function command(cmd: string): Promise<void> {
    switch (cmd) {
      case '':
      case '?':
      case 'help':
        say(HELP);
        return;
      case 'h':
      case 'hint': {
        if (state.hintsUsed >= w.hints.length) {
          say(`no more hints (${w.hints.length} used): 'c' tells the cause.`);
          return;
        }
        state.hintsUsed += 1;
        save();
        say(`hint ${state.hintsUsed}/${w.hints.length}: ${w.hints[state.hintsUsed - 1]}`);
        return;
      }
      case 'e':
      case 'evidence': {
        state.evidence = true;
        save();
        say("evidence in the broken state (Istio's code):");
        for (const i of broken.items.filter((x) => x.role === 'outcome' && !x.held)) {
          say(`  ${i.key}: ${i.message}`);
        }
        for (const e of broken.shown)
          say(`  ${e.key}: ${e.text.replace(/^listeners:\n/, "listener rows of the client's sidecar\n").replace(/\n/g, '\n    ')}`);
        return;
      }
      case 'c':
      case 'cause':
        state.cause = true;
        save();
        say(`cause: ${s.cause}`);
        return;
      case 'f':
      case 'fixes': {
        state.fixes = true;
        save();
        say(`the documented fixes: ${s.fix}`);
        for (const [name, p] of Object.entries(s.phases)) {
          if (name === 'fixed' || name.startsWith('fixed-')) say(`  ${name}: ${p!.summary} (manifests/scenarios/${s.id}/${name}/)`);
        }
        say('  any other fix that reaches the outcome without breaking a control is accepted too.');
        return;
      }
      case 'k':
      case 'check': {
        say(`checking ${dir}…`);
        try {
          const j = await judge();
          for (const l of judgementLines(j, { files: readFixInput(dir, s.certificates ?? []).files })) say(l);
          state.tries.push({
            at: new Date().toISOString(),
            accepted: j.accepted,
            failed: j.items.filter((i) => !i.held).map((i) => `${i.role} ${i.key}`),
          });
          save();
          say(
            j.accepted
              ? "ACCEPTED. 'f' shows the documented fixes to compare with; 'q' ends the session."
              : "not yet: edit the workspace and check again ('h' for a hint).",
          );
        } catch (e) {
          if (!(e instanceof FixInputError)) throw e;
          state.tries.push({ at: new Date().toISOString(), accepted: 'input-error', failed: [e.message.split('\n')[0]!] });
          save();
          say(`your input is wrong (not a verdict): ${e.message}`);
          if (e.hint) say(`  ${e.hint}`);
        }
        return;
      }
      case 's':
      case 'status':
        say(
          `${state.tries.length} check(s), last: ${state.tries.at(-1)?.accepted ?? 'none'}; ${state.hintsUsed}/${w.hints.length} hint(s) used`,
        );
        return;
      default:
        say(`unknown command "${cmd}". ${HELP}`);
    }
  }
}

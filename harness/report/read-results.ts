import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Ajv, type ErrorObject } from 'ajv';
import { UsageError } from '../model/errors.ts';
import type { RunResults } from '../model/results.ts';

const VERDICTS = ['reproduced', 'not-reproduced', 'fixed', 'still-failing', 'passed', 'failed', 'error', 'skipped', 'not-judged'];

/** The part of results.json a comparison reads; everything else (probes, evidence) may be anything. */
const SCHEMA = {
  type: 'object',
  required: ['runId', 'istioVersions', 'results'],
  properties: {
    runId: { type: 'string' },
    istioVersions: { type: 'array', items: { type: 'string' } },
    results: {
      type: 'array',
      items: {
        type: 'object',
        required: ['scenario', 'phase', 'istio', 'verdict', 'expected', 'asExpected'],
        properties: {
          scenario: { type: 'string', minLength: 1 },
          phase: { type: 'string', minLength: 1 },
          istio: { type: 'string', minLength: 1 },
          verdict: { enum: VERDICTS },
          expected: { enum: VERDICTS },
          asExpected: { type: 'boolean' },
          skippedReason: { type: 'string' },
        },
      },
    },
  },
} as const;

const validate = new Ajv({ allErrors: true }).compile(SCHEMA);
/** A run of every scenario on several versions is a few MiB; far above that is not a results.json. */
const MAX_RESULTS_BYTES = 256 * 1024 * 1024;
const HINT = 'pass the results.json of a casebook run (reports/<run>/results.json), or its report folder';

/**
 * Reads a results.json written by `casebook run` (or the report folder holding one) for a
 * comparison; `role` names it in messages ("baseline"). Throws UsageError saying which file and
 * what is wrong with it.
 */
export async function readResultsFile(path: string, role: string): Promise<RunResults> {
  const file = await resultsPath(path, role);
  let text: string;
  try {
    // A FIFO would block forever and /dev/zero never ends: only a regular file of sane size.
    const info = await stat(file);
    if (!info.isFile()) throw new UsageError(`${role} ${file} is not a regular file`, HINT);
    if (info.size > MAX_RESULTS_BYTES)
      throw new UsageError(`${role} ${file} is larger than ${MAX_RESULTS_BYTES / 1024 / 1024} MiB: not a casebook results.json`, HINT);
    text = await readFile(file, 'utf8');
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`${role} ${file} cannot be read: ${(e as Error).message}`, HINT);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${role} ${file} is not JSON: ${(e as Error).message}`, HINT);
  }
  if (!validate(data)) {
    const problems = (validate.errors ?? []).slice(0, 5).map(describe);
    throw new UsageError(`${role} ${file} is not a casebook results.json: ${problems.join('; ')}`, HINT);
  }
  return data as unknown as RunResults;
}

async function resultsPath(path: string, role: string): Promise<string> {
  try {
    return (await stat(path)).isDirectory() ? join(path, 'results.json') : path;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(`${role} ${path} ${code === 'ENOENT' ? 'does not exist' : `cannot be read: ${(e as Error).message}`}`, HINT);
  }
}

function describe(e: ErrorObject): string {
  const where = e.instancePath === '' ? 'the top level' : e.instancePath;
  if (e.keyword === 'enum') return `${where} must be one of ${VERDICTS.join(', ')}`;
  return `${where} ${e.message ?? 'is invalid'}`;
}

import type { HttpProbeSpec } from '../model/probe-spec.ts';
import { shq, TEMP_DIR_LINE } from './context.ts';

export const DEFAULT_HTTP_TIMEOUT_MS = 10_000;
/** Body bytes kept per response; the probe says when it cut more. */
export const MAX_BODY_BYTES = 16 * 1024;
const MARK = '@@casebook';

/** The curl invocation a reader would type for one request of this probe (without our output plumbing). */
export function curlArgs(spec: HttpProbeSpec): string[] {
  const args = ['curl', '-sS', '--max-time', String(Math.max(1, Math.ceil((spec.timeoutMs ?? DEFAULT_HTTP_TIMEOUT_MS) / 1000)))];
  if (spec.method && spec.method !== 'GET') args.push('-X', spec.method);
  for (const [k, v] of Object.entries(spec.headers ?? {})) args.push('-H', `${k}: ${v}`);
  for (const r of spec.resolve ?? []) args.push('--resolve', r);
  if (spec.cacert) args.push('--cacert', spec.cacert);
  if (spec.insecure) args.push('-k');
  args.push(spec.url);
  return args;
}

/**
 * One `sh -c` script that runs the request `repeat` times, `concurrency` at a time, each curl
 * writing headers, body, `-w '%{json}'` and stderr to its own files, then prints them between
 * marker lines. `%{json}` carries the exit code, timings, remote address and, for https (curl
 * ≥ 7.88), the served certificates (`certs`). Works with any POSIX sh, curl ≥ 7.70 and mktemp,
 * so the same script runs in a pod's image and in the lab's Debian image.
 */
export function curlScript(spec: HttpProbeSpec): string {
  const repeat = Math.max(1, spec.repeat ?? 1);
  const concurrency = Math.max(1, Math.min(spec.concurrency ?? 1, repeat));
  const [bin, ...rest] = curlArgs(spec);
  const url = rest.pop()!;
  // Every word from the spec is quoted; only our own plumbing words, which need the shell to
  // expand $d and $1, are added after quoting (a spec value starting with `"` stays a value).
  const curl = [...[bin!, ...rest].map(shq), '-D', '"$d/$1.h"', '-o', '"$d/$1.b"', '-w', `'%{json}'`].join(' ');
  return [
    TEMP_DIR_LINE,
    `req() { ${curl} ${shq(url)} >"$d/$1.j" 2>"$d/$1.e"; }`,
    'i=1',
    `while [ $i -le ${repeat} ]; do req $i & if [ $((i % ${concurrency})) -eq 0 ]; then wait; fi; i=$((i+1)); done`,
    'wait',
    'i=1',
    `while [ $i -le ${repeat} ]; do`,
    `  printf '\\n${MARK} json %s\\n' $i; cat "$d/$i.j" 2>/dev/null`,
    `  printf '\\n${MARK} stderr %s\\n' $i; cat "$d/$i.e" 2>/dev/null`,
    `  printf '\\n${MARK} headers %s\\n' $i; cat "$d/$i.h" 2>/dev/null`,
    `  printf '\\n${MARK} body %s %s\\n' $i "$(cat "$d/$i.b" 2>/dev/null | wc -c)"; head -c ${MAX_BODY_BYTES} "$d/$i.b" 2>/dev/null`,
    '  i=$((i+1))',
    'done',
    `printf '\\n${MARK} end\\n'`,
    'rm -rf "$d"',
  ].join('\n');
}

export type RawCurlRun = { index: number; json: string; stderr: string; headers: string; body: string; bodyBytes: number };

/**
 * Splits the script's stdout back into one record per request. Every marker line is printed with
 * a newline before it, so a section is exactly the bytes between that newline and the previous
 * marker line, whether or not the program's output ended with a newline.
 */
export function splitCurlOutput(stdout: string): RawCurlRun[] {
  const runs = new Map<number, RawCurlRun>();
  const re = new RegExp(`\\n${MARK} (json|stderr|headers|body|end)(?: (\\d+))?(?: +(\\d+))?\\n`, 'g');
  const marks = [...stdout.matchAll(re)];
  marks.forEach((m, k) => {
    const section = m[1] as 'json' | 'stderr' | 'headers' | 'body' | 'end';
    if (section === 'end') return;
    const index = Number(m[2]);
    const end = k + 1 < marks.length ? marks[k + 1]!.index : stdout.length;
    const run = runs.get(index) ?? { index, json: '', stderr: '', headers: '', body: '', bodyBytes: 0 };
    run[section] = stdout.slice(m.index + m[0].length, end);
    if (section === 'body') run.bodyBytes = Number(m[3] ?? 0);
    runs.set(index, run);
  });
  return [...runs.values()].sort((a, b) => a.index - b.index);
}

import { check } from '../checks/check.ts';
import type { Check } from '../model/check.ts';
import type { HttpObservation, TcpObservation } from '../model/observation.ts';
import { poll, PollTimeoutError } from '../model/poll.ts';
import type { HttpProbeSpec, TcpProbeSpec } from '../model/probe-spec.ts';

/**
 * Proof that an external service answers before any phase runs, from a client on the same
 * network: otherwise a service that never came up would look exactly like a reproduced
 * incident (no greeting, a failed handshake). The probes and checks are the scenarios' own.
 */
export type ReachabilityTarget =
  | { kind: 'https-site'; name: string; ip: string; port: number; hostname: string; body: string; caPath: string }
  | { kind: 'mysql'; name: string; ip: string; port: number };

export type ReachabilityObservation = HttpObservation | TcpObservation;
export type ObserveFn = (spec: HttpProbeSpec | TcpProbeSpec) => Promise<ReachabilityObservation>;

export type Reachability = { name: string; ok: boolean; message: string; spec: HttpProbeSpec | TcpProbeSpec; attempts: number };

/** The workload name the reachability client plays for the probes. */
export const REACHABILITY_CLIENT = 'reachability-client';

export function reachabilityProbe(t: ReachabilityTarget): HttpProbeSpec | TcpProbeSpec {
  if (t.kind === 'mysql') return { kind: 'tcp', from: REACHABILITY_CLIENT, host: t.ip, port: t.port, readTimeoutMs: 3_000 };
  // --resolve pins the name to the container IP, as the scenario probes do; no -k: the chain and name must verify.
  return {
    kind: 'http',
    from: REACHABILITY_CLIENT,
    url: `https://${t.hostname}:${t.port}/`,
    resolve: [`${t.hostname}:${t.port}:${t.ip}`],
    cacert: t.caPath,
    timeoutMs: 10_000,
  };
}

export function reachabilityCheck(t: ReachabilityTarget): Check<HttpObservation> | Check<TcpObservation> {
  if (t.kind === 'mysql') return check.greeting('mysql');
  return check.all<HttpObservation>(
    check.curlExit(0),
    check.status(200),
    check.certSubject(new RegExp(`(^|,\\s*)CN=${escapeRegExp(t.hostname)}(,|$)`)),
    check.bodyMatches(new RegExp(`^${escapeRegExp(t.body)}$`)),
  );
}

/** Retries briefly (a port can listen a moment before the server answers); the last message explains a failure. */
export async function checkReachable(
  observe: ObserveFn,
  t: ReachabilityTarget,
  opts: { attempts?: number; intervalMs?: number } = {},
): Promise<Reachability> {
  const attempts = opts.attempts ?? 5;
  const spec = reachabilityProbe(t);
  const judge = reachabilityCheck(t) as Check<ReachabilityObservation>;
  const where = t.kind === 'mysql' ? `mysql ${t.name} at ${t.ip}:${t.port}` : `https site ${t.name} (${t.hostname} at ${t.ip}:${t.port})`;
  let last = { ok: false, message: 'not tried' };
  try {
    const tries = await poll(
      async (n) => {
        last = judge.evaluate(await observe(spec));
        return last.ok && n;
      },
      { what: where, attempts, intervalMs: opts.intervalMs ?? 1000 },
    );
    return { name: t.name, ok: true, message: `${where}: ${last.message}`, spec, attempts: tries };
  } catch (e) {
    if (!(e instanceof PollTimeoutError)) throw e;
    return { name: t.name, ok: false, message: `${where}: ${last.message}`, spec, attempts };
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

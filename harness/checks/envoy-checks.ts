import type { Check } from '../model/check.ts';
import type { AccessLogEntry, EnvoyObservation, ListenerRow } from '../model/observation.ts';
import { asList, kindCheck, matches, quote, result, showPattern } from './describe.ts';

type Of<W extends EnvoyObservation['what']> = Extract<EnvoyObservation, { what: W }>;

function envoyCheck<W extends EnvoyObservation['what']>(
  name: string,
  what: W,
  judge: (o: Of<W>) => { ok: boolean; message: string },
): Check<EnvoyObservation> {
  return kindCheck(name, [`envoy ${what}`], (o: EnvoyObservation) => judge(o as Of<W>));
}

/**
 * Stats named like the write-up (`upstream_rq_pending_overflow`) match every full stat name that
 * ends with it, e.g. `cluster.outbound|8000||httpbin.demo.svc.cluster.local.upstream_rq_pending_overflow`;
 * the check compares their sum.
 */
function statSum(stats: Record<string, number>, name: string): { sum: number; shown: string } {
  const hits = Object.entries(stats).filter(([k]) => k === name || k.endsWith(`.${name}`));
  const shown =
    hits.length === 0
      ? `no stat named *${name}`
      : hits
          .slice(0, 6)
          .map(([k, v]) => `${k}: ${v}`)
          .join(', ') + (hits.length > 6 ? ', …' : '');
  return { sum: hits.reduce((a, [, v]) => a + v, 0), shown };
}

export const statAbove = (name: string, n: number): Check<EnvoyObservation> =>
  envoyCheck(`statAbove(${JSON.stringify(name)}, ${n})`, 'stats', (o) => {
    const { sum, shown } = statSum(o.stats, name);
    return result(sum > n, `expected ${name} above ${n}, got ${sum} (${shown})`);
  });

export const statEquals = (name: string, n: number): Check<EnvoyObservation> =>
  envoyCheck(`statEquals(${JSON.stringify(name)}, ${n})`, 'stats', (o) => {
    const { sum, shown } = statSum(o.stats, name);
    return result(sum === n && !shown.startsWith('no stat'), `expected ${name} = ${n}, got ${sum} (${shown})`);
  });

export type ListenerPattern = { address?: string; port: number; match?: string | RegExp; destination?: string | RegExp };

/** istioctl prints destinations as `Cluster: outbound|…` or `Route: 80`; the prefix may be left out. */
function destinationMatches(destination: string, want: string | RegExp): boolean {
  if (typeof want !== 'string') return want.test(destination);
  return destination === want || destination.replace(/^(Cluster|Route): /, '') === want;
}

const showRow = (r: ListenerRow) => `${r.address} ${r.port} ${r.match} ${r.destination}`;
function rowsOnPort(rows: ListenerRow[], port: number): string {
  const on = rows.filter((r) => r.port === port);
  return on.length === 0 ? `no listener rows on port ${port} (${rows.length} rows in all)` : on.map(showRow).join(' | ');
}

export const listener = (want: ListenerPattern): Check<EnvoyObservation> => {
  const text = [
    want.address ?? '*',
    want.port,
    want.match ? showPattern(want.match) : '*',
    want.destination ? showPattern(want.destination) : '*',
  ].join(' ');
  return envoyCheck(`listener(${text})`, 'listeners', (o) => {
    const hit = o.listeners.find(
      (r) =>
        r.port === want.port &&
        (want.address === undefined || r.address === want.address) &&
        (want.match === undefined || matches(r.match, want.match)) &&
        (want.destination === undefined || destinationMatches(r.destination, want.destination)),
    );
    return result(hit !== undefined, `expected listener row ${text}, got ${hit ? showRow(hit) : rowsOnPort(o.listeners, want.port)}`);
  });
};

/** Some listener row, on any port, sends to `destination` (an entry that still serves, wherever its port moved). */
export const listenerTo = (destination: string | RegExp): Check<EnvoyObservation> => {
  const text = showPattern(destination);
  return envoyCheck(`listenerTo(${text})`, 'listeners', (o) => {
    const hit = o.listeners.find((r) => destinationMatches(r.destination, destination));
    return result(
      hit !== undefined,
      `expected a listener row sending to ${text}, got ${
        hit ? showRow(hit) : o.listeners.length === 0 ? 'no listener rows' : `${o.listeners.length} rows, none to it`
      }`,
    );
  });
};

export const noListener = (want: { address?: string; port: number }): Check<EnvoyObservation> => {
  const text = `${want.address ?? '*'} ${want.port}`;
  return envoyCheck(`noListener(${text})`, 'listeners', (o) => {
    const hits = o.listeners.filter((r) => r.port === want.port && (want.address === undefined || r.address === want.address));
    return result(hits.length === 0, `expected no listener on ${text}, got ${hits.length === 0 ? 'none' : hits.map(showRow).join(' | ')}`);
  });
};

const showEntries = (entries: AccessLogEntry[]) =>
  entries.length === 0
    ? 'no access-log lines'
    : entries
        .slice(-3)
        .map((e) => quote(e.raw, 240))
        .join(' | ');

/**
 * `responseFlags('UC')`: some line has UC. An array means one of them (`['UF', 'UH']`); a comma
 * list means all of them on one line (`'URX,UF'`, as Envoy prints them).
 */
export const responseFlags = (flags: string | readonly string[]): Check<EnvoyObservation> => {
  const alternatives = asList(flags).map((f) =>
    f
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean),
  );
  const text = alternatives.map((a) => a.join(',')).join(' or ');
  return envoyCheck(`responseFlags(${text})`, 'access-log', (o) => {
    const hit = o.entries.find((e) => alternatives.some((alt) => alt.every((f) => e.responseFlags.includes(f))));
    const got = hit
      ? `${hit.responseFlags.join(',')} in ${quote(hit.raw, 240)}`
      : `flags ${[...new Set(o.entries.map((e) => e.responseFlags.join(',') || '-'))].join(' / ') || '(none)'}; ${showEntries(o.entries)}`;
    return result(hit !== undefined, `expected response flags ${text}, got ${got}`);
  });
};

export const accessLog = (re: RegExp): Check<EnvoyObservation> =>
  envoyCheck(`accessLog(${re})`, 'access-log', (o) => {
    const hit = o.entries.find((e) => re.test(e.raw));
    return result(
      hit !== undefined,
      `expected an access-log line matching ${re}, got ${hit ? quote(hit.raw, 240) : showEntries(o.entries)}`,
    );
  });

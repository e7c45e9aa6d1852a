import type { AccessLogEntry } from '../../model/observation.ts';

/** Access-log evidence: each raw line, then the fields a reader looks for. */
export function formatAccessLog(entries: readonly AccessLogEntry[]): string {
  if (entries.length === 0) return '(no access-log lines)\n';
  return (
    entries
      .map((e) =>
        [
          e.raw,
          `    code ${e.responseCode}  flags ${e.responseFlags.join(',') || '-'}  details ${e.responseCodeDetails ?? '-'}  cluster ${e.upstreamCluster ?? '-'}  authority ${e.authority ?? '-'}`,
        ].join('\n'),
      )
      .join('\n') + '\n'
  );
}

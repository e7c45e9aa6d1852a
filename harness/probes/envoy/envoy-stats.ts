/**
 * Envoy's `/stats` text output (`pilot-agent request GET stats`): one `name: value` line per
 * counter and gauge; histograms (`name: P0(…) …`) are skipped.
 *
 * Filter: a substring (`upstream_rq_pending_overflow`, `outbound|8000||httpbin`), or a regular
 * expression written between slashes (`/^cluster\..*\.upstream_cx_/`). Cluster names contain `|`,
 * so a plain filter is never read as a regex.
 */
export function parseEnvoyStats(text: string, filter?: string): Record<string, number> {
  const test = statFilter(filter);
  const stats: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const m = /^(\S+): (-?\d+)$/.exec(line.trim());
    if (m && test(m[1]!)) stats[m[1]!] = Number(m[2]);
  }
  return stats;
}

export function statFilter(filter: string | undefined): (name: string) => boolean {
  if (!filter) return () => true;
  const re = /^\/(.+)\/([a-z]*)$/.exec(filter);
  if (re) {
    const compiled = new RegExp(re[1]!, re[2]);
    return (name) => compiled.test(name);
  }
  return (name) => name.includes(filter);
}

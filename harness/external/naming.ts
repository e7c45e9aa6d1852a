import { createHash } from 'node:crypto';

/**
 * Docker names: `[a-zA-Z0-9][a-zA-Z0-9_.-]*`. Names carry the run id so two runs on one engine
 * never collide and `docker ps` tells whose container it is.
 */
export function dockerSafe(s: string): string {
  const cleaned = s
    .toLowerCase()
    .replace(/[^a-z0-9_.-]+/g, '-')
    .replace(/^[^a-z0-9]+/, '')
    .replace(/[-_.]+$/, '');
  return cleaned === '' ? 'x' : cleaned;
}

/** A long run id keeps its start (readable) and gains a hash of the whole (distinct). */
export function runPart(runId: string, max = 32): string {
  const safe = dockerSafe(runId);
  if (safe.length <= max) return safe;
  const hash = createHash('sha256').update(runId).digest('hex').slice(0, 8);
  return `${safe.slice(0, max - 9).replace(/[-_.]+$/, '')}-${hash}`;
}

/** Container of the external service `service` in run `runId`. */
export function serviceContainerName(runId: string, service: string): string {
  return `casebook-${runPart(runId)}-ext-${dockerSafe(service)}`;
}

/** The run's reachability client (never clashes with a service: those carry `-ext-`). */
export function clientContainerName(runId: string): string {
  return `casebook-${runPart(runId)}-reachability`;
}

/** Name of the site's server certificate in the run's cert store (cert store names: max 63). */
export function siteCertName(service: string): string {
  return `external-${dockerSafe(service)}`.slice(0, 63).replace(/[-_.]+$/, '');
}

/**
 * Docker names: `[a-zA-Z0-9][a-zA-Z0-9_.-]*`. Names carry the run id so two runs on one engine
 * never collide and `docker ps` tells whose container it is.
 */
export function dockerSafe(s: string): string {
  const cleaned = s.toLowerCase().replace(/[^a-z0-9_.-]+/g, '-').replace(/^[^a-z0-9]+/, '').replace(/[-_.]+$/, '');
  return cleaned === '' ? 'x' : cleaned;
}

function limited(name: string): string {
  // 63 keeps names usable as DNS labels and readable in `docker ps`.
  return name.slice(0, 63).replace(/[-_.]+$/, '');
}

/** Container of the external service `service` in run `runId`. */
export function serviceContainerName(runId: string, service: string): string {
  return limited(`casebook-${dockerSafe(runId)}-ext-${dockerSafe(service)}`);
}

/** The run's reachability client (never clashes with a service: those carry `-ext-`). */
export function clientContainerName(runId: string): string {
  return limited(`casebook-${dockerSafe(runId)}-reachability`);
}

/** Name of the site's server certificate in the run's cert store. */
export function siteCertName(service: string): string {
  return limited(`external-${dockerSafe(service)}`);
}

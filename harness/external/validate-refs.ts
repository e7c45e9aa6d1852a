import type { ExternalServiceRef } from '../model/scenario.ts';

const HOSTNAME = /^(?=.{1,253}$)(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i;
const NAME = /^[a-z0-9]([a-z0-9-]{0,40}[a-z0-9])?$/;

/** Every problem with a list of external services, so a scenario author sees them all at once. */
export function problemsWithRefs(refs: readonly ExternalServiceRef[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const ref of refs) {
    if (!NAME.test(ref.name)) problems.push(`external service name "${ref.name}" must be lower-case letters, digits and dashes (max 42)`);
    if (seen.has(ref.name)) problems.push(`external service "${ref.name}" is declared twice`);
    seen.add(ref.name);
    if (ref.kind === 'https-site') {
      if (!HOSTNAME.test(ref.hostname)) problems.push(`external service "${ref.name}": hostname "${ref.hostname}" is not a DNS name`);
      if (ref.body === '') problems.push(`external service "${ref.name}": body must be recognisable, not empty`);
    }
  }
  return problems;
}

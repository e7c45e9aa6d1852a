import type { LoadProblem } from '../model/errors.ts';
import type { ScenarioDefinition } from '../model/scenario.ts';
import { placeholdersIn } from './placeholders.ts';

/** Placeholders in `value` (a probe spec or a manifest's text) that name nothing the scenario declares. */
export function placeholderProblems(s: ScenarioDefinition, location: string, value: unknown): LoadProblem[] {
  const externals = new Set((s.external ?? []).map((e) => e.name));
  const certs = new Set((s.certificates ?? []).map((c) => c.name));
  const problems: LoadProblem[] = [];
  for (const p of placeholdersIn(value)) {
    if (p.kind === 'external' && !externals.has(p.name)) {
      problems.push({
        location,
        message: `placeholder ${p.text} names unknown external service '${p.name}' (declared: ${[...externals].join(', ') || 'none'})`,
      });
    } else if (p.kind === 'ca' && !certs.has(p.name)) {
      problems.push({
        location,
        message: `placeholder ${p.text} names unknown certificate '${p.name}' (declared: ${[...certs].join(', ') || 'none'})`,
      });
    } else if (p.kind === 'unknown') {
      problems.push({
        location,
        message: `unknown placeholder ${p.text} (known: \${external.<name>.ip}, \${service.<ns>/<name>.clusterIP}, \${ingress.http}, \${ingress.https}, \${ca.<name>.pem-path})`,
      });
    }
  }
  return problems;
}

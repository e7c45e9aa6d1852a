import { ownedLabels } from './labels.ts';

// Kept apart from namespaces.ts so that `plan` (which only renders these labels) does not load
// the Kubernetes client that namespaces.ts needs to create namespaces.

export type NamespaceRequest = { name: string; scenario: string; runId: string; injected: boolean };

/** The labels a scenario namespace carries: ours, plus Istio's injection switch. */
export function namespaceLabels(req: NamespaceRequest): Record<string, string> {
  return { ...ownedLabels({ scenario: req.scenario, runId: req.runId }), 'istio-injection': req.injected ? 'enabled' : 'disabled' };
}

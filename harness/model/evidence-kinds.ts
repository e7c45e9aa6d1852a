/**
 * Every evidence kind the collector understands (the part of an entry before the first `:`).
 * In the model so that validation can name them without loading the collector.
 */
export const EVIDENCE_KINDS = [
  'listeners',
  'access-log',
  'cluster-tls',
  'istio-init',
  'served-certificate',
  'gateway-config',
  'gateway-log',
  'gateway-secrets',
] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];

/** Kinds whose argument is a workload whose sidecar (or istio-init container) is read. */
export const SIDECAR_EVIDENCE: readonly EvidenceKind[] = ['listeners', 'access-log', 'cluster-tls', 'istio-init'];

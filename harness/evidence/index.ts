/** Evidence of a phase: what explains a verdict (attempts, listener tables, access-log lines), never secrets. */
export { createEvidenceCollector, type EvidenceCollectionRequest } from './collect-evidence.ts';
export { writePhaseEvidence, phaseEvidenceDir, renderAttempts, type EvidenceItem, type PhaseEvidenceInput } from './phase-evidence.ts';
export { listenerTable, listenersOf, formatListenerTable } from './listener-table.ts';
export { parseAccessLog, parseAccessLogLine, type AccessLogDetail } from './access-log.ts';
export { formatAccessLog } from './access-log-format.ts';
export { clusterTlsTable, formatClusterTls } from './cluster-tls.ts';
export { redactSecrets, containsSecret } from './redact.ts';

import type { V1Status } from '@kubernetes/client-node';

/**
 * The exit code from the status frame the API server sends on channel 3 when the command ends.
 * It is not a field: the kubelet reports a non-zero exit as
 * `{ status: 'Failure', reason: 'NonZeroExitCode', details: { causes: [{ reason: 'ExitCode', message: '3' }] } }`
 * (kubernetes remotecommand NonZeroExitCodeReason / ExitCodeCauseType).
 * A Failure without that cause means the command never ran: undefined here.
 */
export function exitCodeOf(status: V1Status): number | undefined {
  if (status.status === 'Success') return 0;
  const cause = status.details?.causes?.find((c) => c.reason === 'ExitCode');
  if (cause?.message === undefined) return undefined;
  const code = Number(cause.message);
  return Number.isInteger(code) ? code : undefined;
}

/** The runtime could not start the program (OCI "executable file not found in $PATH"). */
export function isMissingExecutable(status: V1Status, program?: string): boolean {
  const message = status.message ?? '';
  if (!/executable file not found|no such file or directory/i.test(message)) return false;
  return program === undefined || message.includes(`"${program}"`);
}

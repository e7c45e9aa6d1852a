import { ApiException } from '@kubernetes/client-node';

/**
 * client-node 2.x throws ApiException whose `body` is the raw response text (a JSON Status as a
 * string); these helpers read it without assuming more.
 */
export function apiStatusCode(e: unknown): number | undefined {
  return e instanceof ApiException ? e.code : undefined;
}

export function isNotFound(e: unknown): boolean {
  return apiStatusCode(e) === 404;
}

export function isConflict(e: unknown): boolean {
  return apiStatusCode(e) === 409;
}

/** "HTTP 422 Invalid: DestinationRule.networking.istio.io "x" is invalid: …" or the error's message. */
export function describeApiError(e: unknown): string {
  if (e instanceof ApiException) {
    const body: unknown = e.body;
    let status: { reason?: string; message?: string } | undefined;
    if (typeof body === 'string') {
      try {
        status = JSON.parse(body) as typeof status;
      } catch {
        status = { message: body.slice(0, 500) };
      }
    } else if (body !== null && typeof body === 'object') {
      status = body as typeof status;
    }
    const reason = status?.reason ? `${status.reason}: ` : '';
    return `HTTP ${e.code} ${reason}${status?.message ?? '(no message)'}`;
  }
  return e instanceof Error ? e.message : String(e);
}

import type {
  BrowserObservation,
  CertSummary,
  CurlResponse,
  HttpObservation,
  IngressErrorKind,
  IngressObservation,
} from '../model/observation.ts';

/** One HTTP exchange, whichever probe made it (curl in a pod, undici from the host, a browser). */
export type Exchange = {
  status: number;
  headers: Record<string, string>;
  body: string;
  certificate?: CertSummary;
  curl?: Pick<CurlResponse, 'curlExit' | 'curlExitMeaning' | 'curlError'>;
  ingressError?: { kind: IngressErrorKind; code: string; message: string };
  title?: string;
};

export type HttpLike = HttpObservation | IngressObservation | BrowserObservation;

export function isHttpLike(o: unknown): o is HttpLike {
  const kind = (o as { kind?: unknown } | undefined)?.kind;
  return kind === 'http' || kind === 'ingress' || kind === 'browser';
}

export function exchangesOf(o: HttpLike): Exchange[] {
  switch (o.kind) {
    case 'http':
      return o.responses.map((r) => ({
        status: r.status,
        headers: r.headers,
        body: r.body,
        certificate: r.certificate,
        curl: { curlExit: r.curlExit, curlExitMeaning: r.curlExitMeaning, curlError: r.curlError },
      }));
    case 'ingress':
      return [
        {
          status: o.status ?? 0,
          headers: o.headers ?? {},
          body: o.body ?? '',
          certificate: o.certificate,
          ingressError: o.error,
        },
      ];
    case 'browser':
      return [{ status: o.status, headers: {}, body: o.text, title: o.title }];
  }
}

/** The facts a reader needs to see why an exchange did not match: status, transport error, body. */
export function describeExchange(e: Exchange): string {
  const parts = [`status ${e.status}`];
  if (e.curl && e.curl.curlExit !== 0)
    parts.push(`curl exit ${e.curl.curlExit} (${e.curl.curlExitMeaning})${e.curl.curlError ? `: ${e.curl.curlError}` : ''}`);
  if (e.ingressError) parts.push(`error ${e.ingressError.kind} (${e.ingressError.code}: ${e.ingressError.message})`);
  const body = e.body.replace(/\s+/g, ' ').trim();
  if (body) parts.push(`body ${JSON.stringify(body.length > 160 ? `${body.slice(0, 160)}…` : body)}`);
  return parts.join('; ');
}

/** Header lookup is case-insensitive (HTTP/2 lowercases names; curl keeps the server's case). */
export function headerValue(headers: Record<string, string>, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === wanted) return v;
  return undefined;
}

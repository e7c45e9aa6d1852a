import type { Check } from '../model/check.ts';
import type { AnalysisObservation, ConfigHop, ConfigPathObservation, IptablesObservation } from '../model/observation.ts';
import { kindCheck, matches, quote, result, showPattern } from './describe.ts';

/**
 * Checks on what Istio's own code computes at config level: the path a probe's call takes through
 * the proxies (listener → filter chain → route → cluster, or the simulation's named error), the
 * analyzers' messages, istio-init's iptables rules. They read like the runtime checks they stand
 * beside: `check.lands({ cluster: 'outbound|3306||mysql.demo' })`.
 */
type Pattern = string | RegExp;

export type HopPattern = {
  /** Which hop: the client's outbound decision (default), the server's inbound one, or the gateway's. */
  at?: ConfigHop['direction'];
  listener?: Pattern;
  filterChain?: Pattern;
  routeConfig?: Pattern;
  virtualHost?: Pattern;
  route?: Pattern;
  cluster?: Pattern;
  /** The cluster's TLS towards its endpoints. */
  clusterTls?: NonNullable<ConfigHop['clusterInfo']>['tls'];
  /** The cluster has this many endpoints (0: nothing to send to). */
  endpoints?: number;
  /** The cluster's circuit breaker (a DestinationRule's connectionPool), e.g. { maxConnections: 1 }. */
  circuitBreaker?: { maxConnections?: number; maxPendingRequests?: number; maxRequests?: number };
  /** A served SDS secret of the matched filter chain, e.g. "kubernetes://httpbin-credential". */
  servedSecret?: Pattern;
  requiresClientCertificate?: boolean;
};

const FIELDS = ['listener', 'filterChain', 'routeConfig', 'virtualHost', 'route', 'cluster'] as const;

export function showHop(h: ConfigHop): string {
  const parts = [`${h.direction}@${h.proxy}`];
  for (const f of FIELDS) if (h[f]) parts.push(`${f}=${h[f]}`);
  if (h.clusterInfo) parts.push(`tls=${h.clusterInfo.tls}`, `endpoints=${(h.clusterInfo.endpoints ?? []).length}`);
  const mc = h.clusterInfo?.circuitBreaker?.['max_connections'];
  if (mc !== undefined && Number(mc) < 4294967295) parts.push(`max_connections=${String(mc)}`);
  if (h.servedSecrets?.length) parts.push(`serves=${h.servedSecrets.join('+')}`);
  if (h.requiresClientCertificate) parts.push('requires client cert');
  if (h.error) parts.push(`error="${h.error}"`);
  if (h.note && !h.listener && !h.error) parts.push(`(${h.note})`);
  return parts.join(' ');
}

export function showPath(o: ConfigPathObservation): string {
  return o.hops.length === 0 ? `no hops (${o.resolve})` : o.hops.map(showHop).join(' → ');
}

function hopMatches(h: ConfigHop, want: HopPattern): boolean {
  if (h.direction !== (want.at ?? h.direction)) return false;
  for (const f of FIELDS) {
    const p = want[f];
    if (p !== undefined && !matches(h[f] ?? '', p)) return false;
  }
  if (want.clusterTls !== undefined && h.clusterInfo?.tls !== want.clusterTls) return false;
  if (want.endpoints !== undefined && (h.clusterInfo?.endpoints ?? []).length !== want.endpoints) return false;
  if (want.circuitBreaker !== undefined && !breakerMatches(h.clusterInfo?.circuitBreaker, want.circuitBreaker)) return false;
  if (want.servedSecret !== undefined && !(h.servedSecrets ?? []).some((s) => matches(s, want.servedSecret!))) return false;
  if (want.requiresClientCertificate !== undefined && (h.requiresClientCertificate ?? false) !== want.requiresClientCertificate)
    return false;
  return h.error === undefined || h.error === '';
}

/** Envoy's thresholds as the config dump names them (max_connections, …); unset means Envoy's default. */
function breakerMatches(got: Record<string, unknown> | undefined, want: NonNullable<HopPattern['circuitBreaker']>): boolean {
  const value = (k: string) => Number(got?.[k] ?? NaN);
  return (
    (want.maxConnections === undefined || value('max_connections') === want.maxConnections) &&
    (want.maxPendingRequests === undefined || value('max_pending_requests') === want.maxPendingRequests) &&
    (want.maxRequests === undefined || value('max_requests') === want.maxRequests)
  );
}

function describePattern(want: HopPattern): string {
  const parts: string[] = [want.at ?? 'any hop'];
  for (const f of FIELDS) if (want[f] !== undefined) parts.push(`${f}=${showPattern(want[f]!)}`);
  if (want.clusterTls) parts.push(`tls=${want.clusterTls}`);
  if (want.endpoints !== undefined) parts.push(`endpoints=${want.endpoints}`);
  if (want.circuitBreaker !== undefined) parts.push(`breaker=${JSON.stringify(want.circuitBreaker)}`);
  if (want.servedSecret !== undefined) parts.push(`serves=${showPattern(want.servedSecret)}`);
  if (want.requiresClientCertificate !== undefined) parts.push(want.requiresClientCertificate ? 'requires client cert' : 'no client cert');
  return parts.join(' ');
}

/** Some hop of the call matches the pattern, without an error at that hop. */
export const lands = (want: HopPattern): Check<ConfigPathObservation> => {
  const text = describePattern(want);
  return kindCheck(`lands(${text})`, ['config-path'], (o: ConfigPathObservation) =>
    result(
      o.hops.some((h) => hopMatches(h, want)),
      `expected the call to pass ${text}, got ${showPath(o)}`,
    ),
  );
};

/**
 * The call stops with the simulation's named error (`'no filter chains matched'`,
 * `'no route matched'`, `'no listener matched'`, …) at some hop, or at the hop named by `at`.
 */
export const stopsWith = (error: Pattern, at?: ConfigHop['direction']): Check<ConfigPathObservation> => {
  const text = `${showPattern(error)}${at ? ` at ${at}` : ''}`;
  return kindCheck(`stopsWith(${text})`, ['config-path'], (o: ConfigPathObservation) =>
    result(
      o.hops.some((h) => (at === undefined || h.direction === at) && h.error !== undefined && h.error !== '' && matches(h.error, error)),
      `expected the call to stop with ${text}, got ${showPath(o)}`,
    ),
  );
};

/** The call reaches its destination with no error at any hop (what a working call needs of config). */
export const passes = (): Check<ConfigPathObservation> =>
  kindCheck('passes()', ['config-path'], (o: ConfigPathObservation) =>
    result(
      o.hops.length > 0 &&
        o.hops.every((h) => !h.error) &&
        !o.hops.some((h) => h.clusterInfo && (h.clusterInfo.endpoints ?? []).length === 0 && h.clusterInfo.type !== 'ORIGINAL_DST'),
      `expected the call to pass every hop with somewhere to go, got ${showPath(o)}`,
    ),
  );

type Served = NonNullable<
  ConfigHop & {
    servedCertificates?: {
      name: string;
      found: boolean;
      subject?: string;
      issuer?: string;
      validationContext?: boolean;
      fingerprint256?: string;
      knownAs?: string;
    }[];
  }
>['servedCertificates'];

function servedBy(o: ConfigPathObservation): { hop: ConfigHop; certs: NonNullable<Served> } | undefined {
  for (const h of o.hops) {
    const certs = (h as ConfigHop & { servedCertificates?: Served }).servedCertificates;
    if (certs && certs.length > 0) return { hop: h, certs };
  }
  return undefined;
}

function showServed(o: ConfigPathObservation): string {
  const s = servedBy(o);
  if (!s) return `no TLS chain on the path (${showPath(o)})`;
  return s.certs
    .map(
      (c) =>
        `${c.name}: ${
          c.found
            ? (c.subject ?? 'found') +
              (c.issuer ? ` issued by ${c.issuer}` : '') +
              (c.knownAs ? ` (the run's ${c.knownAs})` : c.fingerprint256 ? ` (fingerprint ${c.fingerprint256.slice(0, 16)}…)` : '')
            : 'not found by istiod'
        }`,
    )
    .join('; ');
}

/**
 * The TLS chain the call lands on names a secret that istiod's SDS answers with a certificate
 * matching `subject`/`issuer` (the certificate the gateway would serve); `certificate` names the
 * run's certificate by fingerprint (what tells a rotated certificate from the one it replaced).
 */
export const servesCertificate = (
  want: { subject?: Pattern; issuer?: Pattern; certificate?: string } = {},
): Check<ConfigPathObservation> => {
  const text = [
    want.subject && `subject ${showPattern(want.subject)}`,
    want.issuer && `issuer ${showPattern(want.issuer)}`,
    want.certificate && `the run's certificate ${want.certificate}`,
  ]
    .filter(Boolean)
    .join(', ');
  return kindCheck(`servesCertificate(${text})`, ['config-path'], (o: ConfigPathObservation) => {
    const hit = servedBy(o)?.certs.find(
      (c) =>
        c.found &&
        !c.validationContext &&
        (want.subject === undefined || matches(c.subject ?? '', want.subject)) &&
        (want.issuer === undefined || matches(c.issuer ?? '', want.issuer)) &&
        (want.certificate === undefined || c.knownAs === want.certificate),
    );
    return result(hit !== undefined, `expected the chain to serve a certificate${text ? ` with ${text}` : ''}, got ${showServed(o)}`);
  });
};

/** The TLS chain the call lands on names a secret istiod cannot find: the handshake has no certificate to offer. */
export const servesNoCertificate = (): Check<ConfigPathObservation> =>
  kindCheck('servesNoCertificate()', ['config-path'], (o: ConfigPathObservation) => {
    const s = servedBy(o);
    const missing = s?.certs.filter((c) => !c.found && !c.validationContext) ?? [];
    return result(
      s !== undefined && missing.length > 0,
      `expected a TLS chain whose certificate istiod does not find, got ${showServed(o)}`,
    );
  });

/**
 * The TLS chain the call lands on asks for a client certificate and verifies it against a CA that
 * istiod's SDS answers for its validation-context secret (`<credentialName>-cacert`: the ca.crt of
 * the credential, or a Secret of that name), matching `secret`/`subject`. The simulation itself
 * verifies no client certificate: this is the trust the gateway would apply.
 */
export const validatesClientsWith = (want: { secret?: Pattern; subject?: Pattern } = {}): Check<ConfigPathObservation> => {
  const text = [want.secret && `secret ${showPattern(want.secret)}`, want.subject && `CA subject ${showPattern(want.subject)}`]
    .filter(Boolean)
    .join(', ');
  return kindCheck(`validatesClientsWith(${text})`, ['config-path'], (o: ConfigPathObservation) => {
    const s = servedBy(o);
    const ca = s?.certs.find((c) => c.validationContext === true || /-cacert$/.test(c.name));
    const ok =
      s !== undefined &&
      (s.hop.requiresClientCertificate ?? false) &&
      ca !== undefined &&
      ca.found &&
      (want.secret === undefined || matches(ca.name, want.secret)) &&
      (want.subject === undefined || matches(ca.subject ?? '', want.subject));
    const got = !s
      ? `no TLS chain on the path (${showPath(o)})`
      : `${s.hop.requiresClientCertificate ? 'a client certificate is required' : 'no client certificate is asked for'}; ${ca ? `${ca.name}: ${ca.found ? (ca.subject ?? 'found') : 'not found by istiod'}` : 'no validation-context secret'}`;
    return result(ok, `expected the chain to require a client certificate verified against ${text || 'a CA istiod finds'}, got ${got}`);
  });
};

/** iptables captures the call into the client's sidecar (false: the connection leaves directly). */
export const capturedBySidecar = (captured = true): Check<ConfigPathObservation> =>
  kindCheck(`capturedBySidecar(${captured})`, ['config-path'], (o: ConfigPathObservation) =>
    result(o.captured === captured, `expected the client's sidecar ${captured ? 'to' : 'not to'} see the call, got ${showPath(o)}`),
  );

/** An analyzer message with this code (e.g. IST0101), optionally about a resource matching `resource`. */
export const analyzer = (code: string, resource?: Pattern): Check<AnalysisObservation> =>
  kindCheck(`analyzer(${code}${resource ? `, ${showPattern(resource)}` : ''})`, ['analysis'], (o: AnalysisObservation) => {
    const hit = o.messages.find((m) => m.code === code && (resource === undefined || matches(m.resource, resource)));
    return result(hit !== undefined, `expected analyzer message ${code}, got ${hit ? quote(hit.message, 240) : showMessages(o)}`);
  });

export const noAnalyzer = (code: string): Check<AnalysisObservation> =>
  kindCheck(`noAnalyzer(${code})`, ['analysis'], (o: AnalysisObservation) => {
    const hit = o.messages.find((m) => m.code === code);
    return result(hit === undefined, `expected no analyzer message ${code}, got ${hit ? quote(hit.message, 240) : 'none'}`);
  });

/** Every object of the phase passes Istio's validation (none would be refused by the webhook). */
export const accepted = (): Check<AnalysisObservation> =>
  kindCheck('accepted()', ['analysis'], (o: AnalysisObservation) =>
    result(
      o.rejected.length === 0,
      `expected Istio to accept every object, got ${
        o.rejected.length === 0 ? 'all accepted' : o.rejected.map((r) => `${r.kind} ${r.namespace}/${r.name}: ${r.message}`).join('; ')
      }`,
    ),
  );

function showMessages(o: AnalysisObservation): string {
  return o.messages.length === 0
    ? 'no analyzer messages'
    : o.messages
        .slice(0, 4)
        .map((m) => `${m.code} ${m.resource}`)
        .join(', ');
}

/** Some istio-init rule matches (e.g. /-A ISTIO_INBOUND -p tcp --dport 5000 -j ISTIO_IN_REDIRECT/). */
export const iptablesRule = (re: RegExp): Check<IptablesObservation> =>
  kindCheck(`iptablesRule(${re})`, ['iptables'], (o: IptablesObservation) => {
    const pods = podsOf(o);
    const missing = pods.find((p) => !p.rules.some((r) => re.test(r)));
    if (missing) return result(false, `expected an iptables rule matching ${re}${inPod(missing, pods)}, got ${showRules(missing, re)}`);
    return result(true, `expected an iptables rule matching ${re}, got ${pods.map((p) => p.rules.find((r) => re.test(r))).join(' | ')}`);
  });

export const noIptablesRule = (re: RegExp): Check<IptablesObservation> =>
  kindCheck(`noIptablesRule(${re})`, ['iptables'], (o: IptablesObservation) => {
    const pods = podsOf(o);
    for (const p of pods) {
      const hit = p.rules.find((r) => re.test(r));
      if (hit !== undefined) return result(false, `expected no iptables rule matching ${re}${inPod(p, pods)}, got ${hit}`);
    }
    return result(true, `expected no iptables rule matching ${re}, got none`);
  });

/** Every pod of the observation: the workload's one, or one per Deployment. */
function podsOf(o: IptablesObservation): IptablesObservation[] {
  return [o, ...(o.more ?? []).map((m) => ({ ...o, ...m, more: undefined }))];
}

function inPod(p: IptablesObservation, pods: readonly IptablesObservation[]): string {
  return pods.length > 1 && p.deployment ? ` in ${p.deployment}'s pod` : '';
}

function showRules(o: IptablesObservation, re: RegExp): string {
  if (!o.injected) return `no sidecar in ${o.workload}: no istio-init rules`;
  const chain = /ISTIO_[A-Z_]+/.exec(re.source)?.[0];
  const near = chain ? o.rules.filter((r) => r.includes(chain)) : o.rules;
  return near.length === 0 ? `${o.rules.length} rules, none like it` : near.slice(0, 6).join(' | ');
}

import type { CertSummary, Observation } from '../../model/observation.ts';
import type { ProbeSpec } from '../../model/probe-spec.ts';

const cert: CertSummary = {
  subject: 'CN=test.example.com',
  issuer: 'CN=example.com',
  sans: ['test.example.com'],
  validFrom: '2026-01-01T00:00:00.000Z',
  validTo: '2027-01-01T00:00:00.000Z',
};

/**
 * The smallest observations each probe kind produces (model/observation.ts), for tests that
 * check the wiring between a scenario's probes and its checks: one where the request went
 * through (with a served certificate where the kind can carry one), one where it did not.
 * Their values prove nothing about Istio; only their shape matters.
 */
export function minimalObservations(spec: ProbeSpec): { answered: Observation; failed: Observation } {
  switch (spec.kind) {
    case 'http':
      return {
        answered: {
          kind: 'http',
          command: ['curl'],
          responses: [
            { status: 200, headers: { 'content-type': 'text/plain' }, body: 'ok', curlExit: 0, curlExitMeaning: 'ok', certificate: cert },
          ],
        },
        failed: {
          kind: 'http',
          command: ['curl'],
          responses: [
            {
              status: 0,
              headers: {},
              body: '',
              curlExit: 7,
              curlExitMeaning: 'failed to connect to host',
              curlError: 'curl: (7) Failed to connect',
            },
          ],
        },
      };
    case 'ingress':
      return {
        answered: {
          kind: 'ingress',
          url: spec.url,
          connectedTo: '127.0.0.1:8443',
          status: 200,
          headers: {},
          body: 'ok',
          tlsVersion: 'TLSv1.3',
          certificate: cert,
          chain: [cert],
        },
        failed: {
          kind: 'ingress',
          url: spec.url,
          connectedTo: '127.0.0.1:8443',
          error: { kind: 'refused', code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' },
        },
      };
    case 'browser':
      return {
        answered: { kind: 'browser', url: `http://127.0.0.1:8080${spec.path}`, status: 200, title: 't', text: 'ok' },
        failed: { kind: 'browser', url: `http://127.0.0.1:8080${spec.path}`, status: 0, title: '', text: '' },
      };
    case 'tcp':
      return {
        answered: {
          kind: 'tcp',
          tool: 'nc',
          outcome: 'connected',
          closedByPeer: false,
          bytesReceived: 4,
          firstBytesHex: '0a000000',
          raw: { exitCode: 0, stderr: '' },
        },
        failed: {
          kind: 'tcp',
          tool: 'nc',
          outcome: 'refused',
          closedByPeer: false,
          bytesReceived: 0,
          firstBytesHex: '',
          raw: { exitCode: 1, stderr: 'Connection refused' },
        },
      };
    case 'tls':
      return {
        answered: {
          kind: 'tls',
          handshake: 'ok',
          tlsVersion: 'TLSv1.3',
          verifyResult: { code: 0, text: 'ok' },
          chain: [cert],
          raw: { exitCode: 0, stderr: '' },
        },
        failed: {
          kind: 'tls',
          handshake: 'failed',
          alert: 'tlsv13 alert certificate required',
          chain: [],
          raw: { exitCode: 1, stderr: '' },
        },
      };
    case 'kube':
      return spec.read === 'object'
        ? {
            answered: { kind: 'kube', read: 'object', object: spec.object.name, exists: true },
            failed: { kind: 'kube', read: 'object', object: spec.object.name, exists: false },
          }
        : {
            answered: {
              kind: 'kube',
              read: 'pods',
              selector: spec.selector,
              pods: [
                {
                  name: 'p',
                  uid: 'u',
                  startTime: '2026-01-01T00:00:00.000Z',
                  containers: [{ name: 'c', restartCount: 0, startedAt: '2026-01-01T00:00:00.000Z' }],
                },
              ],
              since: { object: 'x', changedAt: '2026-01-02T00:00:00.000Z' },
            },
            failed: { kind: 'kube', read: 'pods', selector: spec.selector, pods: [] },
          };
    case 'envoy':
      switch (spec.what) {
        case 'stats':
          return {
            answered: { kind: 'envoy', what: 'stats', stats: { 'cluster.x.upstream_rq_total': 1 } },
            failed: { kind: 'envoy', what: 'stats', stats: {} },
          };
        case 'listeners':
          return {
            answered: {
              kind: 'envoy',
              what: 'listeners',
              listeners: [{ address: '0.0.0.0', port: 80, match: 'ALL', destination: 'PassthroughCluster' }],
            },
            failed: { kind: 'envoy', what: 'listeners', listeners: [] },
          };
        case 'access-log':
          return {
            answered: {
              kind: 'envoy',
              what: 'access-log',
              entries: [{ raw: '"GET / HTTP/1.1" 200 -', responseCode: 200, responseFlags: [] }],
            },
            failed: { kind: 'envoy', what: 'access-log', entries: [] },
          };
        case 'clusters':
          return {
            answered: {
              kind: 'envoy',
              what: 'clusters',
              clusters: [{ cluster: 'outbound|80||x.svc.cluster.local', transport: 'tls', maxConnections: 1 }],
            },
            failed: { kind: 'envoy', what: 'clusters', clusters: [] },
          };
      }
  }
}

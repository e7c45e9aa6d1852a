// Unit tests: pure rendering, no cluster, no istioctl. The base profile is a test fixture shaped
// like manifests/mesh/<profile>.yaml (an IstioOperator we wrote).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalJson, installHash, istioOperatorFor } from './operator.ts';

const base = (): Record<string, unknown> => ({
  apiVersion: 'install.istio.io/v1alpha1',
  kind: 'IstioOperator',
  spec: {
    profile: 'default',
    meshConfig: { outboundTrafficPolicy: { mode: 'ALLOW_ANY' }, defaultConfig: { holdApplicationUntilProxyStarts: true } },
    components: {
      ingressGateways: [
        { name: 'istio-ingressgateway', enabled: false, k8s: { resources: { requests: { cpu: '10m' } } } },
        { name: 'other-gw', enabled: true },
      ],
    },
  },
});

type Iop = {
  metadata: Record<string, string>;
  spec: { meshConfig: Record<string, any>; components: { ingressGateways: Record<string, any>[] } };
};

test('operator: NodePort ingress gateway with the fixed nodePorts and all three chart ports (list replaced wholesale)', () => {
  const iop = istioOperatorFor({ profile: 'casebook-demo' }, { version: '1.30.3', baseProfile: base() }) as unknown as Iop;
  const [gw, other] = iop.spec.components.ingressGateways;
  assert.equal(gw?.['name'], 'istio-ingressgateway');
  assert.equal(gw?.['enabled'], true);
  assert.deepEqual(gw?.['k8s'], {
    resources: { requests: { cpu: '10m' } },
    service: {
      type: 'NodePort',
      ports: [
        { name: 'status-port', port: 15021, targetPort: 15021, nodePort: 30021, protocol: 'TCP' },
        { name: 'http2', port: 80, targetPort: 8080, nodePort: 30080, protocol: 'TCP' },
        { name: 'https', port: 443, targetPort: 8443, nodePort: 30443, protocol: 'TCP' },
      ],
    },
  });
  assert.deepEqual(other, { name: 'other-gw', enabled: true });
  assert.equal(iop.spec.meshConfig['accessLogFile'], '/dev/stdout');
  assert.deepEqual(iop.metadata, { name: 'casebook-casebook-demo', namespace: 'istio-system' });
});

test('operator: meshConfig overrides merge deeply, proxyMetadata stays strings, the base profile is not mutated', () => {
  const profile = base();
  const before = canonicalJson(profile);
  const iop = istioOperatorFor(
    {
      profile: 'casebook-demo',
      meshConfig: { enableAutoMtls: false, outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' } },
      proxyMetadata: { ISTIO_META_DNS_CAPTURE: 'true' },
    },
    { version: '1.30.3', baseProfile: profile },
  ) as unknown as Iop;
  assert.equal(iop.spec.meshConfig['enableAutoMtls'], false);
  assert.deepEqual(iop.spec.meshConfig['outboundTrafficPolicy'], { mode: 'REGISTRY_ONLY' });
  assert.deepEqual(iop.spec.meshConfig['defaultConfig'], {
    holdApplicationUntilProxyStarts: true,
    proxyMetadata: { ISTIO_META_DNS_CAPTURE: 'true' },
  });
  assert.equal(canonicalJson(profile), before);
});

test('operator: a base profile that is not an IstioOperator is refused', () => {
  assert.throws(
    () => istioOperatorFor({ profile: 'x' }, { version: '1.30.3', baseProfile: { kind: 'ConfigMap' } }),
    /not an IstioOperator/,
  );
});

test('installHash: stable across key order, different for another version or another override', () => {
  const a = istioOperatorFor({ profile: 'p', meshConfig: { enableAutoMtls: false } }, { version: '1.30.3', baseProfile: base() });
  const reordered = JSON.parse(canonicalJson(a)) as Record<string, unknown>;
  const shuffled = Object.fromEntries(Object.entries(reordered).reverse());
  assert.equal(installHash(a, '1.30.3'), installHash(shuffled, '1.30.3'));
  assert.match(installHash(a, '1.30.3'), /^[0-9a-f]{16}$/);
  assert.notEqual(installHash(a, '1.30.3'), installHash(a, '1.29.6'));
  const b = istioOperatorFor({ profile: 'p', meshConfig: { enableAutoMtls: true } }, { version: '1.30.3', baseProfile: base() });
  assert.notEqual(installHash(a, '1.30.3'), installHash(b, '1.30.3'));
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CertStore } from '../certs/cert-store.ts';
import { InfrastructureError } from '../model/errors.ts';
import type { ExecTransport } from '../model/exec.ts';
import { probeObserver, type Observers } from './observe.ts';

const never: Observers = {
  inMesh: async () => assert.fail('in-mesh observer called'),
  ingress: async () => assert.fail('ingress observer called'),
  browser: async () => assert.fail('browser observer called'),
};
const ctx = { transport: {} as ExecTransport, namespaceOf: () => 'ns', certs: {} as CertStore };

test('without a gateway address, ingress and browser probes are infrastructure errors that say why the address is unknown', async () => {
  const observe = probeObserver(undefined, { unknownBecause: 'Service istio-system/istio-ingressgateway was not found', observers: never });
  for (const spec of [
    { kind: 'ingress' as const, url: 'https://h.example.com/' },
    { kind: 'browser' as const, path: '/' },
  ]) {
    await assert.rejects(
      observe(spec, ctx),
      (e: unknown) =>
        e instanceof InfrastructureError &&
        e.message ===
          `a ${spec.kind} probe needs the ingress gateway's address, which this run does not know: Service istio-system/istio-ingressgateway was not found`,
    );
  }
});

test('without a gateway address, in-mesh probes still run', async () => {
  const observe = probeObserver(undefined, {
    observers: { ...never, inMesh: async (spec) => ({ kind: 'tcp', seen: spec.kind }) as never },
  });
  assert.deepEqual(await observe({ kind: 'tcp', from: 'curl', host: 'mysql', port: 3306 }, ctx), { kind: 'tcp', seen: 'tcp' });
});

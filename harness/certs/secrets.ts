import type { SecretRequest } from '../model/scenario.ts';
import { UsageError } from '../model/errors.ts';
import type { CertStore } from './cert-store.ts';

/** A Kubernetes core/v1 Secret as plain data (the shape client-node's V1Secret accepts). */
export type KubeSecret = {
  apiVersion: 'v1';
  kind: 'Secret';
  metadata: { name: string; namespace: string; labels: Record<string, string> };
  type: 'kubernetes.io/tls' | 'Opaque';
  /** Base64-encoded values. */
  data: Record<string, string>;
};

export const MANAGED_BY_LABEL = { 'casebook.dev/managed-by': 'istio-casebook' } as const;

/**
 * Builds the Secret a Gateway's `credentialName` points at, in one of the key layouts Istio reads
 * (pilot/pkg/credentials/kube/secrets.go, extractKeyAndCert / extractRoot / GetCaCert):
 * - `tls`:     type kubernetes.io/tls, `tls.crt` + `tls.key`, plus `ca.crt` when `ca` is set (MUTUAL);
 * - `generic`: Opaque, `cert` + `key`, plus `cacert` when `ca` is set;
 * - `cacert`:  Opaque with `cacert` only. Istio looks for `<credentialName>-cacert` first and falls
 *              back to `<credentialName>`, so name it `<credentialName>-cacert`.
 * Istio ignores the Secret type (it only skips helm releases and service-account tokens), so the
 * type here follows what `kubectl create secret tls|generic` would make.
 */
export async function secretFor(req: SecretRequest, store: CertStore, opts: { labels?: Record<string, string> } = {}): Promise<KubeSecret> {
  const data: Record<string, string> = {};
  const put = (key: string, text: string) => {
    data[key] = Buffer.from(text, 'utf8').toString('base64');
  };
  const caPem = req.ca === undefined ? undefined : store.get(req.ca).certPem;
  const needCert = (): { certPem: string; key: string } => {
    if (req.cert === undefined) {
      throw new UsageError(
        `secret ${req.namespace}/${req.name} (format ${req.format}) names no certificate`,
        `add cert: '<server certificate name>' to the secret request`,
      );
    }
    return { certPem: store.get(req.cert).certPem, key: store.keyPem(req.cert) };
  };

  switch (req.format) {
    case 'tls': {
      const { certPem, key } = needCert();
      put('tls.crt', certPem);
      put('tls.key', key);
      if (caPem !== undefined) put('ca.crt', caPem);
      break;
    }
    case 'generic': {
      const { certPem, key } = needCert();
      put('cert', certPem);
      put('key', key);
      if (caPem !== undefined) put('cacert', caPem);
      break;
    }
    case 'cacert': {
      if (caPem === undefined) {
        throw new UsageError(
          `secret ${req.namespace}/${req.name} (format cacert) names no CA`,
          `add ca: '<certificate authority name>' to the secret request`,
        );
      }
      if (req.cert !== undefined) {
        throw new UsageError(
          `secret ${req.namespace}/${req.name} (format cacert) holds only a CA, but names cert "${req.cert}"`,
          'put the server certificate in a separate tls or generic secret named after the credential',
        );
      }
      put('cacert', caPem);
      break;
    }
    default: {
      const format: never = req.format;
      throw new UsageError(`unknown secret format "${String(format)}"`, 'use tls, generic or cacert');
    }
  }

  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: req.name, namespace: req.namespace, labels: { ...opts.labels, ...MANAGED_BY_LABEL } },
    type: req.format === 'tls' ? 'kubernetes.io/tls' : 'Opaque',
    data,
  };
}

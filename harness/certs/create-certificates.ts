import { isDeepStrictEqual } from 'node:util';
import type { CertificateRequest } from '../model/scenario.ts';
import { UsageError } from '../model/errors.ts';
import type { CertStore } from './cert-store.ts';

/**
 * Makes the certificates scenarios declare, CAs first so leaves can name a CA declared after
 * them, into the store it is given. The runner gives every scenario a store of its own, so two
 * scenarios declaring `example-ca` get two different CAs with the same subject: a leaf left by
 * another scenario surfaces as a bad signature, not as a pass. Within one store an identical
 * declaration reuses the certificate and a different one is a usage error, since a probe would
 * otherwise verify against the wrong CA.
 */
export async function createCertificates(
  store: CertStore,
  requests: readonly CertificateRequest[],
  made: Map<string, CertificateRequest> = new Map(),
): Promise<Map<string, CertificateRequest>> {
  const ordered = [...requests].sort((a, b) => Number(b.kind === 'ca') - Number(a.kind === 'ca'));
  for (const req of ordered) {
    const earlier = made.get(req.name);
    if (earlier) {
      if (!isDeepStrictEqual(earlier, req)) {
        throw new UsageError(
          `certificate "${req.name}" is declared twice with different contents`,
          "give one of them another name in its scenario's certificates",
        );
      }
      continue;
    }
    if (req.kind === 'ca') await store.ca(req.name, { subject: req.subject });
    else if (req.kind === 'server') await store.server(req.name, req);
    else await store.client(req.name, req);
    made.set(req.name, req);
  }
  return made;
}

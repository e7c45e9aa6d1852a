import { HttpMethod, KubernetesObjectApi, PatchStrategy, type KubeConfig, type KubernetesObject } from '@kubernetes/client-node';
import { InfrastructureError } from '../model/errors.ts';
import { describeApiError, isNotFound } from './api-error.ts';
import { FIELD_MANAGER } from './labels.ts';
import { describeObject, type KubeObject } from './manifest-objects.ts';

/** Generic access to any kind, built-in or custom (Istio CRs), keyed by the objects themselves. */
export type ObjectStore = {
  /** Server-side apply, in order; force takes over fields another manager owns. */
  apply(objects: readonly KubeObject[]): Promise<void>;
  /** Deletes in reverse order with background propagation; absent objects and unknown kinds are fine. */
  delete(objects: readonly KubeObject[]): Promise<void>;
  /** The live object's labels, or undefined when it does not exist. */
  labelsOf(object: KubeObject): Promise<Record<string, string> | undefined>;
};

/**
 * KubernetesObjectApi.patch serialises the body through the typed models for built-in kinds
 * (ObjectSerializer.serialize), silently dropping fields the model does not know
 * (kubernetes-client/javascript#2962). This subclass keeps the client's discovery, URL building and authentication and
 * sends the object as written, so the API server's strict field validation sees every field.
 */
class RawObjectApi extends KubernetesObjectApi {
  /** What KubernetesObjectApi.makeApiClient does: the context's namespace becomes the default. */
  static forKubeConfig(kc: KubeConfig): RawObjectApi {
    const api = kc.makeApiClient(RawObjectApi);
    api.setDefaultNamespace(kc);
    return api;
  }

  async applyRaw(object: KubeObject, fieldManager: string): Promise<KubernetesObject> {
    // specUriPath fills in apiVersion/namespace defaults on its argument: give it a copy.
    const path = await this.specUriPath(structuredClone(object) as KubernetesObject, 'patch');
    const request = this.configuration.baseServer.makeRequestContext(path, HttpMethod.PATCH);
    request.setHeaderParam('Accept', 'application/json');
    request.setHeaderParam('Content-Type', PatchStrategy.ServerSideApply);
    request.setQueryParam('fieldManager', fieldManager);
    request.setQueryParam('force', 'true');
    // Reject unknown or duplicate fields instead of dropping them with a warning.
    request.setQueryParam('fieldValidation', 'Strict');
    // JSON is YAML: the apply-patch+yaml content type accepts it.
    request.setBody(JSON.stringify(object));
    return this.requestPromise(request);
  }
}

/** "Unrecognized API version and kind": the CRD is gone, so no object of that kind exists. */
function isUnknownKind(e: unknown): boolean {
  return e instanceof Error && /Unrecognized API version and kind/.test(e.message);
}

export function createObjectStore(kc: KubeConfig, opts: { fieldManager?: string } = {}): ObjectStore {
  const api = RawObjectApi.forKubeConfig(kc);
  const fieldManager = opts.fieldManager ?? FIELD_MANAGER;
  return {
    async apply(objects) {
      for (const object of objects) {
        try {
          await api.applyRaw(object, fieldManager);
        } catch (e) {
          throw new InfrastructureError(
            `could not apply ${describeObject(object)}: ${describeApiError(e)}`,
            'check the manifest against the installed Istio/Kubernetes version (the server validates every field)',
            { cause: e },
          );
        }
      }
    },
    async delete(objects) {
      for (const object of [...objects].reverse()) {
        try {
          await api.delete(structuredClone(object) as KubernetesObject, undefined, undefined, undefined, undefined, 'Background');
        } catch (e) {
          if (isNotFound(e) || isUnknownKind(e)) continue;
          throw new InfrastructureError(
            `could not delete ${describeObject(object)}: ${describeApiError(e)}`,
            `delete it by hand (kubectl delete ${object.kind.toLowerCase()} ${object.metadata.name}${object.metadata.namespace ? ` -n ${object.metadata.namespace}` : ''})`,
            { cause: e },
          );
        }
      }
    },
    async labelsOf(object) {
      try {
        const live = await api.read({
          apiVersion: object.apiVersion,
          kind: object.kind,
          metadata: { name: object.metadata.name, namespace: object.metadata.namespace },
        });
        return live.metadata?.labels ?? {};
      } catch (e) {
        if (isNotFound(e) || isUnknownKind(e)) return undefined;
        throw new InfrastructureError(`could not read ${describeObject(object)}: ${describeApiError(e)}`, undefined, { cause: e });
      }
    },
  };
}

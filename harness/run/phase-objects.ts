import { PrerequisiteError } from '../model/errors.ts';
import { describeObject, objectKey, withLabels, type KubeObject } from '../kube/manifest-objects.ts';
import { isOwned } from '../kube/labels.ts';
import { resolvePlaceholders } from './resolve-placeholders.ts';
import { labelsFor, placeholderSources, type ScenarioContext } from './scenario-context.ts';

/** The objects of a list of manifest files, placeholders resolved, labelled ours. */
export async function loadObjects(
  ctx: ScenarioContext,
  load: (file: string) => Promise<KubeObject[]>,
  files: readonly string[],
): Promise<KubeObject[]> {
  const objects = (await Promise.all(files.map(load))).flat();
  return withLabels(await resolvePlaceholders(objects, placeholderSources(ctx)), labelsFor(ctx));
}

/**
 * Objects outside the scenario's own namespaces (istio-system secrets, mesh-wide policy) may
 * already exist. One that exists without our label belongs to someone else: refuse rather than
 * overwrite it, and never delete it afterwards.
 */
export async function assertWeMayWrite(ctx: Pick<ScenarioContext, 'namespaces' | 'deps'>, objects: readonly KubeObject[]): Promise<void> {
  for (const o of objects) {
    if (o.metadata.namespace !== undefined && ctx.namespaces.has(o.metadata.namespace)) continue;
    const labels = await ctx.deps.cluster.objects.labelsOf(o);
    if (labels !== undefined && !isOwned(labels)) {
      throw new PrerequisiteError(
        `${describeObject(o)} already exists and is not labelled casebook.dev/managed-by=istio-casebook: the harness will not overwrite it`,
        'remove it yourself, or run against a cluster made for the casebook (--cluster kind)',
      );
    }
  }
}

/**
 * How to undo a phase: objects that replaced a base object (same group, kind, namespace, name)
 * are restored by applying the base again with the same field manager, which also drops every
 * field the phase added; everything else the phase created is deleted.
 */
export function revertPlan(
  phaseObjects: readonly KubeObject[],
  base: ReadonlyMap<string, KubeObject>,
): { restore: KubeObject[]; remove: KubeObject[] } {
  const restore: KubeObject[] = [];
  const remove: KubeObject[] = [];
  for (const o of phaseObjects) {
    const original = base.get(objectKey(o));
    if (original) {
      if (!restore.includes(original)) restore.push(original);
    } else remove.push(o);
  }
  return { restore, remove };
}

export function deploymentsIn(objects: readonly KubeObject[]): KubeObject[] {
  return objects.filter((o) => o.kind === 'Deployment' && o.apiVersion.startsWith('apps/'));
}

/**
 * Copies of the Deployments with a pod-template annotation naming the phase: a new pod template,
 * so a rollout (what `kubectl rollout restart` does with its own annotation). Applying the base
 * again removes it, since our field manager no longer sets it: a second rollout back.
 */
export function withRestartAnnotation(deployments: readonly KubeObject[], phase: string): KubeObject[] {
  return deployments.map((d) => {
    const copy = structuredClone(d);
    const spec = (copy['spec'] ??= {}) as { template?: { metadata?: { annotations?: Record<string, string> } } };
    spec.template ??= {};
    spec.template.metadata ??= {};
    spec.template.metadata.annotations = { ...spec.template.metadata.annotations, 'casebook.dev/restarted-for-phase': phase };
    return copy;
  });
}

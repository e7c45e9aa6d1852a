import type { Check } from '../model/check.ts';
import type { KubeObservation } from '../model/observation.ts';
import { kindCheck, result } from './describe.ts';

type ObjectRead = Extract<KubeObservation, { read: 'object' }>;
type PodsRead = Extract<KubeObservation, { read: 'pods' }>;

/** The object a kube probe reads does not exist (a precondition: no IngressClass istio). */
export function absent(): Check<ObjectRead> {
  return kindCheck('absent()', ['kube object'], (o: ObjectRead) =>
    result(!o.exists, `expected ${o.object} not to exist, ${o.exists ? 'but it exists' : 'and it does not'}`),
  );
}

/**
 * Every pod of the probe's selector, and each of its running containers, started before the
 * probe's `since` object last changed (a rotated Secret): nothing was restarted or replaced to
 * pick the change up. Times are the API server's (whole seconds), so "before" is strict.
 */
export function notRestartedSince(): Check<PodsRead> {
  return kindCheck('notRestartedSince()', ['kube pods'], (o: PodsRead) => {
    const at = o.since?.changedAt;
    if (at === undefined)
      return result(
        false,
        `expected a change time for ${o.since?.object ?? "the probe's since object"}, got none (does it exist? the probe needs since)`,
      );
    if (o.pods.length === 0) return result(false, `expected pods ${o.selector}, got none`);
    const late: string[] = [];
    for (const p of o.pods) {
      if (p.startTime === undefined || p.startTime >= at) late.push(`pod ${p.name} started ${p.startTime ?? 'at an unknown time'}`);
      for (const c of p.containers) {
        if (c.startedAt === undefined || c.startedAt >= at)
          late.push(`${p.name}/${c.name} (restarts ${c.restartCount}) running since ${c.startedAt ?? 'unknown (not running)'}`);
      }
    }
    const shown = o.pods
      .map((p) => `${p.name} since ${p.startTime ?? '?'} (restarts ${p.containers.map((c) => c.restartCount).join('/')})`)
      .join(', ');
    return late.length === 0
      ? result(true, `expected no restart since ${o.since!.object} changed at ${at}, got ${shown}`)
      : result(false, `expected no restart since ${o.since!.object} changed at ${at}, got ${late.join('; ')}`);
  });
}

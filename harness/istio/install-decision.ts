import { PrerequisiteError } from '../model/errors.ts';

/** What casebook recorded about the Istio it installed (ConfigMap casebook-install in istio-system). */
export type InstallRecord = { hash: string; version: string; profile: string };

export type InstallDecision = {
  action: 'reuse' | 'install' | 'reinstall';
  /** Remove the current Istio before installing (a different version, or one we did not install). */
  uninstallFirst: boolean;
  reason: string;
};

/**
 * Reuse when the recorded hash matches and istiod is there; otherwise install or reinstall. On a
 * cluster we may not manage (existing, no --manage-istio) anything but a reuse is refused.
 * Same version, other config: `istioctl install` over the old one (it applies and prunes).
 * Other version: uninstall first, so no mix of old and new control-plane objects survives.
 */
export function decideInstall(
  current: InstallRecord | undefined,
  wanted: InstallRecord,
  cluster: { istiodPresent: boolean; manageIstio: boolean; name: string },
): InstallDecision {
  if (current && current.hash === wanted.hash && cluster.istiodPresent) {
    return {
      action: 'reuse',
      uninstallFirst: false,
      reason: `Istio ${current.version} (${current.profile}, ${current.hash}) already installed by casebook`,
    };
  }
  const describe = (r: InstallRecord) => `Istio ${r.version} with profile ${r.profile} (config ${r.hash})`;
  if (!cluster.manageIstio) {
    const found =
      current && cluster.istiodPresent
        ? `has ${describe(current)}`
        : cluster.istiodPresent
          ? 'has an Istio that casebook did not install (its mesh settings are unknown)'
          : 'has no Istio';
    throw new PrerequisiteError(
      `cluster ${cluster.name} ${found}; this run needs ${describe(wanted)}`,
      'pass --manage-istio to let casebook install it there (it changes the mesh for every workload on that cluster), or use --cluster kind',
    );
  }
  if (!cluster.istiodPresent) {
    return {
      action: current ? 'reinstall' : 'install',
      uninstallFirst: false,
      reason: current ? "casebook's record is there but istiod is not" : 'no Istio installed',
    };
  }
  if (!current) return { action: 'reinstall', uninstallFirst: true, reason: 'an Istio casebook did not install is there' };
  return {
    action: 'reinstall',
    uninstallFirst: current.version !== wanted.version,
    reason:
      current.version !== wanted.version
        ? `installed version ${current.version} differs from ${wanted.version}`
        : `installed config ${current.hash} (profile ${current.profile}) differs from ${wanted.hash} (profile ${wanted.profile})`,
  };
}

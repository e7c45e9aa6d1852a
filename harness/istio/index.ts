/** Istio install from a mesh profile, for the runner and `casebook plan`. */
export { ensureIstio, ISTIO_DEPLOYMENTS, type EnsureIstioOptions, type IstioInstall } from './ensure-istio.ts';
export { istioOperatorFor, installHash, ingressGatewayPorts, INGRESS_GATEWAY_NAME } from './operator.ts';
export { loadMeshProfile, MESH_PROFILE_DIR } from './mesh-profile.ts';
export { decideInstall, type InstallDecision, type InstallRecord } from './install-decision.ts';
export { istioctlArgs, operatorFileName, DEFAULT_READINESS_TIMEOUT_MS } from './istioctl-commands.ts';
export { kubeIstioApi, type IstioClusterApi } from './install-store.ts';

/**
 * Built-in kinds that live outside namespaces (`kubectl api-resources --namespaced=false` on
 * Kubernetes 1.36, the ones a scenario could plausibly ship). The schemas do not carry scope, so
 * this is the one list we keep by hand; every Istio kind is namespaced.
 */
const CLUSTER_SCOPED = new Set([
  'Namespace',
  'Node',
  'PersistentVolume',
  'ClusterRole',
  'ClusterRoleBinding',
  'IngressClass',
  'StorageClass',
  'CSIDriver',
  'CSINode',
  'PriorityClass',
  'RuntimeClass',
  'CustomResourceDefinition',
  'APIService',
  'MutatingWebhookConfiguration',
  'ValidatingWebhookConfiguration',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'CertificateSigningRequest',
  'FlowSchema',
  'PriorityLevelConfiguration',
  'VolumeAttachment',
  'IPAddress',
  'ServiceCIDR',
]);

export function isClusterScoped(kind: string): boolean {
  return CLUSTER_SCOPED.has(kind);
}

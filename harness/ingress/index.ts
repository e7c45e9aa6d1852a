export { observeIngress, type IngressAddress, type IngressContext } from './observe-ingress.ts';
export { ingressRequest, type IngressRequest, type IngressResult } from './ingress-request.ts';
export { resolveIngressAddress, type IngressAddressInput, type ResolvedIngressAddress, type ServiceData } from './resolve-ingress-address.ts';
export { classifyError, classifyResponse, describeErrorKind, type ClassifiedError } from './classify-error.ts';
export { parseResolve } from './parse-resolve.ts';

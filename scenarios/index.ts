/**
 * The registry: every scenario, explicitly. A folder under scenarios/ that is not imported here
 * fails `casebook validate` (harness/load), as does an id that is not its folder's name.
 */
import type { ScenarioDefinition } from '../harness/index.ts';
import destinationruleWithoutTlsOverridesMeshMtls from './destinationrule-without-tls-overrides-mesh-mtls/scenario.ts';
import inboundPortNotCaptured from './inbound-port-not-captured/scenario.ts';
import ingressGatewayHostAndPathRouting from './ingress-gateway-host-and-path-routing/scenario.ts';
import ingressKubernetesIngressClass from './ingress-kubernetes-ingress-class/scenario.ts';
import ingressMutualTls from './ingress-mutual-tls/scenario.ts';
import ingressTlsCertificateRotation from './ingress-tls-certificate-rotation/scenario.ts';
import ingressTlsMultipleHosts from './ingress-tls-multiple-hosts/scenario.ts';
import ingressTlsPassthrough from './ingress-tls-passthrough/scenario.ts';
import ingressTlsSimple from './ingress-tls-simple/scenario.ts';
import ingressWildcardHostForBrowsers from './ingress-wildcard-host-for-browsers/scenario.ts';
import serviceentryInOtherNamespaceCapturesTcpPort from './serviceentry-in-other-namespace-captures-tcp-port/scenario.ts';
import serviceentryWithoutAddressesHijacksHttps from './serviceentry-without-addresses-hijacks-https/scenario.ts';
import destinationruleSubsetMatchesNoPod from './destinationrule-subset-matches-no-pod/scenario.ts';
import permissiveMtlsStallsPlaintextServerFirstClient from './permissive-mtls-stalls-plaintext-server-first-client/scenario.ts';
import registryOnlySendsUnknownHostsToBlackhole from './registry-only-sends-unknown-hosts-to-blackhole/scenario.ts';
import unprefixedPortSniffingStallsServerFirstMysql from './unprefixed-port-sniffing-stalls-server-first-mysql/scenario.ts';

export const scenarios: readonly ScenarioDefinition[] = [
  destinationruleWithoutTlsOverridesMeshMtls,
  inboundPortNotCaptured,
  ingressGatewayHostAndPathRouting,
  ingressKubernetesIngressClass,
  ingressMutualTls,
  ingressTlsCertificateRotation,
  ingressTlsMultipleHosts,
  ingressTlsPassthrough,
  ingressTlsSimple,
  ingressWildcardHostForBrowsers,
  serviceentryInOtherNamespaceCapturesTcpPort,
  serviceentryWithoutAddressesHijacksHttps,
  destinationruleSubsetMatchesNoPod,
  permissiveMtlsStallsPlaintextServerFirstClient,
  registryOnlySendsUnknownHostsToBlackhole,
  unprefixedPortSniffingStallsServerFirstMysql,
];

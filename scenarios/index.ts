/**
 * The registry: every scenario, explicitly. A folder under scenarios/ that is not imported here
 * fails `casebook validate` (harness/load), as does an id that is not its folder's name.
 */
import type { ScenarioDefinition } from '../harness/index.ts';
import destinationruleWithoutTlsOverridesMeshMtls from './destinationrule-without-tls-overrides-mesh-mtls/scenario.ts';

export const scenarios: readonly ScenarioDefinition[] = [
  destinationruleWithoutTlsOverridesMeshMtls,
];

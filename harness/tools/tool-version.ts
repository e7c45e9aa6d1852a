import type { CommandRunner } from './command-runner.ts';
import type { ToolName } from './platform.ts';
import { bareVersion } from './release-asset.ts';

/**
 * The version a binary reports, or undefined when it cannot say.
 *   kind version              -> "kind v0.32.0 go1.24.0 linux/amd64"
 *     (kubernetes-sigs/kind pkg/cmd/kind/version/version.go DisplayVersion)
 *   istioctl version --remote=false -> "client version: 1.30.3"
 *     (istio/istio pkg/version/cobra.go; istioctl forces --short and --remote to true by default in
 *     istioctl/pkg/version/version.go, so --remote=false keeps it off the cluster)
 */
export async function reportedVersion(name: ToolName, binary: string, runner: CommandRunner): Promise<string | undefined> {
  const args = name === 'kind' ? ['version'] : ['version', '--remote=false'];
  let out: string;
  try {
    const result = await runner(binary, args, { timeoutMs: 30_000 });
    if (result.exitCode !== 0) return undefined;
    out = result.stdout;
  } catch {
    return undefined;
  }
  return parseReportedVersion(name, out);
}

export function parseReportedVersion(name: ToolName, output: string): string | undefined {
  const match = name === 'kind' ? /^kind v?(\S+)/m.exec(output) : /^client version: (\S+)/m.exec(output);
  return match?.[1] === undefined ? undefined : bareVersion(match[1]);
}

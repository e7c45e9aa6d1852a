import { existsSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { DEFAULT_HOST_PORTS } from '../../cluster/kind-config.ts';
import { DEFAULT_ISTIO_VERSIONS, KIND_VERSION } from '../../tools/versions.ts';
import { line, type CliIo } from '../cli-io.ts';
import type { ToolLookup } from '../preflight/find-tool.ts';

export type Finding = { ok: boolean; what: string; detail: string; fix?: string };
type DoctorOptions = { cluster: 'kind' | 'existing'; kubeconfig?: string; istio?: string; level?: 'runtime' | 'config' };

/**
 * `casebook doctor`: what a run needs on this machine, each with the command that fixes it.
 * Exit 0 when everything is there, 2 otherwise. Looks only: it downloads and starts nothing.
 */
export function registerDoctorCommand(program: Command, io: CliIo): Command {
  return program
    .command('doctor')
    .description('check Docker, kind, istioctl, kubeconfig and free ingress ports; say what is missing and how to fix it')
    .addOption(new Option('--cluster <provider>', 'the cluster the run will use').choices(['kind', 'existing']).default('kind'))
    .option('--kubeconfig <file>', 'kubeconfig for --cluster existing (default $KUBECONFIG or ~/.kube/config)')
    .option('--istio <versions>', `Istio versions whose istioctl must be there (default ${DEFAULT_ISTIO_VERSIONS.join(',')})`)
    .addOption(
      new Option('--level <level>', 'what the run will be: runtime (Docker, kind, istioctl) or config (Go and the Go module proxy)')
        .choices(['runtime', 'config'])
        .default('runtime'),
    )
    .action(async (opts: DoctorOptions) => {
      const findings =
        opts.level === 'config'
          ? await (await import('../preflight/config-level-doctor.ts')).diagnoseConfigLevel(io.env)
          : await diagnose(opts, io.env);
      for (const f of findings) {
        line(io, `${f.ok ? '✓' : '✗'} ${f.what}: ${f.detail}`);
        if (!f.ok && f.fix) line(io, `    fix: ${f.fix}`);
      }
      const missing = findings.filter((f) => !f.ok);
      line(io, missing.length === 0 ? 'all prerequisites are there' : `${missing.length} prerequisite(s) missing`);
      io.setExitCode(missing.length === 0 ? 0 : 2);
    });
}

export async function diagnose(opts: DoctorOptions, env: NodeJS.ProcessEnv): Promise<Finding[]> {
  const [{ parseIstioVersions }, { pingDocker }, { findTool }, { portFree }, { kubeconfigPath }] = await Promise.all([
    import('../parse-options.ts'),
    import('../../external/docker-ping.ts'),
    import('../preflight/find-tool.ts'),
    import('../preflight/free-port.ts'),
    import('../preflight/kubeconfig-path.ts'),
  ]);
  const versions = parseIstioVersions(opts.istio);
  const findings: Finding[] = [];
  const docker = await pingDocker(env);
  findings.push(
    docker.ok
      ? { ok: true, what: 'Docker', detail: `reachable at ${docker.endpoint.label}` }
      : {
          ok: false,
          what: 'Docker',
          detail: `not reachable at ${docker.endpoint.label} (${docker.reason})`,
          fix: 'start Docker (e.g. `sudo systemctl start docker`), or point DOCKER_HOST at a running engine; without Docker use --cluster existing',
        },
  );

  if (opts.cluster === 'kind') findings.push(toolFinding('kind', KIND_VERSION, await findTool('kind', KIND_VERSION, { env })));
  for (const v of versions) findings.push(toolFinding('istioctl', v, await findTool('istioctl', v, { env })));

  const kc = kubeconfigPath(opts.kubeconfig, env);
  if (opts.cluster === 'existing') {
    findings.push(
      existsSync(kc.path)
        ? { ok: true, what: 'kubeconfig', detail: `${kc.path} (${kc.from})` }
        : {
            ok: false,
            what: 'kubeconfig',
            detail: `${kc.path} (${kc.from}) does not exist`,
            fix: 'pass --kubeconfig <file>, or set KUBECONFIG',
          },
    );
  } else {
    findings.push({ ok: true, what: 'kubeconfig', detail: 'not needed: kind runs write their own into the run folder' });
    for (const [name, port] of Object.entries(DEFAULT_HOST_PORTS)) {
      const free = await portFree(port);
      findings.push(
        free.free
          ? { ok: true, what: `port ${port}`, detail: `free on 127.0.0.1 (ingress ${name})` }
          : {
              ok: false,
              what: `port ${port}`,
              detail: `in use on 127.0.0.1 (${free.code}); kind maps the ingress ${name} port there`,
              fix: `find the owner with \`ss -ltnp 'sport = :${port}'\`; if it is a casebook cluster left by --keep, \`npx casebook clean\` removes it`,
            },
      );
    }
  }
  return findings;
}

function toolFinding(name: 'kind' | 'istioctl', version: string, found: ToolLookup): Finding {
  const what = `${name} ${version}`;
  if (found.found) return { ok: true, what, detail: `${found.path} (${found.source === 'path' ? 'on PATH' : 'cache'})` };
  const onPath = found.onPath ? `; ${found.onPath.path} on PATH is ${found.onPath.version ?? 'of unknown version'}` : '';
  return {
    ok: false,
    what,
    detail: `not on PATH, not in the cache (${found.cachePath})${onPath}`,
    fix: `npx casebook setup${name === 'istioctl' ? ` --istio ${version}` : ''}   (downloads it and checks its published sha256; \`casebook run\` also does this itself when online)`,
  };
}

import { execa } from 'execa';
import { findGo } from '../../config-level/go-helper.ts';
import { readReleases } from '../../config-level/releases.ts';
import { casebookRoot } from '../../load/casebook-root.ts';
import type { Finding } from '../commands/doctor.ts';

/**
 * What `--level config` needs: Go 1.26 or newer, and (for the first build of each Istio build) a
 * Go module proxy that serves istio.io/istio at the recorded commits. Asks the proxy for one small
 * .info file per build; downloads no code.
 */
export async function diagnoseConfigLevel(env: NodeJS.ProcessEnv): Promise<Finding[]> {
  const findings: Finding[] = [];
  let go: string;
  try {
    go = await findGo(env);
  } catch (e) {
    findings.push({
      ok: false,
      what: 'Go',
      detail: (e as Error).message,
      fix: 'install Go 1.26 or newer (https://go.dev/dl/) and put its bin/ on PATH',
    });
    return findings;
  }
  const { stdout: version } = await execa(go, ['env', 'GOVERSION'], { env, reject: false });
  const minor = Number(/go1\.(\d+)/.exec(version)?.[1] ?? 0);
  findings.push(
    minor >= 26
      ? { ok: true, what: 'Go', detail: `${version.trim()} at ${go}` }
      : {
          ok: false,
          what: 'Go',
          detail: `${version.trim() || 'unknown version'} at ${go}; istio.io/istio needs Go 1.26 or newer`,
          fix: 'install Go 1.26 or newer (https://go.dev/dl/)',
        },
  );
  const { stdout: proxyList } = await execa(go, ['env', 'GOPROXY'], { env, reject: false });
  const proxy = proxyList
    .split(/[,|]/)
    .map((p) => p.trim())
    .find((p) => p.startsWith('http'));
  const record = readReleases(casebookRoot(env));
  for (const b of record.builds) {
    if (!proxy) {
      findings.push({
        ok: false,
        what: `module proxy for ${b.label}`,
        detail: `GOPROXY is ${proxyList.trim() || 'empty'}: no proxy to fetch istio.io/istio from`,
        fix: 'set GOPROXY (default https://proxy.golang.org,direct)',
      });
      continue;
    }
    const url = `${proxy.replace(/\/$/, '')}/istio.io/istio/@v/${b.version}.info`;
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(10_000), redirect: 'error' });
      findings.push(
        res.ok
          ? { ok: true, what: `module proxy for ${b.label}`, detail: `${proxy} serves istio.io/istio ${b.version}` }
          : {
              ok: false,
              what: `module proxy for ${b.label}`,
              detail: `${url} answered ${res.status}`,
              fix: 'point GOPROXY at a proxy that serves istio.io/istio, or use a machine whose Go module cache already holds it',
            },
      );
    } catch (e) {
      findings.push({
        ok: false,
        what: `module proxy for ${b.label}`,
        detail: `${url}: ${(e as Error).message}`,
        fix: 'check the network and GOPROXY; once a build is cached (`npx casebook setup --level config`) no proxy is needed',
      });
    }
  }
  return findings;
}

import { readFileSync } from 'node:fs';

/** A captured exec of a probe script (see fixtures/README.md). */
export type ProbeFixture = {
  context: { web: string; hole: string; expectedServerVersion: string; curlVersion: string; opensslVersion: string };
  spec: Record<string, unknown>;
  exitCode: number;
  stdout: string;
  stderr: string;
};

export function probeFixture(name: string): ProbeFixture {
  return JSON.parse(readFileSync(new URL(`../fixtures/${name}.json`, import.meta.url), 'utf8')) as ProbeFixture;
}

import { ImageName, type ContainerRuntimeClient } from 'testcontainers';

export type CleanupMode =
  /** testcontainers' Ryuk sidecar removes our containers even if this process dies. */
  | 'ryuk'
  /** Ryuk is off or unavailable: `stop()` removes by label; `casebook clean` catches crashes. */
  | 'own';

export const RYUK_DISABLED_ENV = 'TESTCONTAINERS_RYUK_DISABLED';
const DEFAULT_RYUK_IMAGE = 'testcontainers/ryuk:0.14.0';

export type CleanupDecision = { mode: CleanupMode; reason: string };

/**
 * Decide between Ryuk and our own cleanup before the first container starts: testcontainers
 * starts Ryuk lazily with the first container and, if its image cannot be pulled, that first
 * start fails. Disabling it is done through the environment because testcontainers reads
 * TESTCONTAINERS_RYUK_DISABLED when it creates its reaper (once per process).
 */
export async function chooseCleanupMode(
  client: Pick<ContainerRuntimeClient, 'image'>,
  opts: { offline: boolean; env?: NodeJS.ProcessEnv },
): Promise<CleanupDecision> {
  const env = opts.env ?? process.env;
  if (env[RYUK_DISABLED_ENV] === 'true') return { mode: 'own', reason: `${RYUK_DISABLED_ENV}=true` };
  const ryuk = ImageName.fromString(env.RYUK_CONTAINER_IMAGE || DEFAULT_RYUK_IMAGE);
  if (await client.image.exists(ryuk)) return { mode: 'ryuk', reason: `${ryuk.string} present` };
  if (!opts.offline) {
    try {
      await client.image.pull(ryuk, { force: false, platform: undefined });
      return { mode: 'ryuk', reason: `${ryuk.string} pulled` };
    } catch {
      // Unpullable: fall through to our own cleanup rather than fail the run.
    }
  }
  env[RYUK_DISABLED_ENV] = 'true';
  return { mode: 'own', reason: `${ryuk.string} unavailable${opts.offline ? ' (offline images)' : ''}: Ryuk disabled, cleanup by label` };
}

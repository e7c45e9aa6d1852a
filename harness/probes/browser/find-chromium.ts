import { existsSync } from 'node:fs';
import { PrerequisiteError } from '../../model/errors.ts';

export type ChromiumChoice = { executablePath: string; source: 'CASEBOOK_CHROMIUM' | 'system' | 'playwright' };

export const SYSTEM_CHROMIUM_PATHS = ['/usr/bin/chromium', '/usr/bin/chromium-browser'] as const;

/**
 * Which Chromium to drive: $CASEBOOK_CHROMIUM, else the distribution's package (Debian's
 * `chromium`), else the browser Playwright downloaded. We never download one ourselves: the lab
 * and CI run without internet.
 */
export function findChromium(
  opts: {
    env?: Record<string, string | undefined>;
    playwrightPath?: string;
    exists?: (path: string) => boolean;
  } = {},
): ChromiumChoice {
  const env = opts.env ?? process.env;
  const exists = opts.exists ?? existsSync;
  const fromEnv = env['CASEBOOK_CHROMIUM'];
  if (fromEnv) {
    if (!exists(fromEnv)) {
      throw new PrerequisiteError(
        `CASEBOOK_CHROMIUM points at ${fromEnv}, which does not exist`,
        'set CASEBOOK_CHROMIUM to a Chromium binary, or unset it to use /usr/bin/chromium',
      );
    }
    return { executablePath: fromEnv, source: 'CASEBOOK_CHROMIUM' };
  }
  const system = SYSTEM_CHROMIUM_PATHS.find((p) => exists(p));
  if (system) return { executablePath: system, source: 'system' };
  if (opts.playwrightPath && exists(opts.playwrightPath)) return { executablePath: opts.playwrightPath, source: 'playwright' };
  throw new PrerequisiteError(
    'no Chromium found for the browser probe',
    'install one: `sudo apt-get install chromium` (Debian/Ubuntu), or set CASEBOOK_CHROMIUM to a Chromium binary, ' +
      'or `npx playwright install chromium` on a machine with internet access',
  );
}

import { PrerequisiteError } from '../model/errors.ts';

/** The tools the casebook pins and downloads. */
export type ToolName = 'kind' | 'istioctl';
export type Platform = { os: 'linux' | 'darwin'; arch: 'amd64' | 'arm64' };

/** This machine, in the names release assets use (amd64/arm64, linux/darwin). */
export function hostPlatform(platform: string = process.platform, arch: string = process.arch): Platform {
  const os = platform === 'linux' || platform === 'darwin' ? platform : undefined;
  const cpu = arch === 'x64' ? 'amd64' : arch === 'arm64' ? 'arm64' : undefined;
  if (!os || !cpu) {
    throw new PrerequisiteError(
      `no kind/istioctl release is downloaded for ${platform}/${arch}`,
      'put kind and istioctl of the wanted versions on PATH, or run on linux/darwin with amd64/arm64',
    );
  }
  return { os, arch: cpu };
}

import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { parse } from 'yaml';
import { PrerequisiteError } from '../model/errors.ts';

/** manifests/mesh/ of this repository. */
export const MESH_PROFILE_DIR = fileURLToPath(new URL('../../manifests/mesh/', import.meta.url));

/** The parsed IstioOperator of a named mesh profile (manifests/mesh/<profile>.yaml). */
export async function loadMeshProfile(profile: string, dir: string = MESH_PROFILE_DIR): Promise<Record<string, unknown>> {
  if (!/^[a-z0-9][-a-z0-9]*$/.test(profile)) {
    throw new PrerequisiteError(`mesh profile "${profile}" is not a file name`, 'use the name of a file in manifests/mesh/ without .yaml');
  }
  const file = join(dir, `${profile}.yaml`);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new PrerequisiteError(
      `mesh profile ${file} cannot be read: ${(err as Error).message}`,
      "add the profile under manifests/mesh/, or fix the scenario's mesh.profile",
      { cause: err },
    );
  }
  const doc: unknown = parse(text);
  if (typeof doc !== 'object' || doc === null || (doc as Record<string, unknown>)['kind'] !== 'IstioOperator') {
    throw new PrerequisiteError(
      `mesh profile ${file} is not an IstioOperator`,
      'start it with apiVersion: install.istio.io/v1alpha1, kind: IstioOperator',
    );
  }
  return doc as Record<string, unknown>;
}

/**
 * The lab image: built from Debian packages when missing, with every program the probes and the
 * lab servers run; the Debian mirror is read from apt's own sources.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { debianMirrorIn, ensureToolboxImage, TOOLBOX_IMAGE, TOOLBOX_PACKAGES } from './ensure-toolbox.ts';
import { createLab, labSkip, type Lab } from '../support/lab-docker.ts';

const skip = await labSkip();
let lab: Lab | undefined;

after(async () => {
  await lab?.dispose();
  if (lab) assert.deepEqual(await lab.leftovers(), { containers: 0, networks: 0 });
});

test('the mirror comes from one-line or deb822 apt sources, never the security archive', () => {
  assert.equal(
    debianMirrorIn(
      'deb http://ftp.de.debian.org/debian bookworm main\ndeb http://security.debian.org/debian-security bookworm-security main\n',
    ),
    'http://ftp.de.debian.org/debian',
  );
  assert.equal(
    debianMirrorIn('deb [arch=amd64 signed-by=/k.gpg] http://mirror.example/debian/ bookworm main'),
    'http://mirror.example/debian',
  );
  assert.equal(
    debianMirrorIn(
      [
        'Types: deb',
        'URIs: http://deb.debian.org/debian-security',
        'Suites: bookworm-security',
        'Components: main',
        '',
        'Types: deb',
        'URIs: http://deb.debian.org/debian',
        'Suites: bookworm bookworm-updates',
        'Components: main',
      ].join('\n'),
    ),
    'http://deb.debian.org/debian',
  );
  assert.equal(debianMirrorIn('deb https://packages.cloud.google.com/apt cloud-sdk-bookworm main'), undefined);
});

test('the toolbox image exists (built if missing) and holds every package and program', { skip }, async () => {
  lab = await createLab('toolbox', { network: false });
  assert.equal(await ensureToolboxImage({ log: () => {} }), false, 'a second ensure builds nothing');
  await lab.start('toolbox');
  const script = `dpkg-query -W -f='\${Package} \${Status}\\n' ${TOOLBOX_PACKAGES.join(' ')}; for p in curl nc telnet openssl nginx mariadbd python3 ip ss timeout od mktemp; do command -v $p >/dev/null || echo "missing $p"; done`;
  const r = await lab.exec('toolbox', ['sh', '-c', script]);
  assert.equal(r.exitCode, 0, r.stderr);
  const lines = r.stdout.split('\n');
  for (const p of TOOLBOX_PACKAGES) assert.ok(lines.includes(`${p} install ok installed`), `${p} installed in ${TOOLBOX_IMAGE}`);
  assert.deepEqual(
    lines.filter((l) => l.startsWith('missing')),
    [],
  );
  assert.match((await lab.exec('toolbox', ['python3', '-c', 'import flask; print(flask.__name__)'])).stdout, /^flask$/);
});

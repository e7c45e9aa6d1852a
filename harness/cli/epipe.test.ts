import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { makeTempRoot, REPO } from './testing/temp-root.ts';

let root: string;
let dispose: () => void;
before(() => ({ root, dispose } = makeTempRoot()));
after(() => dispose());

test('a reader that closes the pipe early (`casebook list | head -1`) ends casebook quietly: exit 0, no EPIPE stack trace', async () => {
  for (const args of [['list'], ['plan', '--all', '--json']]) {
    const child = spawn(process.execPath, [join(REPO, 'bin', 'casebook.mjs'), ...args], {
      cwd: REPO,
      env: { ...process.env, CASEBOOK_ROOT: root },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // Close our end before casebook has written anything (its start-up takes far longer than this).
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const code = await new Promise<number | null>((r) => child.on('close', (c) => r(c)));
    assert.equal(stderr, '', args.join(' '));
    assert.equal(code, 0, `${args.join(' ')}: ${stderr}`);
  }
});

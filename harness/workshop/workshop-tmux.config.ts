/**
 * `casebook workshop` driven through a real terminal (tmux, on a private socket): the symptom, a
 * wrong fix rejected with its reason, a hint, one of the write-up's three fixes accepted, and the
 * summary JSON, at config level (Istio's own code; needs Go and tmux). `npm run test:config`.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { execa } from 'execa';
import { casebookRoot } from '../load/casebook-root.ts';
import { poll } from '../model/poll.ts';

const root = casebookRoot();
const SE = 'serviceentry-in-other-namespace-captures-tcp-port';
const MANIFESTS = join(root, 'manifests/scenarios', SE);

test(
  'workshop in tmux: symptom, a wrong fix rejected with its reason, a hint, the Sidecar fix accepted, the summary JSON',
  { timeout: 300_000 },
  async (t) => {
    const tmux = await execa('tmux', ['-V'], { reject: false });
    if (tmux.exitCode !== 0) {
      t.skip('tmux is not installed (apt-get install -y tmux; ci/install-lab-prereqs.sh installs it)');
      return;
    }
    const tmp = mkdtempSync(join(tmpdir(), 'casebook-workshop-'));
    const ws = join(tmp, 'ws');
    const socket = `casebook-test-${process.pid}`;
    const tm = (...args: string[]) => execa('tmux', ['-L', socket, ...args], { env: { ...process.env, TMUX: '' } });
    const screen = async () => (await tm('capture-pane', '-p', '-J', '-S', '-3000', '-t', 'w')).stdout;
    // Each step waits for a line only that step prints (the screen scrolls, so no offsets).
    const waitFor = async (re: RegExp, ms = 120_000): Promise<string> => {
      let text = '';
      await poll(async () => re.test((text = await screen())), {
        what: `${re} on the workshop screen`,
        timeoutMs: ms,
        intervalMs: 250,
        onTimeout: () => new assert.AssertionError({ message: `the workshop screen never showed ${re}; it shows:\n${text.slice(-3000)}` }),
      });
      return text;
    };
    const send = async (keys: string) => {
      await tm('send-keys', '-t', 'w', '-l', keys);
      await tm('send-keys', '-t', 'w', 'Enter');
    };
    try {
      const cmd = `${process.execPath} ${join(root, 'harness/cli/main.ts')} workshop ${SE} --workspace ${ws}; echo "EXITED $?"; sleep 60`;
      await tm('new-session', '-d', '-s', 'w', '-x', '220', '-y', '50', cmd);
      let text = await waitFor(/workshop> /);
      assert.match(text, /THE SYMPTOM\n\s+From a meshed pod, `telnet <outside MySQL IP> 3306` connects and is closed at once/);
      assert.match(text, /No cluster is used here/);
      assert.match(text, /external: FAILS/);
      assert.doesNotMatch(text, /cause:/, 'the cause is not told up front');

      // A wrong fix: the Sidecar, but the other team's entry deleted.
      unlinkSync(join(ws, 'serviceentry.yaml'));
      copyFileSync(join(MANIFESTS, 'fixed-sidecar-scope/sidecar.yaml'), join(ws, 'sidecar.yaml'));
      await send('k');
      text = await waitFor(/not yet: edit the workspace/);
      assert.match(text, /REJECTED/);
      assert.match(text, /✗ control listeners:curl-dns-capture: the entry belongs to namespace demo: its own clients/);
      assert.match(text, /✗ control ServiceEntry in demo: another team's ServiceEntries are not yours to delete/);

      await send('h');
      text = await waitFor(/hint 1\/3: .+/);

      // The write-up's first fix: the entry back as it was, the Sidecar in demo1.
      copyFileSync(join(MANIFESTS, 'broken/serviceentry.yaml'), join(ws, 'serviceentry.yaml'));
      await send('check');
      text = await waitFor(/ACCEPTED\. /);
      assert.match(text, /ACCEPTED: serviceentry-in-other-namespace-captures-tcp-port/);

      await send('q');
      text = await waitFor(/EXITED \d+/);
      assert.match(text, /EXITED 0/);
      const line = /WORKSHOP-SUMMARY (\{.*\})/.exec(text)?.[1];
      assert.ok(line, `no summary line in:\n${text}`);
      const summary = JSON.parse(line) as Record<string, unknown>;
      assert.equal(summary['scenario'], SE);
      assert.equal(summary['hintsUsed'], 1);
      assert.equal(summary['tries'], 2);
      assert.equal(summary['verdict'], 'accepted');
      assert.deepEqual(JSON.parse(readFileSync(join(ws, 'summary.json'), 'utf8')), summary);
    } finally {
      await execa('tmux', ['-L', socket, 'kill-server'], { reject: false });
      rmSync(tmp, { recursive: true, force: true });
    }
  },
);

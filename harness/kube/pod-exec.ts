import { Exec, type KubeConfig, type V1Status } from '@kubernetes/client-node';
import { Writable } from 'node:stream';
import { InfrastructureError } from '../model/errors.ts';

export type PodContainer = { namespace: string; pod: string; container: string };
export type PodExecOutcome = { status: V1Status; stdout: string; stderr: string };

function collect(): { stream: Writable; text: () => string } {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _enc, cb) {
      chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
      cb();
    },
  });
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

/**
 * Runs argv in a container over the API server's exec websocket and waits for the status frame.
 * client-node's Exec.exec resolves when the socket OPENS, not when the command ends
 * (kubernetes-client/javascript#1520), so the end is the socket's close after the status frame.
 * stdin is null and tty false: with either, the status is unreliable (#714, #465).
 * Closing the socket at the deadline does not stop the remote process (#2532): callers wrap the
 * command in `timeout N` so it also ends inside the pod.
 */
export function execInPod(
  kc: KubeConfig,
  target: PodContainer,
  command: readonly string[],
  opts: { deadlineMs: number },
): Promise<PodExecOutcome> {
  const out = collect();
  const err = collect();
  const where = `${target.namespace}/${target.pod} container ${target.container}`;
  return new Promise<PodExecOutcome>((resolve, reject) => {
    let socket: { close(): void; on(event: 'close', fn: () => void): unknown } | undefined;
    let settled = false;
    const finish = (f: () => void) => {
      if (!settled) {
        settled = true;
        clearTimeout(timer);
        f();
      }
    };
    const timer = setTimeout(
      () =>
        finish(() => {
          socket?.close();
          reject(
            new InfrastructureError(
              `exec in ${where} gave no result within ${Math.round(opts.deadlineMs / 1000)}s: ${command.join(' ')}`,
              'the API server or kubelet may be overloaded; retry, or check `kubectl get pods` for the pod',
            ),
          );
        }),
      opts.deadlineMs,
    );
    // Frames arrive in order, so all output precedes the status frame: the result is complete
    // when the status arrives, without waiting for the websocket's closing handshake.
    new Exec(kc)
      .exec(target.namespace, target.pod, target.container, [...command], out.stream, err.stream, null, false, (status) =>
        finish(() => resolve({ status, stdout: out.text(), stderr: err.text() })),
      )
      .then(
        (ws) => {
          socket = ws;
          ws.on('close', () =>
            finish(() => {
              reject(
                new InfrastructureError(
                  `exec in ${where} ended without a status frame: ${command.join(' ')}${err.text() ? `; stderr: ${err.text().slice(0, 500)}` : ''}`,
                  'the connection to the API server dropped; retry',
                ),
              );
            }),
          );
        },
        (e: unknown) =>
          finish(() => {
            const detail = e instanceof Error ? e.message : ((e as { message?: string })?.message ?? String(e));
            reject(
              new InfrastructureError(
                `exec in ${where} could not connect: ${detail}`,
                'check that the pod exists and the kubeconfig user may exec (pods/exec)',
                { cause: e },
              ),
            );
          }),
      );
  });
}

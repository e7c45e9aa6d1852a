/**
 * The Playwright runner started by `casebook run` watches its parent. If casebook dies without
 * passing a signal on (SIGKILL, an OOM kill), the runner would go on alone with nobody reading its
 * output; instead it interrupts itself with SIGINT, Playwright's own graceful stop, so the
 * teardown and the reports still happen.
 */
export function watchParent(o: { parentPid: number; ppid: () => number; interrupt: () => void; everyMs?: number }): () => void {
  const timer = setInterval(() => {
    if (o.ppid() === o.parentPid) return;
    clearInterval(timer);
    o.interrupt();
  }, o.everyMs ?? 1000);
  // Never keeps the runner alive by itself.
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * Starts the watch in the runner only: CASEBOOK_PARENT_PID is casebook's pid, and only the runner
 * is its direct child (workers are the runner's children, and they end with it).
 */
export function watchCasebookParent(env: NodeJS.ProcessEnv = process.env): void {
  const parentPid = Number(env['CASEBOOK_PARENT_PID']);
  if (!Number.isInteger(parentPid) || parentPid <= 0 || process.ppid !== parentPid) return;
  watchParent({ parentPid, ppid: () => process.ppid, interrupt: () => process.kill(process.pid, 'SIGINT') });
}

// Clean-up that outlives the test process. Bun's test runner emits no process "exit" event, so a
// server or a directory left behind by a crashed or killed run is removed by a small shell instead.

/**
 * Starts a shell that waits while this process (and, if given, `serverPid`) lives, then kills
 * `serverPid` if it is still running and removes `dir`. It ends by itself as soon as the server
 * has been stopped normally.
 */
export function watchdog(dir: string, serverPid?: number): void {
  const alive = serverPid === undefined ? `kill -0 ${process.pid}` : `kill -0 ${process.pid} && kill -0 ${serverPid}`;
  const script = `while ${alive} 2>/dev/null; do sleep 0.5; done; ${serverPid === undefined ? "" : `kill -9 ${serverPid} 2>/dev/null; `}rm -rf '${dir}'`;
  Bun.spawn(["sh", "-c", script], { stdin: "ignore", stdout: "ignore", stderr: "ignore" }).unref();
}

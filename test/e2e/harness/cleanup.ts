// Kills what the harness started when the test process ends, even on Ctrl-C.
import { rmSync } from 'node:fs';

/** Something to undo synchronously at process exit (kill a process group, remove a dir). */
type SyncCleanup = () => void;

const pending = new Set<SyncCleanup>();
let hooked = false;

// Last registered first, like `defer`: kill a process before removing the folder it writes to.
function runAll(): void {
  for (const cleanup of [...pending].reverse()) {
    pending.delete(cleanup);
    try {
      cleanup();
    } catch {
      // best effort at exit
    }
  }
}

function hookProcess(): void {
  if (hooked) return;
  hooked = true;
  process.once('exit', runAll);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      runAll();
      process.exit(signal === 'SIGINT' ? 130 : 143);
    });
  }
}

/** Registers a cleanup to run at exit; returns a function that unregisters it. */
export function onExit(cleanup: SyncCleanup): () => void {
  hookProcess();
  pending.add(cleanup);
  return () => pending.delete(cleanup);
}

/** Sends a signal to a whole process group; false if it is already gone. */
export function killGroup(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

/** True while any process of the group is alive. */
export function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Removes a directory tree, ignoring errors. */
export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
}

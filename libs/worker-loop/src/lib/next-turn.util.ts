/**
 * Resolves after the current turn of the event loop (its I/O included). The worker loop starts
 * a job this way, a turn after taking it; a job source that wants its own work to go after that
 * start waits one turn more.
 */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

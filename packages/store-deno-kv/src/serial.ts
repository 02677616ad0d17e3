/**
 * One write at a time in this process, and retries while the database is busy. A local KV file shared by
 * processes is SQLite, which takes one writer at a time and answers "database is locked" to the others:
 * concurrent refreshes of one process would mostly collide with each other. Queued here, each process has one
 * writer, and a busy answer (or a commit that lost its race) is retried with jitter until a deadline.
 */
export interface Writer {
  /**
   * Runs `attempt` (a read and a commit) in this process's queue until it answers something other than
   * undefined (undefined: the commit lost its race); a thrown error is retried too. At the deadline (`forMs`
   * after the call, queueing included) it stops: it throws the last error, or answers `contended()` when every
   * attempt lost its race. No attempt starts after the deadline, so a caller that gave up on the call at its own
   * time limit is not followed by a late write (a lock taken for nobody).
   */
  run<T>(attempt: () => Promise<T | undefined>, contended: () => T): Promise<T>;
}

export function createWriter(
  forMs: number,
  random: () => number,
  clock: () => number = () => performance.now(),
): Writer {
  let tail: Promise<unknown> = Promise.resolve();
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  async function retrying<T>(attempt: () => Promise<T | undefined>, contended: () => T, deadline: number): Promise<T> {
    let failure: { error: unknown } = {
      error: new Error("Deno KV: the store's write queue was too long; nothing was written"),
    };
    let raced = false;
    for (let tries = 0; clock() < deadline; tries++) {
      try {
        const answer = await attempt();
        if (answer !== undefined) return answer;
        raced = true;
      } catch (error) {
        (failure = { error }), (raced = false);
      }
      // Jittered, growing to 20 ms, so processes that collided do not collide again at once.
      await sleep(1 + Math.floor(random() * Math.min(20, 2 ** tries)));
    }
    if (raced) return contended();
    throw failure.error;
  }

  return {
    run(attempt, contended) {
      const deadline = clock() + forMs;
      const run = tail.then(
        () => retrying(attempt, contended, deadline),
        () => retrying(attempt, contended, deadline),
      );
      tail = run.catch(() => undefined);
      return run;
    },
  };
}

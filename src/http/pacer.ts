/** Requests-per-second limit of one target: each request waits for its slot (politeness towards real targets). */

/** Hands out send slots at most `perSecond` per second, in arrival order. */
export class RequestPacer {
  readonly #intervalMs: number;
  #next = 0;

  /** `perSecond` 0 or less: no limit. */
  constructor(
    perSecond: number,
    private readonly clock: () => number = () => performance.now(),
  ) {
    this.#intervalMs = perSecond > 0 ? 1000 / perSecond : 0;
  }

  /** Resolves when this request may be sent; rejects with the signal's reason when aborted while waiting. */
  async wait(signal?: AbortSignal): Promise<void> {
    if (this.#intervalMs === 0) return;
    const now = this.clock();
    const slot = Math.max(now, this.#next);
    this.#next = slot + this.#intervalMs;
    const delay = slot - now;
    if (delay <= 0) return;
    await sleep(delay, signal);
  }
}

/** Waits `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

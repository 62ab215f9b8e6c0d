/** Queries waiting for a projection to reach a position (read-your-writes), each bounded in time. */
export class PositionWaiters {
  private readonly waiting = new Set<{
    readonly name: string;
    readonly position: bigint;
    readonly satisfied: () => void;
    readonly released: () => void;
  }>();

  /** Resolves true once `settle` finds `name` at `position` or beyond, false after `timeoutMs`. */
  wait(name: string, position: bigint, timeoutMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      const waiter = {
        name,
        position,
        satisfied: () => {
          clearTimeout(timer);
          resolve(true);
        },
        released: () => {
          clearTimeout(timer);
          resolve(false);
        },
      };
      const timer = setTimeout(() => {
        this.waiting.delete(waiter);
        resolve(false);
      }, timeoutMs);
      this.waiting.add(waiter);
    });
  }

  /** On close: every waiter answers false now, and no timer outlives the runner. */
  release(): void {
    for (const waiter of this.waiting) waiter.released();
    this.waiting.clear();
  }

  /** Lets go of every waiter whose projection has now reached its position. */
  settle(reached: (name: string, position: bigint) => boolean): void {
    for (const waiter of this.waiting) {
      if (reached(waiter.name, waiter.position)) {
        this.waiting.delete(waiter);
        waiter.satisfied();
      }
    }
  }
}

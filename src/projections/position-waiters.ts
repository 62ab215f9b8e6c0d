/**
 * How long a query waits for a projection: a number of milliseconds, or as long as the projection
 * keeps moving — it gives up after `stallMs` without its checkpoint moving, or after `ceilingMs` in all.
 */
export type Patience = number | { readonly stallMs: number; readonly ceilingMs: number };

interface Waiter {
  readonly name: string;
  readonly position: bigint;
  /** The checkpoint last seen for `name`: a different one is progress. */
  seen: bigint | undefined;
  stallTimer?: NodeJS.Timeout;
  ceilingTimer?: NodeJS.Timeout;
  stallMs: number;
  readonly answer: (reached: boolean) => void;
}

/** Queries waiting for a projection to reach a position (read-your-writes), each bounded in time. */
export class PositionWaiters {
  private readonly waiting = new Set<Waiter>();

  /**
   * Resolves true once `settle` finds `name` at `position` or beyond; false once `patience` runs out.
   * `checkpoint` is where `name` stands now: the first progress is measured from it.
   */
  wait(name: string, position: bigint, patience: Patience, checkpoint?: bigint): Promise<boolean> {
    const { stallMs, ceilingMs } =
      typeof patience === 'number' ? { stallMs: patience, ceilingMs: patience } : patience;
    return new Promise((resolve) => {
      const waiter: Waiter = {
        name,
        position,
        seen: checkpoint,
        stallMs,
        answer: (reached) => {
          clearTimeout(waiter.stallTimer);
          clearTimeout(waiter.ceilingTimer);
          this.waiting.delete(waiter);
          resolve(reached);
        },
      };
      waiter.ceilingTimer = setTimeout(() => waiter.answer(false), ceilingMs);
      if (stallMs < ceilingMs) this.armStall(waiter);
      this.waiting.add(waiter);
    });
  }

  /** On close: every waiter answers false now, and no timer outlives the runner. */
  release(): void {
    for (const waiter of [...this.waiting]) waiter.answer(false);
  }

  /**
   * Lets go of every waiter whose projection has now reached its position; the others whose
   * projection moved get `stallMs` more (never past their ceiling).
   */
  settle(checkpointOf: (name: string) => bigint | undefined): void {
    for (const waiter of [...this.waiting]) {
      const checkpoint = checkpointOf(waiter.name);
      if (checkpoint !== undefined && checkpoint >= waiter.position) {
        waiter.answer(true);
      } else if (checkpoint !== waiter.seen) {
        waiter.seen = checkpoint;
        if (waiter.stallTimer !== undefined) this.armStall(waiter);
      }
    }
  }

  private armStall(waiter: Waiter): void {
    clearTimeout(waiter.stallTimer);
    waiter.stallTimer = setTimeout(() => waiter.answer(false), waiter.stallMs);
  }
}

import { PositionWaiters } from '../../src/projections/position-waiters';

/** Where each projection stands, as the runner would report it to `settle`. */
const standing = (checkpoints: Record<string, bigint>) => (name: string) => checkpoints[name];

describe('queries waiting for a position', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  const outcome = (promise: Promise<boolean>) => {
    const seen: { value?: boolean } = {};
    void promise.then((value) => (seen.value = value));
    return seen;
  };

  it('keeps waiting past the stall window while the projection moves, and answers true when it arrives', async () => {
    const waiters = new PositionWaiters();
    const reached = outcome(waiters.wait('attendance', 10n, { stallMs: 2_000, ceilingMs: 30_000 }, 1n));
    for (const checkpoint of [3n, 5n, 7n, 9n]) {
      await jest.advanceTimersByTimeAsync(1_500);
      waiters.settle(standing({ attendance: checkpoint }));
    }
    await jest.advanceTimersByTimeAsync(1_500);
    expect(reached.value).toBeUndefined();
    waiters.settle(standing({ attendance: 10n }));
    await jest.advanceTimersByTimeAsync(0);
    expect(reached.value).toBe(true);
  });

  it('answers false once the projection has not moved for the stall window', async () => {
    const waiters = new PositionWaiters();
    const reached = outcome(waiters.wait('attendance', 10n, { stallMs: 2_000, ceilingMs: 30_000 }, 1n));
    await jest.advanceTimersByTimeAsync(1_000);
    waiters.settle(standing({ attendance: 4n }));
    await jest.advanceTimersByTimeAsync(1_000);
    waiters.settle(standing({ attendance: 4n }));
    await jest.advanceTimersByTimeAsync(999);
    expect(reached.value).toBeUndefined();
    await jest.advanceTimersByTimeAsync(1);
    expect(reached.value).toBe(false);
  });

  it('answers false at the ceiling however steadily the projection moves', async () => {
    const waiters = new PositionWaiters();
    const reached = outcome(waiters.wait('attendance', 1_000n, { stallMs: 2_000, ceilingMs: 5_000 }, 0n));
    for (let checkpoint = 1n; checkpoint <= 4n; checkpoint++) {
      await jest.advanceTimersByTimeAsync(1_000);
      waiters.settle(standing({ attendance: checkpoint }));
    }
    await jest.advanceTimersByTimeAsync(999);
    expect(reached.value).toBeUndefined();
    await jest.advanceTimersByTimeAsync(1);
    expect(reached.value).toBe(false);
  });

  it('counts only its own projection moving as progress', async () => {
    const waiters = new PositionWaiters();
    const reached = outcome(waiters.wait('attendance', 10n, { stallMs: 2_000, ceilingMs: 30_000 }, 1n));
    await jest.advanceTimersByTimeAsync(1_500);
    waiters.settle(standing({ attendance: 1n, 'audit-trail': 9n }));
    await jest.advanceTimersByTimeAsync(500);
    expect(reached.value).toBe(false);
  });

  it('waits a fixed time when given a number, progress or not', async () => {
    const waiters = new PositionWaiters();
    const reached = outcome(waiters.wait('attendance', 10n, 2_000, 1n));
    await jest.advanceTimersByTimeAsync(1_500);
    waiters.settle(standing({ attendance: 5n }));
    await jest.advanceTimersByTimeAsync(500);
    expect(reached.value).toBe(false);
  });

  it('answers every waiter false on release and leaves no timer behind', async () => {
    const waiters = new PositionWaiters();
    const first = outcome(waiters.wait('attendance', 10n, { stallMs: 2_000, ceilingMs: 30_000 }));
    const second = outcome(waiters.wait('audit-trail', 3n, 60_000));
    waiters.release();
    await jest.advanceTimersByTimeAsync(0);
    expect([first.value, second.value]).toEqual([false, false]);
    expect(jest.getTimerCount()).toBe(0);
  });
});

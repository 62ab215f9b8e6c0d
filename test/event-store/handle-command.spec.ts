import { Decider } from '../../src/domain/shared/decider';
import { DomainError } from '../../src/domain/shared/domain-error';
import { CommandContext, handleCommand } from '../../src/event-store/handle-command';
import { SqliteEventStore } from '../../src/event-store/sqlite';
import { tempDir, TempDir } from '../support/temp-db';

/** A counter capped at 10: adding past it is refused, adding 0 changes nothing. */
type Added = { readonly type: 'Added'; readonly data: { readonly n: number } };
const counter: Decider<{ readonly n: number }, number, Added> = {
  initialState: () => 0,
  evolve: (total, event) => total + event.data.n,
  decide: ({ n }, total) => {
    if (total + n > 10)
      throw new DomainError('COUNTER.FULL', `${total} + ${n} is over 10`, { total }, 'conflict');
    return n === 0 ? [] : [{ type: 'Added', data: { n } }];
  },
};

const ctx = (key: string, fingerprint: string): CommandContext => ({
  commandId: `idem-${key}`,
  idempotency: { key, requestFingerprint: fingerprint },
  actor: { id: 'cpe-1', role: 'cpe' },
  schoolId: '0670001A',
  now: new Date('2026-09-01T08:05:00.000Z'),
});

describe('handleCommand and a command sent again', () => {
  let dir: TempDir;
  let store: SqliteEventStore;

  beforeEach(() => {
    dir = tempDir('registre-handle-command-');
    store = SqliteEventStore.open({ path: dir.file('events.db') });
  });

  afterEach(async () => {
    await store.close();
    dir.remove();
  });

  const events = async () => (await store.readStream('counter-1')).map((e) => e.data);

  it('answers a resend with the first answer when the decision would now refuse it', async () => {
    await handleCommand(store, 'counter-1', counter, { n: 4 }, ctx('a', 'f-a'));
    const first = await handleCommand(store, 'counter-1', counter, { n: 6 }, ctx('b', 'f-b'));

    // 10 already: adding 6 again would be refused, but it is the same command.
    const again = await handleCommand(store, 'counter-1', counter, { n: 6 }, ctx('b', 'f-b'));

    expect(first).toEqual({
      streamId: 'counter-1',
      events: [{ type: 'Added', data: { n: 6 } }],
      position: 2n,
      revision: 1,
      deduplicated: false,
    });
    expect(again).toEqual({
      streamId: 'counter-1',
      events: [],
      position: 2n,
      revision: 1,
      deduplicated: true,
    });
    expect(await events()).toEqual([{ n: 4 }, { n: 6 }]);
  });

  it('answers a resend whose decision would append again from the append, without looking it up first', async () => {
    await handleCommand(store, 'counter-1', counter, { n: 2 }, ctx('a', 'f-a'));
    const lookups = jest.spyOn(store, 'findCommand');

    const again = await handleCommand(store, 'counter-1', counter, { n: 2 }, ctx('a', 'f-a'));

    expect(again).toEqual({
      streamId: 'counter-1',
      events: [],
      position: 1n,
      revision: 0,
      deduplicated: true,
    });
    expect(lookups).not.toHaveBeenCalled();
    expect(await events()).toEqual([{ n: 2 }]);
  });

  it('decides again a command that wrote nothing: it was never recorded, so it is not a resend', async () => {
    await handleCommand(store, 'counter-1', counter, { n: 3 }, ctx('a', 'f-a'));
    const zero = await handleCommand(store, 'counter-1', counter, { n: 0 }, ctx('z', 'f-z'));
    await handleCommand(store, 'counter-1', counter, { n: 1 }, ctx('c', 'f-c'));

    const again = await handleCommand(store, 'counter-1', counter, { n: 0 }, ctx('z', 'f-z'));

    expect(zero).toEqual({
      streamId: 'counter-1',
      events: [],
      position: 1n,
      revision: 0,
      deduplicated: false,
    });
    // Nothing was recorded for it: it is not a command seen before, and the stream has moved on.
    expect(again).toEqual({
      streamId: 'counter-1',
      events: [],
      position: 2n,
      revision: 1,
      deduplicated: false,
    });
  });

  it('refuses the key sent again with another request, even when the decision refuses too', async () => {
    await handleCommand(store, 'counter-1', counter, { n: 10 }, ctx('a', 'f-a'));

    await expect(
      handleCommand(store, 'counter-1', counter, { n: 5 }, ctx('a', 'f-other')),
    ).rejects.toMatchObject({
      code: 'IDEMPOTENCY.KEY_REUSED',
      idempotencyKey: 'a',
    });
  });

  it('passes on the refusal of a command never seen', async () => {
    await handleCommand(store, 'counter-1', counter, { n: 10 }, ctx('a', 'f-a'));

    await expect(handleCommand(store, 'counter-1', counter, { n: 1 }, ctx('b', 'f-b'))).rejects.toMatchObject(
      {
        code: 'COUNTER.FULL',
      },
    );
    expect(await events()).toEqual([{ n: 10 }]);
  });
});

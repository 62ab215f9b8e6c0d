import { randomUUID } from 'node:crypto';
import { EsdbEventStore } from '../../src/event-store/esdb';
import { eventStoreContract } from './contract';

const url = process.env.REGISTRE_ESDB_URL;

if (url) {
  // One namespace per run keeps a shared server's other events, earlier runs included, out of sight;
  // within the run, tests are kept apart by the suite's unique stream names and its start position.
  const namespace = `registre-test-${randomUUID()}:`;
  eventStoreContract('EsdbEventStore', async () => {
    let store = EsdbEventStore.connect({ url, namespace });
    const others: EsdbEventStore[] = [];
    return {
      store,
      reopen: async () => {
        await store.close();
        store = EsdbEventStore.connect({ url, namespace });
        return store;
      },
      openAnother: async () => {
        const other = EsdbEventStore.connect({ url, namespace });
        others.push(other);
        return other;
      },
      cleanup: async () => {
        for (const other of others) await other.close();
        await store.close();
      },
    };
  });
} else {
  describe('EsdbEventStore contract', () => {
    console.warn(
      'EventStoreDB contract tests SKIPPED: set REGISTRE_ESDB_URL=esdb://host:2113?tls=false to run them',
    );
    it.skip('EventStoreDB contract skipped: REGISTRE_ESDB_URL is not set', () => undefined);
  });
}

import { SqliteEventStore } from '../../src/event-store/sqlite';
import { tempDir } from '../support/temp-db';
import { eventStoreContract } from './contract';

eventStoreContract('SqliteEventStore', async () => {
  const dir = tempDir('registre-es-contract-');
  const path = dir.file('events.db');
  let store = SqliteEventStore.open({ path });
  const others: SqliteEventStore[] = [];
  return {
    store,
    reopen: async () => {
      await store.close();
      store = SqliteEventStore.open({ path });
      return store;
    },
    openAnother: async () => {
      const other = SqliteEventStore.open({ path });
      others.push(other);
      return other;
    },
    cleanup: async () => {
      for (const other of others) await other.close();
      await store.close();
      dir.remove();
    },
  };
});

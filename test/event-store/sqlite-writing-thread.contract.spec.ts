import { SqliteEventStore } from '../../src/event-store/sqlite';
import { tempDir } from '../support/temp-db';
import { TS_WRITING_THREAD } from '../support/writing-thread-script';
import { eventStoreContract } from './contract';

// The same contract with the group commits written on the store's own writing thread, as the service runs it.
eventStoreContract('SqliteEventStore with its writing thread', async () => {
  const dir = tempDir('registre-es-thread-');
  const path = dir.file('events.db');
  const open = () => SqliteEventStore.open({ path, writingThread: TS_WRITING_THREAD });
  let store = open();
  const others: SqliteEventStore[] = [];
  return {
    store,
    reopen: async () => {
      await store.close();
      store = open();
      return store;
    },
    openAnother: async () => {
      const other = open();
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

import { SqliteEventStore } from '../../src/event-store/sqlite';
import { tempDir } from '../support/temp-db';
import { eventStoreContract } from './contract';

eventStoreContract('SqliteEventStore', async () => {
  const dir = tempDir('registre-es-contract-');
  const path = dir.file('events.db');
  let store = SqliteEventStore.open({ path });
  return {
    store,
    reopen: async () => {
      await store.close();
      store = SqliteEventStore.open({ path });
      return store;
    },
    cleanup: async () => {
      await store.close();
      dir.remove();
    },
  };
});

/**
 * A record's own entry for a key a user chose: `record['toString']` on a plain object finds
 * Object.prototype's function, which no rule expects. Every lookup by a client-chosen id goes
 * through this.
 */
export const ownEntry = <V>(record: Readonly<Record<string, V>>, key: string): V | undefined =>
  Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;

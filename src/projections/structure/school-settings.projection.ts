import { SETTINGS_EVENT_TYPES } from '../../domain/settings/settings-events';
import { prepared } from '../prepared';
import { Projection } from '../projection';

export type SchoolSettingsTable = 'changes';

/**
 * Every settings change of every school, kept whole: "the settings in force on D" is then the same
 * pure fold the domain uses (`settingsInForce`), over the few changes of one school.
 */
export const schoolSettingsProjection: Projection<SchoolSettingsTable> = {
  name: 'school-settings',
  version: 1,
  tables: ['changes'],
  handles: SETTINGS_EVENT_TYPES,
  setup(db, t) {
    db.exec(`
      CREATE TABLE "${t.changes}" (
        school_id TEXT NOT NULL, position INTEGER NOT NULL, type TEXT NOT NULL, effective_from TEXT NOT NULL,
        data TEXT NOT NULL, recorded_at TEXT NOT NULL, actor_id TEXT NOT NULL,
        PRIMARY KEY (school_id, position)) STRICT, WITHOUT ROWID;`);
  },
  apply(db, t, events) {
    const insert = prepared(db, `INSERT INTO "${t.changes}" VALUES (?, ?, ?, ?, ?, ?, ?)`);
    for (const event of events) {
      const data = event.data as { schoolId: string; effectiveFrom: string };
      insert.run(
        data.schoolId,
        event.position,
        event.type,
        data.effectiveFrom,
        JSON.stringify(event.data),
        event.metadata.recordedAt,
        event.metadata.actor.id,
      );
    }
  },
};

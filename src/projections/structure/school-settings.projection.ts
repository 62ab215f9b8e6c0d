import type { Database } from 'better-sqlite3';
import { SETTINGS_EVENT_TYPES, SettingsEvent } from '../../domain/settings/settings-events';
import { TIMETABLE_EVENT_TYPES, TimetableEvent } from '../../domain/structure/class-timetables';
import { CALENDAR_EVENT_TYPES, CalendarEvent } from '../../domain/structure/closures';
import { prepared } from '../prepared';
import { defineProjection, Recorded, TableNames } from '../projection';

export type SchoolSettingsTable = 'changes' | 'closures' | 'class_timetables';

/**
 * Every settings change of every school, kept whole: "the settings in force on D" is then the same
 * pure fold the domain uses (`settingsInForce`), over the few changes of one school. Closures sit
 * beside them: with the lessonHalfDays setting they make the school's calendar.
 * The weekly lessons of each class and group sit here too: they are read with the slots and the
 * calendar to know which lessons expect a roll call.
 * v2: closures. v3: class timetables.
 */
export const schoolSettingsProjection = defineProjection<SettingsEvent | CalendarEvent | TimetableEvent>()({
  name: 'school-settings',
  version: 3,
  tables: ['changes', 'closures', 'class_timetables'],
  handles: [...SETTINGS_EVENT_TYPES, ...CALENDAR_EVENT_TYPES, ...TIMETABLE_EVENT_TYPES],
  setup(db, t) {
    db.exec(`
      CREATE TABLE "${t.changes}" (
        school_id TEXT NOT NULL, position INTEGER NOT NULL, type TEXT NOT NULL, effective_from TEXT NOT NULL,
        data TEXT NOT NULL, recorded_at TEXT NOT NULL, actor_id TEXT NOT NULL,
        PRIMARY KEY (school_id, position)) STRICT, WITHOUT ROWID;
      CREATE TABLE "${t.closures}" (
        school_id TEXT NOT NULL, closure_id TEXT NOT NULL, from_date TEXT NOT NULL, to_date TEXT NOT NULL,
        label TEXT NOT NULL, kind TEXT NOT NULL,
        declared_at INTEGER NOT NULL, declared_on TEXT NOT NULL, declared_by TEXT NOT NULL,
        withdrawn_at INTEGER, withdrawn_on TEXT, withdrawn_by TEXT, withdrawal_reason TEXT,
        PRIMARY KEY (school_id, closure_id)) STRICT, WITHOUT ROWID;
      CREATE TABLE "${t.class_timetables}" (
        school_id TEXT NOT NULL, class_id TEXT NOT NULL, kind TEXT NOT NULL, effective_from TEXT NOT NULL,
        lessons TEXT NOT NULL, position INTEGER NOT NULL, recorded_at TEXT NOT NULL, actor_id TEXT NOT NULL,
        PRIMARY KEY (school_id, class_id, effective_from)) STRICT, WITHOUT ROWID;`);
  },
  apply(db, t, events) {
    for (const event of events) {
      if (event.type === 'ClosureDeclared' || event.type === 'ClosureWithdrawn') applyClosure(db, t, event);
      else if (event.type === 'ClassTimetableSet') insertClassTimetable(db, t, event);
      else insertChange(db, t, event);
    }
  },
});

const insertChange = (
  db: Database,
  t: TableNames<SchoolSettingsTable>,
  event: Recorded<SettingsEvent>,
): void => {
  prepared(db, `INSERT INTO "${t.changes}" VALUES (?, ?, ?, ?, ?, ?, ?)`).run(
    event.data.schoolId,
    event.position,
    event.type,
    event.data.effectiveFrom,
    JSON.stringify(event.data),
    event.metadata.recordedAt,
    event.metadata.actor.id,
  );
};

const applyClosure = (
  db: Database,
  t: TableNames<SchoolSettingsTable>,
  event: Recorded<CalendarEvent>,
): void => {
  const { recordedAt, actor } = event.metadata;
  switch (event.type) {
    case 'ClosureDeclared': {
      const { schoolId, closureId, from, to, label, kind } = event.data;
      prepared(
        db,
        `INSERT OR REPLACE INTO "${t.closures}" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, NULL, NULL)`,
      ).run(schoolId, closureId, from, to, label, kind, event.position, recordedAt, actor.id);
      return;
    }
    case 'ClosureWithdrawn': {
      const { schoolId, closureId, reason } = event.data;
      prepared(
        db,
        `UPDATE "${t.closures}" SET withdrawn_at = ?, withdrawn_on = ?, withdrawn_by = ?, withdrawal_reason = ?
         WHERE school_id = ? AND closure_id = ?`,
      ).run(event.position, recordedAt, actor.id, reason, schoolId, closureId);
      return;
    }
    default: {
      const exhaustive: never = event;
      return exhaustive;
    }
  }
};

/** A declaration for a date already declared replaces it: the later one is what the school meant. */
const insertClassTimetable = (
  db: Database,
  t: TableNames<SchoolSettingsTable>,
  event: Recorded<TimetableEvent>,
): void => {
  const { schoolId, classOrGroupId, kind, effectiveFrom, lessons } = event.data;
  prepared(db, `INSERT OR REPLACE INTO "${t.class_timetables}" VALUES (?, ?, ?, ?, ?, ?, ?, ?)`).run(
    schoolId,
    classOrGroupId,
    kind,
    effectiveFrom,
    JSON.stringify(lessons),
    event.position,
    event.metadata.recordedAt,
    event.metadata.actor.id,
  );
};

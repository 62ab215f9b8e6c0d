import type { Database } from 'better-sqlite3';
import { STUDENT_EVENT_TYPES, StudentEvent } from '../../domain/structure/student';
import { ERASURE_EVENT_TYPES, ErasureEvent } from '../../domain/privacy/erasure';
import { pseudonymFor } from '../../domain/privacy/pii-fields';
import { prepared } from '../prepared';
import { defineProjection, Recorded, TableNames } from '../projection';

export type EnrolmentsTable = 'students' | 'class_memberships' | 'group_memberships';

/**
 * Students and their class and group memberships as date intervals `[from, until)`: "who was in
 * 5B on 2026-11-15" is one indexed range query, and a student's history is kept whole. A
 * membership row is keyed by the position of the event that opened it.
 */
export const enrolmentsProjection = defineProjection<StudentEvent | ErasureEvent>()({
  name: 'enrolments',
  version: 1,
  tables: ['students', 'class_memberships', 'group_memberships'],
  handles: [...STUDENT_EVENT_TYPES, ...ERASURE_EVENT_TYPES],
  setup(db, t) {
    db.exec(`
      CREATE TABLE "${t.students}" (
        school_id TEXT NOT NULL, student_id TEXT NOT NULL, ine TEXT, last_name TEXT NOT NULL, first_name TEXT NOT NULL,
        birth_date TEXT, status TEXT NOT NULL, departed_on TEXT,
        PRIMARY KEY (school_id, student_id)) STRICT, WITHOUT ROWID;
      CREATE TABLE "${t.class_memberships}" (
        school_id TEXT NOT NULL, student_id TEXT NOT NULL, opened_at INTEGER NOT NULL, class_id TEXT NOT NULL,
        from_date TEXT NOT NULL, until_date TEXT,
        PRIMARY KEY (school_id, student_id, opened_at)) STRICT, WITHOUT ROWID;
      CREATE INDEX "${t.class_memberships}_by_class" ON "${t.class_memberships}" (school_id, class_id, from_date);
      CREATE TABLE "${t.group_memberships}" (
        school_id TEXT NOT NULL, student_id TEXT NOT NULL, opened_at INTEGER NOT NULL, group_id TEXT NOT NULL,
        from_date TEXT NOT NULL, until_date TEXT,
        PRIMARY KEY (school_id, student_id, opened_at)) STRICT, WITHOUT ROWID;
      CREATE INDEX "${t.group_memberships}_by_group" ON "${t.group_memberships}" (school_id, group_id, from_date);`);
  },
  apply(db, t, events) {
    for (const event of events) applyOne(db, t, event);
  },
});

const applyOne = (
  db: Database,
  t: TableNames<EnrolmentsTable>,
  event: Recorded<StudentEvent | ErasureEvent>,
): void => {
  const closeClass = prepared(
    db,
    `UPDATE "${t.class_memberships}" SET until_date = ? WHERE school_id = ? AND student_id = ? AND until_date IS NULL`,
  );
  const openClass = prepared(db, `INSERT INTO "${t.class_memberships}" VALUES (?, ?, ?, ?, ?, NULL)`);
  const closeGroups = prepared(
    db,
    `UPDATE "${t.group_memberships}" SET until_date = ? WHERE school_id = ? AND student_id = ? AND until_date IS NULL`,
  );
  switch (event.type) {
    case 'StudentRegistered':
    case 'StudentDetailsCorrected': {
      const { schoolId, studentId, ine, lastName, firstName, birthDate } = event.data;
      prepared(
        db,
        `INSERT INTO "${t.students}" VALUES (?, ?, ?, ?, ?, ?, 'registered', NULL)
         ON CONFLICT (school_id, student_id) DO UPDATE SET ine = excluded.ine, last_name = excluded.last_name,
           first_name = excluded.first_name, birth_date = excluded.birth_date`,
      ).run(schoolId, studentId, ine, lastName, firstName, birthDate);
      return;
    }
    case 'StudentEnrolled': {
      const { schoolId, studentId, classId, from } = event.data;
      openClass.run(schoolId, studentId, event.position, classId, from);
      prepared(
        db,
        `UPDATE "${t.students}" SET status = 'enrolled', departed_on = NULL WHERE school_id = ? AND student_id = ?`,
      ).run(schoolId, studentId);
      return;
    }
    case 'StudentMovedClass': {
      const { schoolId, studentId, toClassId, on } = event.data;
      closeClass.run(on, schoolId, studentId);
      openClass.run(schoolId, studentId, event.position, toClassId, on);
      return;
    }
    case 'StudentJoinedGroup': {
      const { schoolId, studentId, groupId, from } = event.data;
      prepared(db, `INSERT INTO "${t.group_memberships}" VALUES (?, ?, ?, ?, ?, NULL)`).run(
        schoolId,
        studentId,
        event.position,
        groupId,
        from,
      );
      return;
    }
    case 'StudentLeftGroup': {
      const { schoolId, studentId, groupId, on } = event.data;
      prepared(
        db,
        `UPDATE "${t.group_memberships}" SET until_date = ? WHERE school_id = ? AND student_id = ? AND group_id = ? AND until_date IS NULL`,
      ).run(on, schoolId, studentId, groupId);
      return;
    }
    case 'StudentDeparted': {
      const { schoolId, studentId, on } = event.data;
      closeClass.run(on, schoolId, studentId);
      closeGroups.run(on, schoolId, studentId);
      prepared(
        db,
        `UPDATE "${t.students}" SET status = 'departed', departed_on = ? WHERE school_id = ? AND student_id = ?`,
      ).run(on, schoolId, studentId);
      return;
    }
    case 'StudentErased': {
      // The log now reads this student's details as a pseudonym: the row says the same at once.
      const { schoolId, studentId } = event.data;
      const shown = (kind: 'lastName' | 'firstName') => pseudonymFor(kind, schoolId, studentId);
      prepared(
        db,
        `UPDATE "${t.students}" SET ine = NULL, last_name = ?, first_name = ?, birth_date = NULL
         WHERE school_id = ? AND student_id = ?`,
      ).run(shown('lastName'), shown('firstName'), schoolId, studentId);
      return;
    }
    default: {
      const exhaustive: never = event;
      return exhaustive;
    }
  }
};

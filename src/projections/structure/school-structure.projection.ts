import type { Database } from 'better-sqlite3';
import { STRUCTURE_EVENT_TYPES, StructureEvent } from '../../domain/structure/school';
import { prepared } from '../prepared';
import { defineProjection, TableNames } from '../projection';

export type SchoolStructureTable =
  | 'years'
  | 'periods'
  | 'classes'
  | 'groups'
  | 'subjects'
  | 'teachers'
  | 'staff'
  | 'assignments'
  | 'competency_items';

/**
 * Years and periods, classes, groups, subjects, teachers, other staff and who teaches what, per
 * school; and the competency items of each subject.
 */
export const schoolStructureProjection = defineProjection<StructureEvent>()({
  name: 'school-structure',
  // 2: subjects keep who labelled them; staff who are not teachers (CPE, direction).
  // 3: the competency items.
  version: 3,
  tables: [
    'years',
    'periods',
    'classes',
    'groups',
    'subjects',
    'teachers',
    'staff',
    'assignments',
    'competency_items',
  ],
  handles: STRUCTURE_EVENT_TYPES,
  setup(db, t) {
    db.exec(`
      CREATE TABLE "${t.years}" (
        school_id TEXT NOT NULL, school_year TEXT NOT NULL, start_date TEXT NOT NULL, end_date TEXT NOT NULL,
        PRIMARY KEY (school_id, school_year)) STRICT, WITHOUT ROWID;
      CREATE TABLE "${t.periods}" (
        school_id TEXT NOT NULL, school_year TEXT NOT NULL, scheme TEXT NOT NULL, period_id TEXT NOT NULL,
        label TEXT NOT NULL, start_date TEXT NOT NULL, end_date TEXT NOT NULL,
        PRIMARY KEY (school_id, school_year, scheme, period_id)) STRICT, WITHOUT ROWID;
      CREATE TABLE "${t.classes}" (
        school_id TEXT NOT NULL, class_id TEXT NOT NULL, label TEXT NOT NULL, school_year TEXT NOT NULL,
        period_scheme TEXT NOT NULL, PRIMARY KEY (school_id, class_id)) STRICT, WITHOUT ROWID;
      CREATE TABLE "${t.groups}" (
        school_id TEXT NOT NULL, group_id TEXT NOT NULL, label TEXT NOT NULL, school_year TEXT NOT NULL,
        class_ids TEXT NOT NULL, PRIMARY KEY (school_id, group_id)) STRICT, WITHOUT ROWID;
      CREATE TABLE "${t.subjects}" (
        school_id TEXT NOT NULL, subject_id TEXT NOT NULL, code TEXT NOT NULL, label TEXT NOT NULL,
        short_label TEXT NOT NULL, label_source TEXT, PRIMARY KEY (school_id, subject_id)) STRICT, WITHOUT ROWID;
      CREATE TABLE "${t.teachers}" (
        school_id TEXT NOT NULL, teacher_id TEXT NOT NULL, last_name TEXT NOT NULL, first_name TEXT NOT NULL,
        PRIMARY KEY (school_id, teacher_id)) STRICT, WITHOUT ROWID;
      CREATE TABLE "${t.staff}" (
        school_id TEXT NOT NULL, staff_id TEXT NOT NULL, last_name TEXT NOT NULL, first_name TEXT NOT NULL,
        function TEXT NOT NULL, PRIMARY KEY (school_id, staff_id)) STRICT, WITHOUT ROWID;
      CREATE TABLE "${t.assignments}" (
        school_id TEXT NOT NULL, teacher_id TEXT NOT NULL, subject_id TEXT NOT NULL, target_kind TEXT NOT NULL,
        target_id TEXT NOT NULL, PRIMARY KEY (school_id, teacher_id, subject_id, target_kind, target_id)) STRICT, WITHOUT ROWID;
      CREATE INDEX "${t.assignments}_target" ON "${t.assignments}" (school_id, target_kind, target_id);
      CREATE TABLE "${t.competency_items}" (
        school_id TEXT NOT NULL, item_id TEXT NOT NULL, subject_id TEXT NOT NULL, label TEXT NOT NULL,
        socle_component TEXT, retired INTEGER NOT NULL, PRIMARY KEY (school_id, item_id)) STRICT, WITHOUT ROWID;
      CREATE INDEX "${t.competency_items}_subject" ON "${t.competency_items}" (school_id, subject_id, item_id);`);
  },
  apply(db, t, events) {
    for (const event of events) applyOne(db, t, event);
  },
});

const applyOne = (db: Database, t: TableNames<SchoolStructureTable>, event: StructureEvent): void => {
  switch (event.type) {
    case 'SchoolYearDefined': {
      const { schoolId, schoolYear, start, end } = event.data;
      prepared(db, `INSERT OR REPLACE INTO "${t.years}" VALUES (?, ?, ?, ?)`).run(
        schoolId,
        schoolYear,
        start,
        end,
      );
      return;
    }
    case 'PeriodsSet': {
      const { schoolId, schoolYear, scheme, periods } = event.data;
      prepared(db, `DELETE FROM "${t.periods}" WHERE school_id = ? AND school_year = ? AND scheme = ?`).run(
        schoolId,
        schoolYear,
        scheme,
      );
      const insert = prepared(db, `INSERT INTO "${t.periods}" VALUES (?, ?, ?, ?, ?, ?, ?)`);
      for (const p of periods) insert.run(schoolId, schoolYear, scheme, p.id, p.label, p.start, p.end);
      return;
    }
    case 'ClassOpened':
    case 'ClassUpdated': {
      const { schoolId, classId, label, schoolYear, periodScheme } = event.data;
      prepared(db, `INSERT OR REPLACE INTO "${t.classes}" VALUES (?, ?, ?, ?, ?)`).run(
        schoolId,
        classId,
        label,
        schoolYear,
        periodScheme,
      );
      return;
    }
    case 'GroupOpened':
    case 'GroupUpdated': {
      const { schoolId, groupId, label, schoolYear, classIds } = event.data;
      prepared(db, `INSERT OR REPLACE INTO "${t.groups}" VALUES (?, ?, ?, ?, ?)`).run(
        schoolId,
        groupId,
        label,
        schoolYear,
        JSON.stringify(classIds),
      );
      return;
    }
    case 'SubjectDefined': {
      const { schoolId, subjectId, code, label, shortLabel, labelSource } = event.data;
      prepared(db, `INSERT OR REPLACE INTO "${t.subjects}" VALUES (?, ?, ?, ?, ?, ?)`).run(
        schoolId,
        subjectId,
        code,
        label,
        shortLabel,
        labelSource ?? null,
      );
      return;
    }
    case 'SubjectRenamed': {
      const { schoolId, subjectId, label, shortLabel } = event.data;
      prepared(
        db,
        `UPDATE "${t.subjects}" SET label = ?, short_label = ?, label_source = 'school' WHERE school_id = ? AND subject_id = ?`,
      ).run(label, shortLabel, schoolId, subjectId);
      return;
    }
    case 'StaffMemberRecorded': {
      const { schoolId, staffId, lastName, firstName } = event.data;
      prepared(db, `INSERT OR REPLACE INTO "${t.staff}" VALUES (?, ?, ?, ?, ?)`).run(
        schoolId,
        staffId,
        lastName,
        firstName,
        event.data.function,
      );
      return;
    }
    case 'TeacherRecorded': {
      const { schoolId, teacherId, lastName, firstName } = event.data;
      prepared(db, `INSERT OR REPLACE INTO "${t.teachers}" VALUES (?, ?, ?, ?)`).run(
        schoolId,
        teacherId,
        lastName,
        firstName,
      );
      return;
    }
    case 'TeachingAssigned': {
      const { schoolId, teacherId, subjectId, target } = event.data;
      prepared(db, `INSERT OR IGNORE INTO "${t.assignments}" VALUES (?, ?, ?, ?, ?)`).run(
        schoolId,
        teacherId,
        subjectId,
        target.kind,
        target.id,
      );
      return;
    }
    case 'TeachingUnassigned': {
      const { schoolId, teacherId, subjectId, target } = event.data;
      prepared(
        db,
        `DELETE FROM "${t.assignments}" WHERE school_id = ? AND teacher_id = ? AND subject_id = ? AND target_kind = ? AND target_id = ?`,
      ).run(schoolId, teacherId, subjectId, target.kind, target.id);
      return;
    }
    case 'CompetencyItemDefined': {
      const { schoolId, itemId, subjectId, label, socleComponent } = event.data;
      prepared(db, `INSERT OR REPLACE INTO "${t.competency_items}" VALUES (?, ?, ?, ?, ?, 0)`).run(
        schoolId,
        itemId,
        subjectId,
        label,
        socleComponent,
      );
      return;
    }
    case 'CompetencyItemRetired': {
      const { schoolId, itemId } = event.data;
      prepared(db, `UPDATE "${t.competency_items}" SET retired = 1 WHERE school_id = ? AND item_id = ?`).run(
        schoolId,
        itemId,
      );
      return;
    }
    default: {
      const exhaustive: never = event;
      return exhaustive;
    }
  }
};

import { Inject, Injectable } from '@nestjs/common';
import {
  AssessmentPeriod,
  CompetencyItem,
  GroupKind,
  PeriodSettings,
  positioningSettingsOf,
  subjectCoefficientsFor,
  TeacherScope,
} from '../../domain/assessment';
import { IsoDate } from '../../domain/shared/calendar';
import {
  enrolmentsProjection,
  EnrolmentsTable,
  CompetencyItemView,
  readClasses,
  readCompetencyItems,
  readGroups,
  readMembersDuring,
  readSchoolYears,
  schoolStructureProjection,
  SchoolStructureTable,
} from '../../projections/structure';
import { TableNames } from '../../projections/projection';
import { AttendanceInputs } from '../attendance/attendance-inputs';
import { AuthenticatedUser } from '../auth/user';
import { ApiError } from '../errors/api-error';

/** A class or group as an assessment sees it: its kind and the periods of its scheme. */
export type Place = {
  readonly kind: GroupKind;
  readonly classOrGroupId: string;
  /** For a class, itself; for a group, the classes its students come from. */
  readonly classIds: readonly string[];
  readonly periods: readonly AssessmentPeriod[];
};

/** The token's classes and subjects, for a decision to check a teacher against. */
export const scopeOf = (user: AuthenticatedUser): { actorScope?: TeacherScope } =>
  user.role === 'teacher' ? { actorScope: { classes: user.classes, subjects: user.subjects } } : {};

/**
 * What assessment decisions and views need from the structure and settings read models, read on the
 * thread taking commands like the attendance inputs (indexed, cached until a structure view moves).
 */
@Injectable()
export class AssessmentInputs {
  constructor(@Inject(AttendanceInputs) readonly school: AttendanceInputs) {}

  /** 404 for a class or group the school does not have. */
  place(schoolId: string, classOrGroupId: string, expected?: GroupKind): Place {
    const kind = this.school.requireClassOrGroup(schoolId, classOrGroupId, expected);
    return this.school.remember(`assessment-place\0${schoolId}\0${kind}\0${classOrGroupId}`, (db, tables) => {
      const t = tables(schoolStructureProjection.name) as TableNames<SchoolStructureTable>;
      const classes = readClasses(db, t, schoolId);
      const group =
        kind === 'group' ? readGroups(db, t, schoolId).find((g) => g.groupId === classOrGroupId) : undefined;
      const own = classes.find((c) => c.classId === classOrGroupId);
      const classIds = kind === 'class' ? [classOrGroupId] : [...(group?.classIds ?? [])];
      const scheme =
        own?.periodScheme ?? classes.find((c) => classIds.includes(c.classId))?.periodScheme ?? 'trimester';
      const schoolYear = own?.schoolYear ?? group?.schoolYear;
      const year = readSchoolYears(db, t, schoolId).find((y) => y.schoolYear === schoolYear);
      const periods = (year?.periods[scheme] ?? []).map(({ id, start, end }) => ({ id, start, end }));
      return { kind, classOrGroupId, classIds, periods };
    });
  }

  /**
   * The periods of the class or group whose council is held (DOMAIN.md, "Class council"). A group has
   * no council of its own: a period is closed for it once it is closed for any of the classes its
   * students come from, since its grades count in each of their reports and what one council saw must
   * not change unseen. (A class on another scheme has other period ids, and closes none of the group's.)
   */
  closedPeriods(schoolId: string, place: Place): ReadonlySet<string> {
    const closed = new Set<string>();
    for (const classId of place.classIds)
      for (const periodId of this.school.closedPeriodsOf(schoolId, classId)) closed.add(periodId);
    return closed;
  }

  /** 404 for a period the class's scheme does not have. */
  period(place: Place, periodId: string): AssessmentPeriod {
    const period = place.periods.find((p) => p.id === periodId);
    if (period === undefined)
      throw new ApiError(
        404,
        'ASSESSMENT.PERIOD_UNKNOWN',
        `${place.classOrGroupId} has no period ${periodId}; its periods: ${place.periods.map((p) => p.id).join(', ') || 'none'}`,
        { field: 'periodId', periodId, periods: place.periods.map((p) => p.id) },
      );
    return period;
  }

  /**
   * The school's competency items an assessment evaluates, as the catalogue defines them now (their
   * label and socle component are copied into the assessment). 400 naming the first unknown,
   * retired, or other subject's item.
   */
  competencyItems(schoolId: string, subjectId: string, itemIds: readonly string[]): CompetencyItem[] {
    const catalogue = this.catalogue(schoolId);
    return itemIds.map((itemId, index) => {
      const item = catalogue.find((i) => i.itemId === itemId);
      if (item === undefined || item.retired || item.subjectId !== subjectId)
        throw new ApiError(
          400,
          'ASSESSMENT.ITEM_UNKNOWN',
          item === undefined
            ? `the school has no competency item ${itemId}`
            : item.retired
              ? `competency item ${itemId} was retired`
              : `competency item ${itemId} belongs to ${item.subjectId}, not ${subjectId}`,
          { field: `competencyItemIds.${index}`, itemId },
        );
      return { itemId: item.itemId, label: item.label, socleComponent: item.socleComponent };
    });
  }

  private catalogue(schoolId: string): readonly CompetencyItemView[] {
    return this.school.remember(`competency-items\0${schoolId}`, (db, tables) =>
      readCompetencyItems(
        db,
        tables(schoolStructureProjection.name) as TableNames<SchoolStructureTable>,
        schoolId,
      ),
    );
  }

  enrolledOn(schoolId: string, kind: GroupKind, classOrGroupId: string, date: IsoDate): ReadonlySet<string> {
    return this.school.enrolledOn(schoolId, kind, classOrGroupId, date);
  }

  /** The students in the class at some time during the period: whose report it may hold. */
  studentsDuring(schoolId: string, classId: string, period: AssessmentPeriod): ReadonlySet<string> {
    return this.school.remember(
      `assessment-during\0${schoolId}\0${classId}\0${period.start}\0${period.end}`,
      (db, tables) =>
        new Set(
          readMembersDuring(
            db,
            tables(enrolmentsProjection.name) as TableNames<EnrolmentsTable>,
            schoolId,
            'class',
            classId,
            period.start,
            period.end,
          ).map((m) => m.studentId),
        ),
    );
  }

  /**
   * The settings a period's figures are computed under: those in force on its last day (a change
   * effective later leaves the period as it was; one effective earlier applies to the whole period).
   */
  periodSettings(schoolId: string, classId: string | undefined, period: AssessmentPeriod): PeriodSettings {
    const settings = this.school.settingsOn(schoolId, period.end);
    return {
      convention: settings.averageConvention,
      rounding: settings.gradeRounding,
      subjectCoefficients: classId === undefined ? {} : subjectCoefficientsFor(settings, classId),
      positioning: positioningSettingsOf(settings),
    };
  }
}

import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { ClassOrGroupKind } from '../../domain/structure/class-timetables';
import { ClassInfo, GroupInfo } from '../../domain/structure/school';
import { LiveProjections } from '../../projections/live-projections';
import { Projection, TableNames } from '../../projections/projection';
import {
  ClassTimetableView,
  ClosureView,
  CompetencyItemView,
  EnrolmentHistory,
  enrolmentsProjection,
  SchoolYearView,
  schoolSettingsProjection,
  schoolStructureProjection,
  SettingsChangeView,
  SettingsOnDate,
  StudentOnDate,
  TeachingView,
  weekInForceOn,
} from '../../projections/structure';
import { assertTeacherReadsStudent } from '../auth/teacher-scope';
import { AuthenticatedUser } from '../auth/user';
import { Reads } from '../core/reads';
import { PROJECTION_RUNNER } from '../core/tokens';
import { ApiError } from '../errors/api-error';

export interface ClassTimetableAnswer {
  readonly classOrGroupId: string;
  readonly kind: ClassOrGroupKind;
  readonly date: string;
  /** The week in force on `date`; null before the first one is declared. */
  readonly timetable: ClassTimetableView | null;
  /** Every declared week, earlier and later ones included, with the dates each is in force. */
  readonly weeks: readonly { readonly effectiveFrom: string; readonly until: string | null }[];
}

export class GetSchoolYears extends Query<SchoolYearView[]> {
  constructor(readonly schoolId: string) {
    super();
  }
}

export class GetSettingsOn extends Query<SettingsOnDate> {
  constructor(
    readonly schoolId: string,
    readonly date: string,
  ) {
    super();
  }
}

export class GetSettingsHistory extends Query<SettingsChangeView[]> {
  constructor(readonly schoolId: string) {
    super();
  }
}

export class GetClosures extends Query<ClosureView[]> {
  constructor(
    readonly schoolId: string,
    readonly from: string | undefined,
    readonly to: string | undefined,
  ) {
    super();
  }
}

export class GetClasses extends Query<ClassInfo[]> {
  constructor(readonly schoolId: string) {
    super();
  }
}

export class GetGroups extends Query<GroupInfo[]> {
  constructor(readonly schoolId: string) {
    super();
  }
}

export class GetTeaching extends Query<TeachingView> {
  constructor(readonly schoolId: string) {
    super();
  }
}

/** The school's competency items, of one subject or all, retired ones marked. */
export class GetCompetencyItems extends Query<CompetencyItemView[]> {
  constructor(
    readonly schoolId: string,
    readonly subjectId: string | undefined,
  ) {
    super();
  }
}

/** The students of a class on a date; 404 when the school has no such class. */
export class GetClassRoster extends Query<StudentOnDate[]> {
  constructor(
    readonly schoolId: string,
    readonly classId: string,
    readonly date: string,
  ) {
    super();
  }
}

/** The students of a group on a date; 404 when the school has no such group. */
export class GetGroupRoster extends Query<StudentOnDate[]> {
  constructor(
    readonly schoolId: string,
    readonly groupId: string,
    readonly date: string,
  ) {
    super();
  }
}

/** A student's registration and enrolments; a teacher only for a student they teach; 404 when unknown. */
export class GetEnrolmentHistory extends Query<EnrolmentHistory> {
  constructor(
    readonly user: AuthenticatedUser,
    readonly schoolId: string,
    readonly studentId: string,
  ) {
    super();
  }
}

/** The weekly lessons of a class or group in force on a date, and every declared week; 404 when unknown. */
export class GetClassTimetable extends Query<ClassTimetableAnswer> {
  constructor(
    readonly schoolId: string,
    readonly kind: ClassOrGroupKind,
    readonly classOrGroupId: string,
    readonly date: string,
  ) {
    super();
  }
}

/** What every structure query handler shares: the reads and the live tables of a projection. */
abstract class StructureReader {
  constructor(
    @Inject(PROJECTION_RUNNER) private readonly runner: LiveProjections,
    @Inject(Reads) protected readonly reads: Reads,
  ) {}

  /** The live tables of `projection`, asked when a read starts (a rebuild may swap them while it waits). */
  protected tables<N extends string>(projection: Projection<N>): () => TableNames<N> {
    return () => this.runner.tables<N>(projection.name);
  }

  protected async assertExists(
    schoolId: string,
    kind: ClassOrGroupKind,
    id: string,
    details: { readonly field?: string } = {},
  ): Promise<void> {
    if (
      !(await this.reads.run('hasClassOrGroup', this.tables(schoolStructureProjection), schoolId, kind, id))
    )
      throw new ApiError(
        404,
        kind === 'class' ? 'STRUCTURE.CLASS_UNKNOWN' : 'STRUCTURE.GROUP_UNKNOWN',
        `no ${kind} ${id} in school ${schoolId}`,
        details,
      );
  }
}

@QueryHandler(GetSchoolYears)
export class GetSchoolYearsHandler extends StructureReader implements IQueryHandler<GetSchoolYears> {
  async execute({ schoolId }: GetSchoolYears): Promise<SchoolYearView[]> {
    return this.reads.run('readSchoolYears', this.tables(schoolStructureProjection), schoolId);
  }
}

@QueryHandler(GetSettingsOn)
export class GetSettingsOnHandler extends StructureReader implements IQueryHandler<GetSettingsOn> {
  async execute({ schoolId, date }: GetSettingsOn): Promise<SettingsOnDate> {
    return this.reads.run('readSettingsOn', this.tables(schoolSettingsProjection), schoolId, date);
  }
}

@QueryHandler(GetSettingsHistory)
export class GetSettingsHistoryHandler extends StructureReader implements IQueryHandler<GetSettingsHistory> {
  async execute({ schoolId }: GetSettingsHistory): Promise<SettingsChangeView[]> {
    return this.reads.run('readSettingsHistory', this.tables(schoolSettingsProjection), schoolId);
  }
}

@QueryHandler(GetClosures)
export class GetClosuresHandler extends StructureReader implements IQueryHandler<GetClosures> {
  async execute({ schoolId, from, to }: GetClosures): Promise<ClosureView[]> {
    return this.reads.run('readClosures', this.tables(schoolSettingsProjection), schoolId, from, to);
  }
}

@QueryHandler(GetClasses)
export class GetClassesHandler extends StructureReader implements IQueryHandler<GetClasses> {
  async execute({ schoolId }: GetClasses): Promise<ClassInfo[]> {
    return this.reads.run('readClasses', this.tables(schoolStructureProjection), schoolId);
  }
}

@QueryHandler(GetGroups)
export class GetGroupsHandler extends StructureReader implements IQueryHandler<GetGroups> {
  async execute({ schoolId }: GetGroups): Promise<GroupInfo[]> {
    return this.reads.run('readGroups', this.tables(schoolStructureProjection), schoolId);
  }
}

@QueryHandler(GetTeaching)
export class GetTeachingHandler extends StructureReader implements IQueryHandler<GetTeaching> {
  async execute({ schoolId }: GetTeaching): Promise<TeachingView> {
    return this.reads.run('readTeaching', this.tables(schoolStructureProjection), schoolId);
  }
}

@QueryHandler(GetCompetencyItems)
export class GetCompetencyItemsHandler extends StructureReader implements IQueryHandler<GetCompetencyItems> {
  async execute({ schoolId, subjectId }: GetCompetencyItems): Promise<CompetencyItemView[]> {
    return this.reads.run('readCompetencyItems', this.tables(schoolStructureProjection), schoolId, subjectId);
  }
}

@QueryHandler(GetClassRoster)
export class GetClassRosterHandler extends StructureReader implements IQueryHandler<GetClassRoster> {
  async execute({ schoolId, classId, date }: GetClassRoster): Promise<StudentOnDate[]> {
    await this.assertExists(schoolId, 'class', classId);
    return this.reads.run(
      'readStudentsOfClassOn',
      this.tables(enrolmentsProjection),
      schoolId,
      classId,
      date,
    );
  }
}

@QueryHandler(GetGroupRoster)
export class GetGroupRosterHandler extends StructureReader implements IQueryHandler<GetGroupRoster> {
  async execute({ schoolId, groupId, date }: GetGroupRoster): Promise<StudentOnDate[]> {
    await this.assertExists(schoolId, 'group', groupId);
    return this.reads.run(
      'readStudentsOfGroupOn',
      this.tables(enrolmentsProjection),
      schoolId,
      groupId,
      date,
    );
  }
}

@QueryHandler(GetEnrolmentHistory)
export class GetEnrolmentHistoryHandler
  extends StructureReader
  implements IQueryHandler<GetEnrolmentHistory>
{
  async execute({ user, schoolId, studentId }: GetEnrolmentHistory): Promise<EnrolmentHistory> {
    const found = await this.reads.run(
      'readEnrolmentHistory',
      this.tables(enrolmentsProjection),
      schoolId,
      studentId,
    );
    assertTeacherReadsStudent(user, studentId, found);
    if (!found)
      throw new ApiError(404, 'STRUCTURE.STUDENT_UNKNOWN', `no student ${studentId} in school ${schoolId}`);
    return found;
  }
}

@QueryHandler(GetClassTimetable)
export class GetClassTimetableHandler extends StructureReader implements IQueryHandler<GetClassTimetable> {
  async execute({ schoolId, kind, classOrGroupId, date }: GetClassTimetable): Promise<ClassTimetableAnswer> {
    await this.assertExists(schoolId, kind, classOrGroupId, {
      field: kind === 'class' ? 'classId' : 'groupId',
    });
    const weeks = await this.reads.run(
      'readClassTimetables',
      this.tables(schoolSettingsProjection),
      schoolId,
      classOrGroupId,
    );
    return {
      classOrGroupId,
      kind,
      date,
      timetable: weekInForceOn(weeks, date) ?? null,
      weeks: weeks.map(({ effectiveFrom, until }) => ({ effectiveFrom, until })),
    };
  }
}

export const structureQueryHandlers = [
  GetSchoolYearsHandler,
  GetSettingsOnHandler,
  GetSettingsHistoryHandler,
  GetClosuresHandler,
  GetClassesHandler,
  GetGroupsHandler,
  GetTeachingHandler,
  GetCompetencyItemsHandler,
  GetClassRosterHandler,
  GetGroupRosterHandler,
  GetEnrolmentHistoryHandler,
  GetClassTimetableHandler,
];

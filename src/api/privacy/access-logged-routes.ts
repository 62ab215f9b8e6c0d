type Params = Readonly<Record<string, string | undefined>>;
type QueryString = Readonly<Record<string, unknown>>;

/** Whose data a read route returns: one student's (named), or a list's (its scope named instead). */
export type AccessSubject =
  | { readonly studentId: string; readonly scope?: undefined }
  | { readonly scope: string; readonly studentId?: undefined };

type SubjectOf = (params: Params, query: QueryString) => AccessSubject;

const student: SubjectOf = (params) => ({ studentId: params.studentId ?? '' });
/** A list view: one entry per request naming what it covered, not one per student it shows. */
const scope =
  (label: string, ...names: string[]): SubjectOf =>
  (params) => ({ scope: [label, ...names.map((name) => params[name] ?? '')].join(' ') });
const council = scope('council', 'classId', 'periodId');
const COUNCIL = '/schools/:schoolId/councils/:classId/:periodId';

/**
 * Every GET route that returns a student's data, by its route template. A route with a `:studentId`
 * is recorded under that student; a view of many students (a class day, a grade book, a council…)
 * is recorded once per request under its scope. test/api/privacy checks that every GET operation
 * of the OpenAPI document is either here or in NOT_STUDENT_DATA, so that a new view cannot slip by.
 */
export const ACCESS_LOGGED_ROUTES: Readonly<Record<string, SubjectOf>> = {
  '/schools/:schoolId/students/:studentId/attendance': student,
  '/schools/:schoolId/students/:studentId/attendance/counts': student,
  '/schools/:schoolId/students/:studentId/enrolments': student,
  '/schools/:schoolId/students/:studentId/grades': student,
  '/schools/:schoolId/students/:studentId/personal-data': student,
  [`${COUNCIL}/students/:studentId/report-card.pdf`]: student,
  '/schools/:schoolId/classes/:classId/attendance': scope('class day', 'classId'),
  '/schools/:schoolId/attendance/alerts': scope('attendance alerts'),
  '/schools/:schoolId/roll-calls/:classOrGroup/:date/:slot': scope(
    'roll call',
    'classOrGroup',
    'date',
    'slot',
  ),
  '/schools/:schoolId/classes/:classId/students': scope('class roster', 'classId'),
  '/schools/:schoolId/groups/:groupId/students': scope('group roster', 'groupId'),
  '/schools/:schoolId/assessments/:assessmentId': scope('assessment', 'assessmentId'),
  '/schools/:schoolId/grade-books/:classOrGroup/:subjectId/:periodId': scope(
    'grade book',
    'classOrGroup',
    'subjectId',
    'periodId',
  ),
  '/schools/:schoolId/classes/:classId/results': (params, query) => ({
    scope: ['class results', params.classId ?? '', typeof query.periodId === 'string' ? query.periodId : '']
      .join(' ')
      .trimEnd(),
  }),
  [COUNCIL]: council,
  [`${COUNCIL}/readiness`]: council,
  [`${COUNCIL}/lsu/check`]: council,
  [`${COUNCIL}/lsu`]: council,
  [`${COUNCIL}/report-cards.pdf`]: council,
  [`${COUNCIL}/council.csv`]: council,
  '/schools/:schoolId/as-of/students/:studentId/attendance': student,
  '/schools/:schoolId/as-of/students/:studentId/attendance/counts': student,
  '/schools/:schoolId/as-of/councils/:classId/:periodId': scope('council as of', 'classId', 'periodId'),
  '/schools/:schoolId/as-of/councils/:classId/:periodId/changes': scope(
    'council changes',
    'classId',
    'periodId',
  ),
  '/schools/:schoolId/as-of/grade-books/:classOrGroup/:subjectId/:periodId': scope(
    'grade book as of',
    'classOrGroup',
    'subjectId',
    'periodId',
  ),
  '/schools/:schoolId/as-of/attendance/alerts': scope('attendance alerts as of'),
  '/schools/:schoolId/audit/rebuilds': (_, query) =>
    typeof query.studentId === 'string' && query.studentId !== ''
      ? { studentId: query.studentId }
      : { scope: 'projection rebuilds' },
  '/schools/:schoolId/audit': (_, query) =>
    typeof query.studentId === 'string' && query.studentId !== ''
      ? { studentId: query.studentId }
      : { scope: 'audit trail' },
};

/** The GET routes that return no student's data, each with why. */
export const NOT_STUDENT_DATA: Readonly<Record<string, string>> = {
  '/health': 'the service',
  '/schools/:schoolId/access-log': "staff's reads, the DPO's own tool",
  '/schools/:schoolId/attendance/completeness': 'lessons without a roll call, by teacher and class',
  '/schools/:schoolId/classes/:classId/timetable': 'lessons',
  '/schools/:schoolId/groups/:groupId/timetable': 'lessons',
  '/schools/:schoolId/years': 'school calendar',
  '/schools/:schoolId/settings': 'school settings',
  '/schools/:schoolId/settings/history': 'school settings',
  '/schools/:schoolId/timetable': 'school timetable',
  '/schools/:schoolId/closures': 'school calendar',
  '/schools/:schoolId/competency-items': 'curriculum',
  '/schools/:schoolId/classes': 'classes and their sizes',
  '/schools/:schoolId/groups': 'groups and their sizes',
  '/schools/:schoolId/teaching': "teachers' assignments",
  '/schools/:schoolId/projections': 'the read models’ state',
};

export const accessSubjectOf = (
  route: string | undefined,
  params: Params,
  query: QueryString,
): AccessSubject | undefined => {
  const subjectOf =
    route !== undefined && Object.hasOwn(ACCESS_LOGGED_ROUTES, route)
      ? ACCESS_LOGGED_ROUTES[route]
      : undefined;
  return subjectOf?.(params, query);
};

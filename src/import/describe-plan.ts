import { runSteps, Steps } from '../domain/shared/steps';
import { ImportPlan, ImportSummary } from '../domain/structure/import-plan';
import { SchoolEvent, STAFF_FUNCTION_LABELS } from '../domain/structure/school';
import { StudentEvent } from '../domain/structure/student';

const SUMMARY_WORDS: Readonly<Record<keyof ImportSummary, [string, string]>> = {
  classesOpened: ['class opened', 'classes opened'],
  classesUpdated: ['class updated', 'classes updated'],
  groupsOpened: ['group opened', 'groups opened'],
  groupsUpdated: ['group updated', 'groups updated'],
  subjectsDefined: ['subject defined', 'subjects defined'],
  teachersRecorded: ['teacher recorded', 'teachers recorded'],
  staffRecorded: ['staff member recorded', 'staff members recorded'],
  teachingAssigned: ['teaching assignment', 'teaching assignments'],
  teachingUnassigned: ['teaching assignment ended', 'teaching assignments ended'],
  studentsRegistered: ['new student', 'new students'],
  detailsCorrected: ['student details corrected', 'student details corrected'],
  enrolments: ['enrolment', 'enrolments'],
  moves: ['move', 'moves'],
  groupJoins: ['group joined', 'groups joined'],
  groupLeaves: ['group left', 'groups left'],
  departures: ['departure', 'departures'],
  schoolNamed: ["school's name set", "school's name set"],
};

export const summaryLine = (plan: ImportPlan): string => {
  const parts = (Object.keys(SUMMARY_WORDS) as (keyof ImportSummary)[])
    .filter((key) => plan.summary[key] > 0)
    .map((key) => `${plan.summary[key]} ${SUMMARY_WORDS[key][plan.summary[key] === 1 ? 0 : 1]}`);
  return parts.length === 0 ? 'nothing to change' : `${parts.join(', ')} (${plan.eventCount} events)`;
};

const schoolLine = (event: SchoolEvent): string => {
  switch (event.type) {
    case 'ClassOpened':
      return `class ${event.data.classId} opened (${event.data.label})`;
    case 'ClassUpdated':
      return `class ${event.data.classId} now ${event.data.label}, ${event.data.periodScheme}`;
    case 'GroupOpened':
    case 'GroupUpdated':
      return `group ${event.data.groupId} ${event.type === 'GroupOpened' ? 'opened' : 'updated'} (${event.data.label}${event.data.classIds.length ? `, classes ${event.data.classIds.join(' ')}` : ''})`;
    case 'SubjectDefined':
      return `subject ${event.data.subjectId} ${event.data.code}: ${event.data.label}`;
    case 'SubjectRenamed':
      return `subject ${event.data.subjectId} renamed by the school: ${event.data.label}`;
    case 'TeacherRecorded':
      return `teacher ${event.data.teacherId}: ${event.data.lastName} ${event.data.firstName}`;
    case 'StaffMemberRecorded':
      return `${STAFF_FUNCTION_LABELS[event.data.function] ?? event.data.function} ${event.data.staffId}: ${event.data.lastName} ${event.data.firstName}`;
    case 'TeachingAssigned':
    case 'TeachingUnassigned':
      return `${event.type === 'TeachingAssigned' ? 'assigned' : 'unassigned'}: teacher ${event.data.teacherId}, subject ${event.data.subjectId}, ${event.data.target.kind} ${event.data.target.id}`;
    default:
      return event.type;
  }
};

const studentLine = (name: string, event: StudentEvent): string => {
  const who = `${event.data.studentId} ${name}`;
  switch (event.type) {
    case 'StudentRegistered':
      return `new student ${who}${event.data.ine ? ` (INE ${event.data.ine})` : ''}`;
    case 'StudentDetailsCorrected':
      return `details of ${who} corrected`;
    case 'StudentEnrolled':
      return `${who} enrolled in ${event.data.classId} from ${event.data.from}`;
    case 'StudentMovedClass':
      return `${who} moved from ${event.data.fromClassId} to ${event.data.toClassId} on ${event.data.on}`;
    case 'StudentJoinedGroup':
      return `${who} joined ${event.data.groupId} from ${event.data.from}`;
    case 'StudentLeftGroup':
      return `${who} left ${event.data.groupId} on ${event.data.on}`;
    case 'StudentDeparted':
      return `${who} left the school on ${event.data.on} (class ${event.data.classId})`;
    default: {
      const exhaustive: never = event;
      return exhaustive;
    }
  }
};

export interface PlanLines {
  readonly header: string;
  readonly summary: string;
  /** For a students file: the departures of missing students against the guard. */
  readonly departures?: string;
  /** One line per event, every one of them. */
  readonly changes: string[];
  readonly warnings: string[];
  /** One line per record of the file that is not imported, naming its element. */
  readonly notImported: string[];
}

const departuresLine = (plan: ImportPlan): string | undefined => {
  const guard = plan.departureGuard;
  if (!guard || guard.missing === 0) return undefined;
  const verdict = guard.refuses
    ? `more than ${guard.threshold} (${Math.round(guard.share * 100)} %): the import would be refused unless mass departure is allowed`
    : guard.missing > guard.threshold
      ? `more than ${guard.threshold} (${Math.round(guard.share * 100)} %), allowed explicitly`
      : `within the limit of ${guard.threshold} (${Math.round(guard.share * 100)} %)`;
  return `${guard.missing} of ${guard.enrolled} enrolled students missing from the file, recorded as left: ${verdict}`;
};

export const planLines = (plan: ImportPlan): PlanLines => runSteps(planLineSteps(plan));

/** planLines in steps: it yields after each student's lines (the HTTP answer lets requests in between). */
export function* planLineSteps(plan: ImportPlan): Steps<PlanLines> {
  const departures = departuresLine(plan);
  const changes = (plan.school?.events ?? []).map(schoolLine);
  for (const student of plan.students) {
    for (const event of student.events) changes.push(studentLine(student.name, event));
    yield;
  }
  return {
    header: `${plan.format} import for ${plan.schoolId}, school year ${plan.schoolYear}, changes dated ${plan.effectiveDate}`,
    summary: summaryLine(plan),
    ...(departures !== undefined ? { departures } : {}),
    changes,
    warnings: [...plan.warnings],
    notImported: plan.notImported.map(({ element, reason }) => `${element}: ${reason}`),
  };
}

/** What an import changes, one line per event (every one: none is hidden), then what it left out. */
export const describePlan = (plan: ImportPlan): string[] => {
  const { header, summary, departures, changes, warnings, notImported } = planLines(plan);
  return [
    header,
    `  ${summary}`,
    ...(departures !== undefined ? [`  ${departures}`] : []),
    ...changes.map((line) => `  ${line}`),
    ...(warnings.length > 0 ? ['warnings:', ...warnings.map((warning) => `  ${warning}`)] : []),
    ...(notImported.length > 0
      ? [`not imported (${notImported.length}):`, ...notImported.map((line) => `  ${line}`)]
      : []),
  ];
};

import { signToken, TokenSigningError } from '../api/auth/sign-token';
import { RegistreConfig } from '../config';
import type { Clock } from '../domain/shared/clock';
import { Role } from '../domain/shared/event';
import { DemoSchool } from './build-demo-school';
import { DEMO_GRADED_PERIOD, gradeStoryLines } from './demo-grades';
import { councilStoryLines } from './demo-council';
import { DemoStudent, fullName } from './demo-roster';
import { DEMO_CLOSURES } from './demo-settings';

/** What a newcomer needs to try the demo: a token per role and a few requests that show its story. */

export const DEMO_AUDITOR_ID = 'auditor-01';
const TOKEN_TTL = '12h';

export type DemoToken = {
  readonly variable: string;
  readonly role: Role;
  readonly sub: string;
  readonly about: string;
  readonly token: string;
};

export const signDemoTokens = async (
  config: Pick<RegistreConfig, 'auth'>,
  demo: DemoSchool,
  clock: Clock,
): Promise<DemoToken[]> => {
  const { teacher, schoolId } = demo;
  const wanted: Omit<DemoToken, 'token'>[] = [
    { variable: 'CPE_TOKEN', role: 'cpe', sub: demo.cpeId, about: 'CPE, vie scolaire' },
    {
      variable: 'TEACHER_TOKEN',
      role: 'teacher',
      sub: teacher.teacherId,
      about: `${teacher.name}: ${teacher.subjects.join(', ')} in ${teacher.classes.join(', ')}`,
    },
    { variable: 'PRINCIPAL_TOKEN', role: 'principal', sub: demo.principalId, about: "chef d'établissement" },
    { variable: 'AUDITOR_TOKEN', role: 'auditor', sub: DEMO_AUDITOR_ID, about: 'inspection, read-only' },
  ];
  return Promise.all(
    wanted.map(async (t) => ({
      ...t,
      token: await signToken(
        config,
        {
          sub: t.sub,
          role: t.role,
          schoolId,
          ttl: TOKEN_TTL,
          ...(t.role === 'teacher' ? { classes: teacher.classes, subjects: teacher.subjects } : {}),
        },
        clock,
      ),
    })),
  );
};

const described = (student: DemoStudent) =>
  `${fullName(student)} (${student.classId}, student ${student.studentId})`;

/** The school, what happened in it, the tokens as shell variables, and curl lines to look at it. */
export const demoGuide = async (
  config: Pick<RegistreConfig, 'auth'>,
  demo: DemoSchool,
  baseUrl: string,
  clock: Clock,
): Promise<string[]> => {
  const { schoolId, highlights: h, roster } = demo;
  const { story } = roster;
  const lesson = (l: { classOrGroupId: string; date: string; slotCode: string }) =>
    `${l.classOrGroupId} ${l.date} ${l.slotCode}`;
  const classIds = [...new Set(roster.students.map((s) => s.classId))];
  const groupIds = [...new Set(roster.students.flatMap((s) => s.groupIds))];
  const lines = [
    `Demo school ${schoolId}, ${demo.name}, ${demo.schoolYear}: ${
      demo.outcome === 'built' ? `built (${demo.eventsWritten} events)` : 'already there, nothing written'
    }`,
    `  ${classIds.length} classes (${classIds.join(' ')}), ${groupIds.length} groups (${groupIds.join(' ')}), ${roster.students.length} students; roll calls from ${demo.month.from} to ${demo.month.to}`,
    '  Every class and group has its weekly timetable declared: the completeness view expects exactly those lessons',
    `  No lessons on Wednesday afternoon; closed: ${DEMO_CLOSURES.map((c) => `${c.label} (${c.from === c.to ? c.from : `${c.from} to ${c.to}`})`).join(', ')}`,
    '  What happened in November:',
    `  - ${described(story.overThreshold)}: over the absenteeism threshold, alert open`,
    `  - ${described(story.alertWithdrawn)}: alert withdrawn by a medical certificate brought late`,
    `  - ${described(story.lateJustified)}: justified two weeks late, accepted`,
    `  - ${described(story.justificationRejected)}: justification rejected (panne de réveil), still unjustified`,
    `  - ${lesson(h.amendedRollCall)}: the app re-sent "all present" over two absences; the CPE reverted it`,
    `  - ${lesson(h.resentRollCall)}: sent twice (retry and double click), stored once`,
    `  - ${lesson(h.voidedRollCall)}: typed on the wrong class by the CPE, voided, LATIN-5 taken instead`,
    `  - ${h.outing.classId} ${h.outing.date} afternoon: museum outing recorded over a roll call that marked the class absent`,
    `  - ${described(story.atInfirmary)}: absent at ${h.infirmary.slotCode} on ${h.infirmary.date}, at the infirmary in fact`,
    `  - ${described(story.wrongTwin)}: an absence meant for her twin, voided and recorded on him`,
    `  - ${described(story.changesClass)}: moved from ${h.classChange.from} to ${h.classChange.to} on ${h.classChange.on}`,
    `  - roll calls never taken: ${h.forgottenRollCalls.map(lesson).join(', ')}`,
    ...gradeStoryLines(h.grades, roster),
    ...councilStoryLines(h.councils, (studentId) => {
      const s = roster.students.find((x) => x.studentId === studentId);
      return s ? fullName(s) : studentId;
    }),
    '',
  ];
  let tokens: DemoToken[];
  try {
    tokens = await signDemoTokens(config, demo, clock);
  } catch (error) {
    if (!(error instanceof TokenSigningError)) throw error;
    return [...lines, `No demo tokens: ${error.message}`];
  }
  const bearer = (variable: string) => `-H "Authorization: Bearer $${variable}"`;
  const url = (path: string) => `"${baseUrl}/schools/${schoolId}${path}"`;
  const amended = h.amendedRollCall;
  const period = DEMO_GRADED_PERIOD.id;
  return [
    ...lines,
    `Tokens (valid ${TOKEN_TTL}), to paste in a shell:`,
    ...tokens.map((t) => `  export ${t.variable}=${t.token}  # ${t.sub}, ${t.about}`),
    '',
    'Then try:',
    `  curl -s ${bearer('CPE_TOKEN')} ${url('/attendance/alerts?status=all')}`,
    `  curl -s ${bearer('PRINCIPAL_TOKEN')} ${url(`/students/${story.overThreshold.studentId}/attendance?from=${demo.month.from}&to=${demo.month.to}`)}`,
    `  curl -s ${bearer('TEACHER_TOKEN')} ${url(`/classes/${amended.classOrGroupId}/attendance?date=${amended.date}`)}`,
    `  curl -s ${bearer('TEACHER_TOKEN')} ${url(`/classes/${demo.teacher.classes[0]}/timetable?date=${demo.month.from}`)}`,
    `  curl -s ${bearer('CPE_TOKEN')} ${url(`/attendance/completeness?from=${demo.month.from}&to=${demo.month.to}`)}`,
    `  curl -s ${bearer('TEACHER_TOKEN')} ${url(`/grade-books/${demo.teacher.classes[0]}/${demo.teacher.subjects[0]}/${period}`)}`,
    `  curl -s ${bearer('PRINCIPAL_TOKEN')} ${url(`/students/${story.changesClass.studentId}/grades?periodId=${period}`)}`,
    `  curl -s ${bearer('PRINCIPAL_TOKEN')} ${url(`/councils/${h.councils.held.classId}/${h.councils.held.periodId}`)}`,
    `  curl -s ${bearer('PRINCIPAL_TOKEN')} ${url(`/councils/${h.councils.upcoming.classId}/${h.councils.upcoming.periodId}/readiness`)}`,
    `  curl -s ${bearer('AUDITOR_TOKEN')} ${url('/closures')}`,
    `  curl -s ${bearer('AUDITOR_TOKEN')} ${url(`/audit?stream=rollcall-${schoolId}-${amended.classOrGroupId}-${amended.date}-${amended.slotCode}`)}`,
  ];
};

import { assessmentDecider, reportDecider } from '../domain/assessment';
import { councilDecider } from '../domain/council';
import { rollCallDecider, studentAttendanceDecider } from '../domain/attendance';
import { WEEKDAY_NAMES } from '../domain/settings/lesson-half-days';
import { Decider } from '../domain/shared/decider';
import { DomainEvent } from '../domain/shared/event';
import {
  SchoolCommand,
  schoolDecider,
  schoolStreamId,
  SingleSchoolCommand,
} from '../domain/structure/school';
import { studentDecider } from '../domain/structure/student';
import { EventStore } from '../event-store/event-store';
import { CommandContext, handleCommand } from '../event-store/handle-command';
import { runImport } from '../import/run-import';
import {
  DEMO_GROUPS,
  DEMO_SCHOOL_ID,
  DEMO_SCHOOL_NAME,
  DEMO_SCHOOL_YEAR,
  DemoRoster,
  makeDemoRoster,
} from './demo-roster';
import { DEMO_CLOSURES, DEMO_EXTRA_REASONS, DEMO_LESSON_HALF_DAYS, DEMO_TRIMESTERS } from './demo-settings';
import { DEMO_COMPETENCY_ITEMS } from './demo-grades';
import { demoSiecleExport } from './demo-siecle';
import { DEMO_HISTORY_END, DemoHighlights, demoStory } from './demo-story';
import { DEMO_CPE, DEMO_PRINCIPAL, DEMO_SEED, DemoStep, parisInstant } from './demo-writer';
import {
  DEMO_MONTH,
  DEMO_SLOTS,
  DEMO_SUBJECTS,
  DEMO_TEACHER_ID,
  DEMO_TEACHERS,
  DemoLesson,
  weeklyLessons,
} from './demo-timetable';

export type DemoSchool = {
  readonly schoolId: string;
  readonly name: string;
  readonly schoolYear: string;
  readonly month: { readonly from: string; readonly to: string };
  /** `already-there`: a previous run wrote it all, this one wrote nothing. */
  readonly outcome: 'built' | 'already-there';
  readonly eventsWritten: number;
  readonly commands: number;
  readonly roster: DemoRoster;
  readonly teacher: {
    readonly teacherId: string;
    readonly name: string;
    readonly classes: readonly string[];
    readonly subjects: readonly string[];
  };
  readonly cpeId: string;
  readonly principalId: string;
  readonly highlights: DemoHighlights;
};

/** The demo will not write into a school that holds other data, nor record a history that is still to come. */
export class DemoRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DemoRefusedError';
  }
}

export type DemoState = 'empty' | 'demo' | 'other';

/** Whether the demo school's stream is empty, holds the demo (every command id is the demo's), or something else. */
export const demoStateOf = async (store: EventStore): Promise<DemoState> => {
  const events = await store.readStream(schoolStreamId(DEMO_SCHOOL_ID));
  if (events.length === 0) return 'empty';
  return events.every((e) => e.metadata.commandId.startsWith(`${DEMO_SEED}:`)) ? 'demo' : 'other';
};

type Tally = { events: number; commands: number };

const contextOf = (
  commandId: string,
  actor: CommandContext['actor'],
  at: string,
  extra: Pick<CommandContext, 'reason' | 'correlationId'> = {},
): CommandContext => ({
  commandId,
  actor,
  schoolId: DEMO_SCHOOL_ID,
  now: new Date(at),
  ...(extra.reason !== undefined ? { reason: extra.reason } : {}),
  ...(extra.correlationId !== undefined ? { correlationId: extra.correlationId } : {}),
});

const send = async <C, S, E extends DomainEvent>(
  store: EventStore,
  tally: Tally,
  streamId: string,
  decider: Decider<C, S, E>,
  command: C,
  ctx: CommandContext,
) => {
  const result = await handleCommand(store, streamId, decider, command, ctx);
  tally.events += result.events.length;
  tally.commands += 1;
};

const sendStep = (store: EventStore, tally: Tally, step: DemoStep) => {
  const ctx = contextOf(step.commandId, step.actor, step.at, step);
  switch (step.stream) {
    case 'rollcall':
      return send(store, tally, step.streamId, rollCallDecider, step.command, ctx);
    case 'attendance':
      return send(store, tally, step.streamId, studentAttendanceDecider, step.command, ctx);
    case 'student':
      return send(store, tally, step.streamId, studentDecider, step.command, ctx);
    case 'assessment':
      return send(store, tally, step.streamId, assessmentDecider, step.command, ctx);
    case 'report':
      return send(store, tally, step.streamId, reportDecider, step.command, ctx);
    case 'council':
      return send(store, tally, step.streamId, councilDecider, step.command, ctx);
    default: {
      const unexpected: never = step;
      return unexpected;
    }
  }
};

/**
 * Steps of the same instant are sent together (the store commits them in one group), one chain per
 * stream so that a stream's commands keep their order; instants follow each other.
 */
const sendInTimeOrder = async (store: EventStore, tally: Tally, steps: readonly DemoStep[]) => {
  for (let i = 0; i < steps.length;) {
    const at = steps[i].at;
    const chains = new Map<string, DemoStep[]>();
    for (; i < steps.length && steps[i].at === at; i++)
      chains.set(steps[i].streamId, [...(chains.get(steps[i].streamId) ?? []), steps[i]]);
    const outcomes = await Promise.allSettled(
      [...chains.values()].map(async (chain) => {
        for (const step of chain) await sendStep(store, tally, step);
      }),
    );
    const failure = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    if (failure) throw failure.reason;
  }
};

const school = (changes: readonly SingleSchoolCommand[]): SchoolCommand => ({
  type: 'ApplySchoolChanges',
  data: { schoolId: DEMO_SCHOOL_ID, changes },
});

/**
 * The year, its trimesters, the timetable, the reasons, the calendar, subjects, their competency
 * items and teachers; the students come by import.
 */
const setUpSchool = async (store: EventStore, tally: Tally, roster: DemoRoster) => {
  const schoolId = DEMO_SCHOOL_ID;
  const streamId = schoolStreamId(schoolId);
  const prepared = parisInstant('2026-08-24', '09:00');
  await send(
    store,
    tally,
    streamId,
    schoolDecider,
    {
      type: 'DefineSchoolYear',
      data: { schoolId, ...DEMO_SCHOOL_YEAR, periods: { trimester: DEMO_TRIMESTERS } },
    },
    contextOf(`${DEMO_SEED}:school-year`, DEMO_PRINCIPAL, prepared),
  );
  const effectiveFrom = DEMO_SCHOOL_YEAR.start;
  await send(
    store,
    tally,
    streamId,
    schoolDecider,
    school([
      { type: 'SetTimetable', data: { schoolId, slots: DEMO_SLOTS, effectiveFrom } },
      ...DEMO_EXTRA_REASONS.map((reason): SingleSchoolCommand => ({
        type: 'DefineReason',
        data: { schoolId, reason, effectiveFrom },
      })),
      ...DEMO_SUBJECTS.map((subject): SingleSchoolCommand => ({
        type: 'DefineSubject',
        data: { schoolId, ...subject },
      })),
      ...DEMO_TEACHERS.map(({ teacherId, lastName, firstName }): SingleSchoolCommand => ({
        type: 'RecordTeacher',
        data: { schoolId, teacherId, lastName, firstName },
      })),
    ]),
    contextOf(`${DEMO_SEED}:school-settings`, DEMO_PRINCIPAL, prepared),
  );
  await send(
    store,
    tally,
    streamId,
    schoolDecider,
    school([
      {
        type: 'ChangeSetting',
        data: { schoolId, key: 'schoolName', value: DEMO_SCHOOL_NAME, effectiveFrom },
      },
      {
        type: 'ChangeSetting',
        data: { schoolId, key: 'lessonHalfDays', value: DEMO_LESSON_HALF_DAYS, effectiveFrom },
      },
      ...DEMO_CLOSURES.map((closure): SingleSchoolCommand => ({
        type: 'DeclareClosure',
        data: { schoolId, ...closure },
      })),
    ]),
    contextOf(`${DEMO_SEED}:school-calendar`, DEMO_PRINCIPAL, prepared),
  );
  // The catalogue the assessments' competency items come from (GET …/competency-items lists them).
  await send(
    store,
    tally,
    streamId,
    schoolDecider,
    school(
      Object.entries(DEMO_COMPETENCY_ITEMS).flatMap(([subjectId, items]) =>
        items.map(({ itemId, label, socleComponent }): SingleSchoolCommand => ({
          type: 'DefineCompetencyItem',
          data: { schoolId, itemId, subjectId, label, socleComponent },
        })),
      ),
    ),
    contextOf(`${DEMO_SEED}:competency-items`, DEMO_PRINCIPAL, prepared),
  );
  const importedAt = parisInstant('2026-08-31', '08:30');
  const importId = `${DEMO_SEED}:siecle-import`;
  const report = await runImport(
    { store, knownStudentIds: () => [], concurrency: 16 },
    {
      kind: 'siecle',
      schoolId,
      bytes: demoSiecleExport(schoolId, roster.students, { date: '2026-08-28', time: '16:42:07' }),
    },
    contextOf(importId, DEMO_PRINCIPAL, importedAt, { correlationId: importId }),
  );
  tally.events += report.eventsWritten;
  tally.commands += report.commands;
  await send(
    store,
    tally,
    streamId,
    schoolDecider,
    school(
      DEMO_TEACHERS.flatMap((teacher) =>
        teacher.teaches.map((id): SingleSchoolCommand => ({
          type: 'AssignTeaching',
          data: {
            schoolId,
            teacherId: teacher.teacherId,
            subjectId: teacher.subjectId,
            target: { kind: DEMO_GROUPS.some((g) => g.groupId === id) ? 'group' : 'class', id },
          },
        })),
      ),
    ),
    contextOf(`${DEMO_SEED}:teaching-assignments`, DEMO_PRINCIPAL, parisInstant('2026-08-31', '10:00')),
  );
  await send(
    store,
    tally,
    streamId,
    schoolDecider,
    school(classTimetables(weeklyLessons(), effectiveFrom)),
    contextOf(`${DEMO_SEED}:class-timetables`, DEMO_PRINCIPAL, parisInstant('2026-08-31', '11:00')),
  );
};

/** Every class's and group's week, declared for the whole year: the completeness view then expects exactly these lessons. */
const classTimetables = (lessons: readonly DemoLesson[], effectiveFrom: string): SingleSchoolCommand[] => {
  const byClass = new Map<string, DemoLesson[]>();
  for (const lesson of lessons)
    byClass.set(lesson.classOrGroupId, [...(byClass.get(lesson.classOrGroupId) ?? []), lesson]);
  return [...byClass].map(([classOrGroupId, week]) => ({
    type: 'SetClassTimetable',
    data: {
      schoolId: DEMO_SCHOOL_ID,
      classOrGroupId,
      kind: DEMO_GROUPS.some((g) => g.groupId === classOrGroupId) ? 'group' : 'class',
      effectiveFrom,
      lessons: week.map(({ weekday, slotCode, teacherId, subjectId }) => ({
        weekday: WEEKDAY_NAMES[weekday - 1],
        slotCode,
        teacherId,
        subjectId,
      })),
    },
  }));
};

export type BuildDemoOptions = {
  /** The instant of the build: the demo's month must be over by then. */
  readonly now: Date;
};

/**
 * Builds the demo collège on `store` through the deciders: structure by SIECLE import, then
 * November's roll calls, facts, justifications and corrections, and the first trimester's grades,
 * competency levels, positionings and grade corrections, in the order and at the instants they
 * would have happened. Deterministic and idempotent: every command id derives from
 * `DEMO_SEED`, so a second run writes nothing. Refuses a school that holds other data.
 */
export const buildDemoSchool = async (store: EventStore, options: BuildDemoOptions): Promise<DemoSchool> => {
  if (options.now.toISOString() < DEMO_HISTORY_END)
    throw new DemoRefusedError(
      `the demo replays ${DEMO_MONTH.from} to ${DEMO_MONTH.to}; it cannot be built before that month is over (clock: ${options.now.toISOString()})`,
    );
  if ((await demoStateOf(store)) === 'other')
    throw new DemoRefusedError(
      `school ${DEMO_SCHOOL_ID} already holds data the demo did not write; the demo builds only into an empty school (use another REGISTRE_DB_PATH)`,
    );
  const roster = makeDemoRoster();
  const story = demoStory(roster, weeklyLessons());
  const tally: Tally = { events: 0, commands: 0 };
  await setUpSchool(store, tally, roster);
  await sendInTimeOrder(store, tally, story.steps);
  const teacher = DEMO_TEACHERS.find((t) => t.teacherId === DEMO_TEACHER_ID) ?? DEMO_TEACHERS[0];
  return {
    schoolId: DEMO_SCHOOL_ID,
    name: DEMO_SCHOOL_NAME,
    schoolYear: DEMO_SCHOOL_YEAR.schoolYear,
    month: DEMO_MONTH,
    outcome: tally.events === 0 ? 'already-there' : 'built',
    eventsWritten: tally.events,
    commands: tally.commands,
    roster,
    teacher: {
      teacherId: teacher.teacherId,
      name: `${teacher.firstName} ${teacher.lastName}`,
      classes: [...teacher.teaches].sort(),
      subjects: [teacher.subjectId],
    },
    cpeId: DEMO_CPE.id,
    principalId: DEMO_PRINCIPAL.id,
    highlights: story.highlights,
  };
};

/** `REGISTRE_DEMO=1`: the demo is built only into a store with nothing in it. */
export const buildDemoIfEmpty = async (
  store: EventStore,
  options: BuildDemoOptions,
): Promise<DemoSchool | undefined> =>
  (await store.headPosition()) === 0n ? buildDemoSchool(store, options) : undefined;

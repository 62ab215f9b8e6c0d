import BetterSqlite3, { Database } from 'better-sqlite3';
import fc from 'fast-check';
import {
  AbsenceReported,
  AttendanceContext,
  AttendanceFactVoided,
  CollectiveExemptionRecorded,
  CountingMode,
  CountingSettingsTimeline,
  DateHalfDay,
  DepartureDuringDayRecorded,
  GroupKind,
  HalfDayTally,
  InfirmaryVisitRecorded,
  IsoDate,
  JustificationAccepted,
  JustificationContext,
  JustificationReceived,
  JustificationRejected,
  Lateness,
  RecordCollectiveExemption,
  ResolvedSlot,
  RollCall,
  RollCallAmended,
  RollCallCommand,
  RollCallContext,
  RollCallEntry,
  RollCallEvent,
  RollCallTaken,
  RollCallVoided,
  SlotBound,
  StudentAttendance,
  StudentAttendanceCommand,
  StudentAttendanceEvent,
  TakeRollCall,
  attendanceStreamId,
  countStudent,
  decideStudentAttendance,
  evolveStudentAttendance,
  initialRollCall,
  initialStudentAttendance,
  minutesBetween,
  resolveSlot,
  resolveSlots,
  rollCallDecider,
  rollCallEntries,
  rollCallStreamId,
  studentAttendanceDecider,
} from '../../src/domain/attendance';
import { DomainError } from '../../src/domain/shared/domain-error';
import { Actor } from '../../src/domain/shared/event';
import { EventStore, EventToAppend, RecordedEvent } from '../../src/event-store/event-store';
import { CommandContext, handleCommand } from '../../src/event-store/handle-command';
import { SqliteEventStore } from '../../src/event-store/sqlite';
import { ProjectionRunner, TableNames } from '../../src/projections';
import {
  AttendanceTable,
  attendanceProjection,
  rollCallCompletenessProjection,
} from '../../src/projections/attendance';
import {
  CPE,
  REASONS,
  SCHOOL,
  SCHOOL_YEAR,
  SLOTS,
  StreamEvent,
  TEACHER,
  metadataFor,
} from '../../src/demo/attendance-year';
import { tempDir } from './temp-db';

// ---- the school -------------------------------------------------------------------------------

// The school-year generator and what it needs live in src/demo (the bench is built from src).
export {
  CPE,
  REASONS,
  SCHOOL,
  SCHOOL_YEAR,
  SLOTS,
  TEACHER,
  makeSchoolYearOfAttendance,
  metadataFor,
} from '../../src/demo/attendance-year';
export type { SchoolYearOfAttendance, SchoolYearOptions, StreamEvent } from '../../src/demo/attendance-year';
export { seededRandom } from '../../src/demo/seeded-random';

export const OTHER_CPE: Actor = { id: 'cpe-2', role: 'cpe' };
export const OTHER_TEACHER: Actor = { id: 'teacher-art', role: 'teacher' };

export const CLASS = '5B';
export const STUDENTS = ['s01', 's02', 's03', 's04', 's05'];

/** A Monday well inside the school year; "today" for the commands defaults to the same day. */
export const MONDAY = '2026-11-16';

export const slotRef = (code: string) => {
  const slot = SLOTS.find((s) => s.code === code);
  if (!slot) throw new Error(`no slot ${code} in the fixtures`);
  return resolveSlot(slot);
};

export const rollCallContext = (overrides: Partial<RollCallContext> = {}): RollCallContext => ({
  slots: SLOTS,
  enrolled: new Set(STUDENTS),
  schoolYear: SCHOOL_YEAR,
  today: MONDAY,
  maxDaysAhead: 0,
  ...overrides,
});

export const attendanceContext = (overrides: Partial<AttendanceContext> = {}): AttendanceContext => ({
  slots: SLOTS,
  schoolYear: SCHOOL_YEAR,
  today: MONDAY,
  maxDaysAhead: 30,
  ...overrides,
});

export const justificationContext = (
  overrides: Partial<JustificationContext> = {},
): JustificationContext => ({
  schoolYear: SCHOOL_YEAR,
  reasons: REASONS,
  ...overrides,
});

// ---- commands ---------------------------------------------------------------------------------

type RollCallOptions = {
  classOrGroupId?: string;
  groupKind?: GroupKind;
  date?: IsoDate;
  slotCode?: string;
  absent?: readonly string[];
  late?: readonly Lateness[];
  actor?: Actor;
  /** The classes and groups the actor's token lists; TEACHER teaches the roll call's class or group. */
  actorTeaches?: readonly string[];
  reason?: string;
  context?: Partial<RollCallContext>;
};

const taughtBy = (actor: Actor, classOrGroupId: string, given?: readonly string[]) =>
  given ?? (actor.id === TEACHER.id ? [classOrGroupId] : []);

export const takeRollCall = (o: RollCallOptions = {}): TakeRollCall => ({
  type: 'TakeRollCall',
  classOrGroupId: o.classOrGroupId ?? CLASS,
  groupKind: o.groupKind ?? 'class',
  date: o.date ?? MONDAY,
  slotCode: o.slotCode ?? 'M1',
  absent: o.absent ?? [],
  late: o.late ?? [],
  actor: o.actor ?? TEACHER,
  actorTeaches: taughtBy(o.actor ?? TEACHER, o.classOrGroupId ?? CLASS, o.actorTeaches),
  ...(o.reason !== undefined && { reason: o.reason }),
  context: rollCallContext(o.context),
});

type CorrectionOptions = { classOrGroupId?: string; actor?: Actor; actorTeaches?: readonly string[] };

const correctionSender = (o: CorrectionOptions) => {
  const actor = o.actor ?? CPE;
  const classOrGroupId = o.classOrGroupId ?? CLASS;
  return { classOrGroupId, actor, actorTeaches: taughtBy(actor, classOrGroupId, o.actorTeaches) };
};

export const voidRollCall = (o: CorrectionOptions & { reason?: string } = {}): RollCallCommand => ({
  type: 'VoidRollCall',
  ...correctionSender(o),
  reason: o.reason ?? 'wrong class',
});

export const revertRollCall = (
  o: CorrectionOptions & { toVersion?: number; reason?: string } = {},
): RollCallCommand => ({
  type: 'RevertRollCall',
  ...correctionSender(o),
  ...(o.toVersion !== undefined && { toVersion: o.toVersion }),
  reason: o.reason ?? 'defaults resent by the app wiped the absences',
});

type StudentOptions = { studentId?: string; actor?: Actor };

export const reportAbsence = (
  o: StudentOptions & {
    factId?: string;
    from?: SlotBound;
    to?: SlotBound;
    classId?: string;
    reasonCode?: string;
    context?: Partial<AttendanceContext>;
  } = {},
): StudentAttendanceCommand => ({
  type: 'ReportAbsence',
  studentId: o.studentId ?? 's01',
  actor: o.actor ?? CPE,
  factId: o.factId ?? 'report-1',
  from: o.from ?? { date: MONDAY },
  to: o.to ?? o.from ?? { date: MONDAY },
  ...(o.classId !== undefined && { classId: o.classId }),
  ...(o.reasonCode !== undefined && { reasonCode: o.reasonCode }),
  context: attendanceContext(o.context),
});

export const recordEarlyDeparture = (
  o: StudentOptions & {
    factId?: string;
    date?: IsoDate;
    at?: string;
    context?: Partial<AttendanceContext>;
  } = {},
): StudentAttendanceCommand => ({
  type: 'RecordEarlyDeparture',
  studentId: o.studentId ?? 's01',
  actor: o.actor ?? CPE,
  factId: o.factId ?? 'departure-1',
  date: o.date ?? MONDAY,
  at: o.at ?? '14:30',
  authorisedBy: 'mother',
  context: attendanceContext(o.context),
});

export const recordInfirmaryVisit = (
  o: StudentOptions & {
    factId?: string;
    date?: IsoDate;
    from?: string;
    to?: string;
    context?: Partial<AttendanceContext>;
  } = {},
): StudentAttendanceCommand => ({
  type: 'RecordInfirmaryVisit',
  studentId: o.studentId ?? 's01',
  actor: o.actor ?? CPE,
  factId: o.factId ?? 'infirmary-1',
  date: o.date ?? MONDAY,
  from: o.from ?? '08:10',
  to: o.to ?? '08:50',
  context: attendanceContext(o.context),
});

export const recordCollectiveExemption = (
  o: StudentOptions & {
    factId?: string;
    exemptionId?: string;
    classOrGroupId?: string;
    label?: string;
    from?: SlotBound;
    to?: SlotBound;
    participating?: boolean;
    context?: Partial<AttendanceContext>;
  } = {},
): RecordCollectiveExemption => ({
  type: 'RecordCollectiveExemption',
  studentId: o.studentId ?? 's01',
  actor: o.actor ?? CPE,
  factId: o.factId ?? `outing-1-${o.studentId ?? 's01'}`,
  exemptionId: o.exemptionId ?? 'outing-1',
  classOrGroupId: o.classOrGroupId ?? CLASS,
  label: o.label ?? 'Musée de Strasbourg',
  from: o.from ?? { date: MONDAY, slotCode: 'M1' },
  to: o.to ?? { date: MONDAY, slotCode: 'M4' },
  ...(o.participating !== undefined && { participating: o.participating }),
  context: attendanceContext(o.context),
});

export const voidAttendanceFact = (
  o: StudentOptions & { factId: string; reason?: string },
): StudentAttendanceCommand => ({
  type: 'VoidAttendanceFact',
  studentId: o.studentId ?? 's01',
  actor: o.actor ?? CPE,
  factId: o.factId,
  reason: o.reason ?? 'recorded for the wrong student',
});

export const receiveJustification = (
  o: StudentOptions & {
    justificationId?: string;
    from?: DateHalfDay;
    to?: DateHalfDay;
    reasonCode?: string;
    receivedOn?: IsoDate;
  } = {},
): StudentAttendanceCommand => ({
  type: 'ReceiveJustification',
  studentId: o.studentId ?? 's01',
  actor: o.actor ?? CPE,
  justificationId: o.justificationId ?? 'just-1',
  from: o.from ?? { date: MONDAY, halfDay: 'AM' },
  to: o.to ?? o.from ?? { date: MONDAY, halfDay: 'PM' },
  reasonCode: o.reasonCode ?? 'MALADIE',
  source: 'family',
  receivedOn: o.receivedOn ?? MONDAY,
  context: justificationContext(),
});

export const acceptJustification = (
  o: StudentOptions & { justificationId?: string; reasonCode?: string; reason?: string } = {},
): StudentAttendanceCommand => ({
  type: 'AcceptJustification',
  studentId: o.studentId ?? 's01',
  actor: o.actor ?? CPE,
  justificationId: o.justificationId ?? 'just-1',
  ...(o.reasonCode !== undefined && { reasonCode: o.reasonCode }),
  ...(o.reason !== undefined && { reason: o.reason }),
  context: { reasons: REASONS },
});

export const rejectJustification = (
  o: StudentOptions & { justificationId?: string; reason?: string; note?: string } = {},
): StudentAttendanceCommand => ({
  type: 'RejectJustification',
  studentId: o.studentId ?? 's01',
  actor: o.actor ?? CPE,
  justificationId: o.justificationId ?? 'just-1',
  ...(o.reason !== undefined && { reason: o.reason }),
  ...(o.note !== undefined && { note: o.note }),
});

export const regulariseJustification = (
  o: StudentOptions & { justificationId?: string } = {},
): StudentAttendanceCommand => ({
  type: 'RegulariseJustification',
  studentId: o.studentId ?? 's01',
  actor: o.actor ?? CPE,
  justificationId: o.justificationId ?? 'just-1',
});

// ---- events, as the deciders write them ---------------------------------------------------------

const only = <E>(events: readonly E[]): E => {
  if (events.length !== 1) throw new Error(`expected one event, got ${events.length}`);
  return events[0];
};

/** The event a first roll call writes. */
export const rollCallTaken = (o: RollCallOptions = {}): RollCallTaken =>
  only(rollCallDecider.decide(takeRollCall(o), initialRollCall())) as RollCallTaken;

/** The amendment from one list to another (the first list taken by `previousActor`, the teacher by default). */
export const rollCallAmended = (
  o: RollCallOptions & { previous: { absent?: string[]; late?: Lateness[] }; previousActor?: Actor },
): RollCallAmended => {
  const state = rollCallDecider.evolve(
    initialRollCall(),
    rollCallTaken({
      ...o,
      absent: o.previous.absent ?? [],
      late: o.previous.late ?? [],
      actor: o.previousActor ?? TEACHER,
      reason: undefined,
    }),
  );
  return only(rollCallDecider.decide(takeRollCall(o), state)) as RollCallAmended;
};

export const rollCallVoided = (
  o: RollCallOptions & { reason?: string; voidedBy?: Actor } = {},
): RollCallVoided =>
  only(
    rollCallDecider.decide(
      voidRollCall({ reason: o.reason, actor: o.voidedBy }),
      rollCallDecider.evolve(initialRollCall(), rollCallTaken(o)),
    ),
  ) as RollCallVoided;

const firstStudentEvent = (
  command: StudentAttendanceCommand,
  given: readonly StudentAttendanceEvent[] = [],
) =>
  only(decideStudentAttendance(command, given.reduce(evolveStudentAttendance, initialStudentAttendance())));

export const absenceReported = (o: Parameters<typeof reportAbsence>[0] = {}): AbsenceReported =>
  firstStudentEvent(reportAbsence(o)) as AbsenceReported;

export const departureRecorded = (
  o: Parameters<typeof recordEarlyDeparture>[0] = {},
): DepartureDuringDayRecorded => firstStudentEvent(recordEarlyDeparture(o)) as DepartureDuringDayRecorded;

export const infirmaryVisitRecorded = (
  o: Parameters<typeof recordInfirmaryVisit>[0] = {},
): InfirmaryVisitRecorded => firstStudentEvent(recordInfirmaryVisit(o)) as InfirmaryVisitRecorded;

export const collectiveExemptionRecorded = (
  o: Parameters<typeof recordCollectiveExemption>[0] = {},
): CollectiveExemptionRecorded =>
  firstStudentEvent(recordCollectiveExemption(o)) as CollectiveExemptionRecorded;

export const justificationReceived = (
  o: Parameters<typeof receiveJustification>[0] = {},
): JustificationReceived => firstStudentEvent(receiveJustification(o)) as JustificationReceived;

export const justificationAccepted = (
  o: Parameters<typeof receiveJustification>[0] & { acceptedAs?: string } = {},
): JustificationAccepted =>
  firstStudentEvent(
    acceptJustification({
      studentId: o.studentId,
      justificationId: o.justificationId,
      reasonCode: o.acceptedAs,
    }),
    [justificationReceived(o)],
  ) as JustificationAccepted;

export const justificationRejected = (
  o: Parameters<typeof receiveJustification>[0] = {},
): JustificationRejected =>
  firstStudentEvent(rejectJustification({ studentId: o.studentId, justificationId: o.justificationId }), [
    justificationReceived(o),
  ]) as JustificationRejected;

export const attendanceFactVoided = (
  given: StudentAttendanceEvent,
  o: { reason?: string } = {},
): AttendanceFactVoided => {
  const factId =
    'factId' in given.data ? given.data.factId : (given.data as { justificationId: string }).justificationId;
  return firstStudentEvent(
    voidAttendanceFact({ studentId: given.data.studentId, factId, reason: o.reason }),
    [given],
  ) as AttendanceFactVoided;
};

// ---- the log, as the store records it -------------------------------------------------------------

/** Stream events given global positions and revisions, as `readAll` would return them. */
export const asRecorded = (events: readonly StreamEvent[], firstPosition = 1n): RecordedEvent[] => {
  const revisions = new Map<string, number>();
  return events.map(({ streamId, event }, i) => {
    const revision = (revisions.get(streamId) ?? -1) + 1;
    revisions.set(streamId, revision);
    return {
      id: `${event.metadata.commandId}-${revision}`,
      streamId,
      revision,
      position: firstPosition + BigInt(i),
      type: event.type,
      data: event.data as Record<string, unknown>,
      metadata: event.metadata,
    };
  });
};

// ---- an in-memory school: commands through the deciders, facts out --------------------------------

export type Lesson = { readonly classOrGroupId: string; readonly date: IsoDate; readonly slotCode: string };

const lessonOf = (command: RollCallCommand, lesson?: Lesson): Lesson => {
  if (lesson) return lesson;
  if (command.type !== 'TakeRollCall') throw new Error('a revert or a void needs the lesson it applies to');
  return { classOrGroupId: command.classOrGroupId, date: command.date, slotCode: command.slotCode };
};

/** The reason a correction carries into the event's metadata (voids, changed decisions). */
const correctionReasonOf = (command: StudentAttendanceCommand): string | undefined =>
  'reason' in command ? command.reason : undefined;

/**
 * Streams kept in memory and written through the pure deciders: what the engine would record,
 * without a store — for counting specs and properties.
 */
export class AttendanceBook {
  readonly rollCalls = new Map<string, RollCallEvent[]>();
  readonly students = new Map<string, StudentAttendanceEvent[]>();
  readonly log: StreamEvent[] = [];
  private clock = Date.UTC(2026, 10, 16, 7, 0, 0);

  rollCall(command: RollCallCommand, lesson?: Lesson): RollCallEvent[] {
    const { classOrGroupId, date, slotCode } = lessonOf(command, lesson);
    const streamId = rollCallStreamId(SCHOOL, classOrGroupId, date, slotCode);
    const history = this.rollCalls.get(streamId) ?? [];
    const events = [
      ...rollCallDecider.decide(
        command,
        history.reduce(rollCallDecider.evolve, rollCallDecider.initialState()),
      ),
    ];
    this.rollCalls.set(streamId, [...history, ...events]);
    this.record(streamId, events, command.actor, command.reason);
    return events;
  }

  student(command: StudentAttendanceCommand): StudentAttendanceEvent[] {
    const streamId = attendanceStreamId(SCHOOL, command.studentId);
    const history = this.students.get(command.studentId) ?? [];
    const events = decideStudentAttendance(command, this.studentState(command.studentId));
    this.students.set(command.studentId, [...history, ...events]);
    this.record(streamId, events, command.actor, correctionReasonOf(command));
    return events;
  }

  rollCallState(streamId: string): RollCall {
    return (this.rollCalls.get(streamId) ?? []).reduce(
      rollCallDecider.evolve,
      rollCallDecider.initialState(),
    );
  }

  studentState(studentId: string): StudentAttendance {
    return (this.students.get(studentId) ?? []).reduce(evolveStudentAttendance, initialStudentAttendance());
  }

  entriesOf(studentId: string): RollCallEntry[] {
    return [...this.rollCalls.keys()]
      .flatMap((id) => rollCallEntries(id, this.rollCallState(id)))
      .filter((entry) => entry.studentId === studentId);
  }

  count(studentId: string, settings: CountingSettingsTimeline = []): HalfDayTally[] {
    return countStudent({
      entries: this.entriesOf(studentId),
      attendance: this.studentState(studentId),
      settings,
    });
  }

  slots(studentId: string): ResolvedSlot[] {
    return resolveSlots(this.entriesOf(studentId), this.studentState(studentId));
  }

  private record(
    streamId: string,
    events: readonly { type: string; data: object }[],
    actor: Actor,
    reason?: string,
  ) {
    for (const event of events) {
      this.clock += 60_000;
      this.log.push({
        streamId,
        event: {
          type: event.type,
          data: event.data,
          metadata: metadataFor(
            actor,
            new Date(this.clock).toISOString(),
            `book-${this.log.length + 1}`,
            reason,
          ),
        },
      });
    }
  }
}

// ---- a real store, runner and read models, for projection tests --------------------------------

export type AttendanceHarness = {
  readonly store: EventStore;
  readonly db: Database;
  readonly runner: ProjectionRunner;
  readonly tables: TableNames<AttendanceTable>;
  readonly completenessTables: TableNames<'rollcalls'>;
  /** Takes a roll call (or amends it) on the lesson's stream, through `handleCommand`. */
  rollCall(
    command: RollCallCommand,
    lesson?: { classOrGroupId: string; date: IsoDate; slotCode: string },
  ): Promise<readonly RollCallEvent[]>;
  student(command: StudentAttendanceCommand): Promise<readonly StudentAttendanceEvent[]>;
  append(streamId: string, event: EventToAppend): Promise<void>;
  /** Brings every projection to the head of the log. */
  catchUp(): Promise<void>;
  close(): Promise<void>;
};

export const attendanceHarness = async (): Promise<AttendanceHarness> => {
  const dir = tempDir('registre-attendance-');
  const store = SqliteEventStore.open({ path: dir.file('events.db'), synchronous: 'normal' });
  const db = new BetterSqlite3(dir.file('read-models.db'));
  db.pragma('journal_mode = WAL');
  const runner = new ProjectionRunner({
    store,
    db,
    projections: [attendanceProjection, rollCallCompletenessProjection],
  });
  let commands = 0;
  let clock = Date.UTC(2026, 10, 16, 7, 0, 0);
  const ctx = (actor: Actor, reason?: string): CommandContext => {
    clock += 60_000;
    return {
      commandId: `cmd-${++commands}`,
      actor,
      schoolId: SCHOOL,
      now: new Date(clock),
      ...(reason !== undefined && { reason }),
    };
  };
  const harness: AttendanceHarness = {
    store,
    db,
    runner,
    get tables() {
      return runner.tables<AttendanceTable>(attendanceProjection.name);
    },
    get completenessTables() {
      return runner.tables<'rollcalls'>(rollCallCompletenessProjection.name);
    },
    async rollCall(command, lesson) {
      const target =
        lesson ??
        (command.type === 'TakeRollCall'
          ? { classOrGroupId: command.classOrGroupId, date: command.date, slotCode: command.slotCode }
          : undefined);
      if (!target) throw new Error('a revert or a void needs the lesson it applies to');
      const streamId = rollCallStreamId(SCHOOL, target.classOrGroupId, target.date, target.slotCode);
      const { reason } = command;
      return (await handleCommand(store, streamId, rollCallDecider, command, ctx(command.actor, reason)))
        .events;
    },
    async student(command) {
      const streamId = attendanceStreamId(SCHOOL, command.studentId);
      return (
        await handleCommand(
          store,
          streamId,
          studentAttendanceDecider,
          command,
          ctx(command.actor, correctionReasonOf(command)),
        )
      ).events;
    },
    async append(streamId, event) {
      await store.appendToStream(streamId, [event]);
    },
    catchUp: () => runner.catchUp(),
    async close() {
      await runner.stop();
      db.close();
      await store.close();
      dir.remove();
    },
  };
  return harness;
};

/** A `SettingChanged` of the school stream, as issue #3's settings write it. */
export const settingChanged = (
  key: string,
  value: unknown,
  effectiveFrom: IsoDate,
  at = '2026-09-01T06:00:00.000Z',
): EventToAppend => ({
  type: 'SettingChanged',
  data: { schoolId: SCHOOL, effectiveFrom, key, value },
  metadata: metadataFor(
    { id: 'principal-1', role: 'principal' },
    at,
    `setting-${key}-${effectiveFrom}-${value}`,
  ),
});

/** A read-model database in a temp dir with one projection set up, for applying events directly. */
export const scratchReadModel = <T extends string>(
  projection: { setup(db: Database, t: TableNames<T>): void },
  tables: TableNames<T>,
) => {
  const dir = tempDir('registre-attendance-rm-');
  const db = new BetterSqlite3(dir.file('read-models.db'));
  db.pragma('journal_mode = WAL');
  projection.setup(db, tables);
  return { db, close: () => (db.close(), dir.remove()) };
};

// ---- random histories and an oracle, for the properties ----------------------------------------

export const PROPERTY_DATES = ['2026-11-30', '2026-12-01', '2026-12-02'];
export const PROPERTY_STUDENTS = ['s01', 's02', 's03'];
const PROPERTY_SLOTS = ['M1', 'M2', 'S1', 'S2'];
const PROPERTY_TODAY = '2026-12-31';

export type AttendanceStep =
  | { readonly kind: 'rollCall'; readonly command: RollCallCommand; readonly lesson: Lesson }
  | { readonly kind: 'student'; readonly command: StudentAttendanceCommand }
  /** Voids whatever fact or justification the student has at that index, once the history is known. */
  | { readonly kind: 'voidAny'; readonly studentId: string; readonly index: number };

const lessonArbitrary = fc.record({
  classOrGroupId: fc.constant(CLASS),
  date: fc.constantFrom(...PROPERTY_DATES),
  slotCode: fc.constantFrom(...PROPERTY_SLOTS),
});
const actorArbitrary = fc.constantFrom(TEACHER, CPE);
const studentArbitrary = fc.constantFrom(...PROPERTY_STUDENTS);
const halfDayArbitrary = fc.record({
  date: fc.constantFrom(...PROPERTY_DATES),
  halfDay: fc.constantFrom('AM' as const, 'PM' as const),
});
const boundArbitrary = fc.record({
  date: fc.constantFrom(...PROPERTY_DATES),
  slotCode: fc.constantFrom(...SLOTS.map((s) => s.code)),
});
const factIdArbitrary = fc.constantFrom('f1', 'f2', 'f3');
const justificationIdArbitrary = fc.constantFrom('j1', 'j2');

const rollCallStep = fc
  .record({
    lesson: lessonArbitrary,
    absent: fc.subarray(PROPERTY_STUDENTS),
    late: fc.subarray(PROPERTY_STUDENTS),
    minutes: fc.integer({ min: 1, max: 30 }),
    actor: actorArbitrary,
    reason: fc.option(fc.constant('checked with the teacher'), { nil: undefined }),
    lateAsAbsence: fc.option(fc.constant(15), { nil: undefined }),
  })
  .map((r): AttendanceStep => ({
    kind: 'rollCall',
    lesson: r.lesson,
    command: takeRollCall({
      ...r.lesson,
      absent: r.absent,
      late: r.late
        .filter((s) => !r.absent.includes(s))
        .map((studentId) => ({ studentId, minutes: r.minutes })),
      actor: r.actor,
      reason: r.reason,
      context: { today: PROPERTY_TODAY, lateAsAbsenceAfterMinutes: r.lateAsAbsence },
    }),
  }));

const correctionStep = fc.oneof(
  fc
    .record({ lesson: lessonArbitrary, toVersion: fc.integer({ min: 1, max: 3 }) })
    .map((r): AttendanceStep => ({
      kind: 'rollCall',
      lesson: r.lesson,
      command: revertRollCall({ toVersion: r.toVersion }),
    })),
  lessonArbitrary.map((lesson): AttendanceStep => ({ kind: 'rollCall', lesson, command: voidRollCall() })),
);

const context = { today: PROPERTY_TODAY };

const studentStep = fc.oneof(
  fc
    .record({
      studentId: studentArbitrary,
      factId: factIdArbitrary,
      from: boundArbitrary,
      to: boundArbitrary,
    })
    .map((r): AttendanceStep => ({
      kind: 'student',
      command: reportAbsence({ ...r, factId: `report-${r.factId}`, context }),
    })),
  fc
    .record({
      studentId: studentArbitrary,
      factId: factIdArbitrary,
      date: fc.constantFrom(...PROPERTY_DATES),
      slot: fc.constantFrom(...SLOTS),
    })
    .map((r): AttendanceStep => ({
      kind: 'student',
      command: recordInfirmaryVisit({
        studentId: r.studentId,
        factId: `infirmary-${r.factId}`,
        date: r.date,
        from: r.slot.start,
        to: r.slot.end,
        context,
      }),
    })),
  fc
    .record({
      studentId: studentArbitrary,
      date: fc.constantFrom(...PROPERTY_DATES),
      at: fc.constantFrom('09:00', '14:30'),
    })
    .map((r): AttendanceStep => ({
      kind: 'student',
      command: recordEarlyDeparture({ ...r, factId: `departure-${r.date}`, context }),
    })),
  fc
    .record({ studentId: studentArbitrary, from: boundArbitrary, to: boundArbitrary })
    .map((r): AttendanceStep => ({
      kind: 'student',
      command: recordCollectiveExemption({
        ...r,
        factId: `outing-${r.from.date}`,
        exemptionId: `outing-${r.from.date}`,
        context,
      }),
    })),
  fc
    .record({ studentId: studentArbitrary, index: fc.nat(5) })
    .map((r): AttendanceStep => ({ kind: 'voidAny', ...r })),
  fc
    .record({
      studentId: studentArbitrary,
      justificationId: justificationIdArbitrary,
      from: halfDayArbitrary,
      to: halfDayArbitrary,
      reasonCode: fc.constantFrom('MALADIE', 'SORTIE_SCOLAIRE', 'NON_RECEVABLE'),
    })
    .map((r): AttendanceStep => ({ kind: 'student', command: receiveJustification(r) })),
  fc
    .record({
      studentId: studentArbitrary,
      justificationId: justificationIdArbitrary,
      reason: fc.option(fc.constant('certificate'), { nil: undefined }),
    })
    .map((r): AttendanceStep => ({ kind: 'student', command: acceptJustification(r) })),
  fc
    .record({
      studentId: studentArbitrary,
      justificationId: justificationIdArbitrary,
      reason: fc.option(fc.constant('forged'), { nil: undefined }),
    })
    .map((r): AttendanceStep => ({ kind: 'student', command: rejectJustification(r) })),
);

const ordered =
  <T>(key: (value: T) => string) =>
  (pair: [T, T]): [T, T] =>
    key(pair[0]) <= key(pair[1]) ? pair : [pair[1], pair[0]];

/** A family's justification and the CPE's decision on it, the usual pair. */
const justifyStep = fc
  .record({
    studentId: studentArbitrary,
    justificationId: justificationIdArbitrary,
    range: fc.tuple(halfDayArbitrary, halfDayArbitrary).map(ordered((h) => `${h.date}|${h.halfDay}`)),
    reasonCode: fc.constantFrom('MALADIE', 'TRANSPORT', 'SORTIE_SCOLAIRE'),
    accept: fc.boolean(),
  })
  .map(({ studentId, justificationId, range, reasonCode, accept }): AttendanceStep[] => [
    {
      kind: 'student',
      command: receiveJustification({ studentId, justificationId, from: range[0], to: range[1], reasonCode }),
    },
    {
      kind: 'student',
      command: accept
        ? acceptJustification({ studentId, justificationId })
        : rejectJustification({ studentId, justificationId }),
    },
  ]);

/** Any sequence of roll calls, amendments, reverts, voids, facts and justifications over three days. */
export const attendanceHistory = fc
  .array(
    fc.oneof(
      { weight: 4, arbitrary: rollCallStep.map((step) => [step]) },
      { weight: 1, arbitrary: correctionStep.map((step) => [step]) },
      { weight: 3, arbitrary: studentStep.map((step) => [step]) },
      { weight: 1, arbitrary: justifyStep },
    ),
    { maxLength: 30 },
  )
  .map((steps) => steps.flat());

/** Runs a step; a command the rules refuse is part of the history too, and changes nothing. */
export const runStep = (
  book: AttendanceBook,
  step: AttendanceStep,
): readonly { type: string }[] | 'refused' => {
  try {
    if (step.kind === 'voidAny') {
      const state = book.studentState(step.studentId);
      const ids = [...Object.keys(state.facts), ...Object.keys(state.justifications)].sort();
      if (ids.length === 0) return 'refused';
      return book.student(
        voidAttendanceFact({ studentId: step.studentId, factId: ids[step.index % ids.length] }),
      );
    }
    return step.kind === 'rollCall' ? book.rollCall(step.command, step.lesson) : book.student(step.command);
  } catch (error) {
    if (error instanceof DomainError) return 'refused';
    throw error;
  }
};

export type OracleHalfDay = {
  absent: boolean;
  justified: boolean;
  latenesses: number;
  missedMinutes: number;
};

/**
 * Half-days computed straight from the final facts, slot by slot over the whole grid, written apart
 * from `counting.ts` so that the two can disagree.
 */
export const oracleHalfDays = (
  book: AttendanceBook,
  studentId: string,
  mode: CountingMode,
): Map<string, OracleHalfDay> => {
  const state = book.studentState(studentId);
  const result = new Map<string, OracleHalfDay>();
  for (const date of PROPERTY_DATES) {
    for (const halfDay of ['AM', 'PM'] as const) {
      let counted = 0;
      let justifiedCount = 0;
      let everyObservedMissed = true;
      let latenesses = 0;
      let missedMinutes = 0;
      for (const slot of SLOTS.map((s) => resolveSlot(s)).filter((s) => s.halfDay === halfDay)) {
        const rollCall = book.rollCallState(rollCallStreamId(SCHOOL, CLASS, date, slot.code));
        const live = rollCall.status === 'taken' ? rollCall : undefined;
        const covering = Object.values(state.facts).filter(
          (f) => !f.voided && f.slots.some((s) => s.date === date && s.code === slot.code),
        );
        const reported = covering.some((f) => f.kind === 'absence_report' || f.kind === 'departure');
        // A student at home was not on the outing; the infirmary saw the student at school.
        const atSchool =
          covering.some((f) => f.kind === 'infirmary') ||
          (!reported && covering.some((f) => f.kind === 'collective_exemption'));
        const late = live?.list.late.find((l) => l.studentId === studentId);
        const lateTooMuch =
          late !== undefined &&
          live?.lateAsAbsenceAfterMinutes != null &&
          late.minutes > live.lateAsAbsenceAfterMinutes;
        const onList =
          live !== undefined &&
          (live.register.includes(studentId) || live.list.absent.includes(studentId) || late !== undefined);
        if (late && !lateTooMuch) latenesses++;
        const missed = atSchool
          ? false
          : onList
            ? live.list.absent.includes(studentId) || lateTooMuch
            : reported;
        const decisions = Object.values(state.justifications).filter(
          (j) =>
            !j.voided &&
            `${j.from.date}${j.from.halfDay}` <= `${date}${halfDay}` &&
            `${date}${halfDay}` <= `${j.to.date}${j.to.halfDay}` &&
            j.decision === 'accepted',
        );
        const excused = decisions.some(
          (j) => !j.accepted?.reasonFlags.countsAsAbsence || j.accepted?.reasonFlags.schoolResponsibility,
        );
        const countsHere = missed && !excused;
        if (onList && !countsHere) everyObservedMissed = false;
        if (countsHere) {
          counted++;
          missedMinutes += minutesBetween(slot.start, slot.end);
          if (decisions.length > 0) justifiedCount++;
        }
      }
      const absent = counted > 0 && (mode === 'gross' || everyObservedMissed);
      if (absent || latenesses > 0 || missedMinutes > 0)
        result.set(`${date}|${halfDay}`, {
          absent,
          justified: absent && justifiedCount === counted,
          latenesses,
          missedMinutes,
        });
    }
  }
  return result;
};

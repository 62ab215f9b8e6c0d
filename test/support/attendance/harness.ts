import BetterSqlite3, { Database } from 'better-sqlite3';
import {
  CountingSettingsTimeline,
  HalfDayTally,
  ResolvedSlot,
  RollCall,
  RollCallCommand,
  RollCallEntry,
  RollCallEvent,
  StudentAttendance,
  StudentAttendanceCommand,
  StudentAttendanceEvent,
  attendanceStreamId,
  countStudent,
  decideStudentAttendance,
  evolveStudentAttendance,
  initialStudentAttendance,
  resolveSlots,
  rollCallDecider,
  rollCallEntries,
  rollCallStreamId,
  studentAttendanceDecider,
} from '../../../src/domain/attendance';
import { Actor } from '../../../src/domain/shared/event';
import { EventStore, EventToAppend } from '../../../src/event-store/event-store';
import { CommandContext, handleCommand } from '../../../src/event-store/handle-command';
import { SqliteEventStore } from '../../../src/event-store/sqlite';
import { ProjectionRunner, TableNames } from '../../../src/projections';
import {
  AttendanceTable,
  attendanceProjection,
  rollCallCompletenessProjection,
} from '../../../src/projections/attendance';
import { SCHOOL, StreamEvent, metadataFor } from '../../../src/demo/attendance-year';
import { tempDir } from '../temp-db';
import { IsoDate } from '../../../src/domain/shared/calendar';

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

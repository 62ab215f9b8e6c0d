import { fold } from '../domain/shared/decider';
import { todayInParis } from '../domain/shared/clock';
import { DomainEvent } from '../domain/shared/event';
import { StructureExport } from '../domain/structure/import-file';
import {
  CurrentStructure,
  ImportPlan,
  planImportSteps,
  refuseMassDeparture,
} from '../domain/structure/import-plan';
import { schoolDecider, SchoolEvent, schoolStreamId } from '../domain/structure/school';
import { StudentEvent, studentDecider, StudentState, studentStreamId } from '../domain/structure/student';
import { EventStore } from '../event-store/event-store';
import { CommandContext, CommandLogger, handleCommand } from '../event-store/handle-command';
import { ImportKind, readExportFile } from './read-export';
import { runStepsYielding, STEPS_BETWEEN_YIELDS, yieldToEventLoop } from './yielding';
import { IsoDate } from '../domain/shared/calendar';

export interface ImportRequest {
  readonly kind: ImportKind;
  readonly bytes: Uint8Array;
  readonly schoolId: string;
  /** Date from which moves, group changes and departures take effect (default: the file's export date). */
  readonly effectiveDate?: IsoDate;
  /** Plan only: nothing is written. */
  readonly dryRun?: boolean;
  /** Students missing from a students file have left (default true). */
  readonly departMissing?: boolean;
  /** Write a students file that records more students as left than the departure guard allows. */
  readonly allowMassDeparture?: boolean;
}

export interface ImportDependencies {
  readonly store: EventStore;
  /** Every student id the school has had, from the read model (the store cannot list streams). */
  readonly knownStudentIds: (schoolId: string) => Promise<readonly string[]> | readonly string[];
  readonly logger?: CommandLogger;
  /** Student commands sent at once: the SQLite store commits them together (group commit). */
  readonly concurrency?: number;
  readonly onProgress?: (done: number, total: number) => void;
  /** Unpacks and reads the file (default: on this thread); the API reads it in a worker thread. */
  readonly readFile?: (kind: ImportKind, bytes: Uint8Array) => Promise<StructureExport>;
}

export interface ImportReport {
  /** The correlation id shared by every event of this import: review or reverse it as one unit. */
  readonly importId: string;
  readonly dryRun: boolean;
  readonly plan: ImportPlan;
  readonly commands: number;
  readonly eventsWritten: number;
  /** Global position of the last event written (for read-your-writes), 0 when nothing was. */
  readonly position: bigint;
}

/**
 * The school and every student it has had or that the file names, folded from their streams; the
 * event loop turns every STEPS_BETWEEN_YIELDS students (the SQLite store reads synchronously).
 */
export const loadCurrentStructure = async (
  store: EventStore,
  schoolId: string,
  studentIds: Iterable<string>,
): Promise<CurrentStructure> => {
  const school = fold(
    schoolDecider,
    (await store.readStream(schoolStreamId(schoolId))) as unknown as SchoolEvent[],
  );
  const students = new Map<string, StudentState>();
  let read = 0;
  for (const studentId of new Set(studentIds)) {
    if (++read % STEPS_BETWEEN_YIELDS === 0) await yieldToEventLoop();
    const events = (await store.readStream(
      studentStreamId(schoolId, studentId),
    )) as unknown as StudentEvent[];
    if (events.length > 0) students.set(studentId, fold(studentDecider, events));
  }
  return { school, students };
};

const studentIdsIn = (file: StructureExport): string[] =>
  file.format === 'siecle' || file.format === 'csv' ? file.students.map((s) => s.studentId) : [];

/**
 * Reads the file, plans against the streams, and (unless a dry run) sends the plan: the school's
 * command first, then one command per student. Every command carries the import's correlation id
 * and a command id derived from it, so that sending the same import again changes nothing. A file
 * refused at reading or planning writes nothing.
 */
export const runImport = async (
  deps: ImportDependencies,
  request: ImportRequest,
  ctx: CommandContext,
): Promise<ImportReport> => {
  const file = await (deps.readFile ?? readExportFile)(request.kind, request.bytes);
  const knownIds =
    file.format === 'siecle' || file.format === 'csv' ? await deps.knownStudentIds(request.schoolId) : [];
  const current = await loadCurrentStructure(deps.store, request.schoolId, [
    ...knownIds,
    ...studentIdsIn(file),
  ]);
  const plan = await runStepsYielding(
    planImportSteps(file, current, {
      schoolId: request.schoolId,
      today: todayInParis(ctx.now),
      ...(request.effectiveDate !== undefined ? { effectiveDate: request.effectiveDate } : {}),
      ...(request.departMissing !== undefined ? { departMissing: request.departMissing } : {}),
      ...(request.allowMassDeparture ? { allowMassDeparture: true } : {}),
    }),
  );
  const importId = ctx.correlationId ?? ctx.commandId;
  const base: ImportReport = {
    importId,
    dryRun: request.dryRun === true,
    plan,
    commands: 0,
    eventsWritten: 0,
    position: 0n,
  };
  if (request.dryRun) return base;
  refuseMassDeparture(plan);

  const total = (plan.school ? 1 : 0) + plan.students.length;
  let done = 0;
  let eventsWritten = 0;
  let position = 0n;
  const send = async <C, S, E extends DomainEvent>(
    streamId: string,
    decider: { initialState: () => S; evolve: (s: S, e: E) => S; decide: (c: C, s: S) => readonly E[] },
    command: C,
    name: string,
  ) => {
    const result = await handleCommand(
      deps.store,
      streamId,
      decider,
      command,
      {
        ...ctx,
        commandId: `${ctx.commandId}:${streamId}`,
        correlationId: importId,
        causationId: ctx.commandId,
      },
      { ...(deps.logger ? { logger: deps.logger } : {}), commandName: name },
    );
    eventsWritten += result.events.length;
    if (result.position > position) position = result.position;
    deps.onProgress?.(++done, total);
  };

  deps.onProgress?.(0, total);
  if (plan.school)
    await send(plan.school.streamId, schoolDecider, plan.school.command, 'ImportSchoolStructure');
  const queue = [...plan.students];
  const worker = async () => {
    try {
      for (let next = queue.shift(); next; next = queue.shift())
        await send(next.streamId, studentDecider, next.command, 'ImportStudent');
    } catch (error) {
      queue.length = 0;
      throw error;
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, deps.concurrency ?? 32) }, worker));
  return { ...base, commands: total, eventsWritten, position };
};

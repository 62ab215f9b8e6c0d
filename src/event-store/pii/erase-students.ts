import type { Database } from 'better-sqlite3';
import { erasureDecider, erasureStreamId } from '../../domain/privacy/erasure';
import { PII_EVENT_TYPES } from '../../domain/privacy/pii-fields';
import { notFound } from '../../domain/shared/domain-error';
import { Actor } from '../../domain/shared/event';
import { studentStreamId } from '../../domain/structure/student';
import { ALL_EVENT_TYPES, Projection } from '../../projections/projection';
import { ProjectionRunner } from '../../projections/projection-runner';
import { handleCommand } from '../handle-command';
import { PiiProtectingStore } from './pii-protecting-store';
import { forgetRebuildRows, lastRebuildId } from '../../projections/rebuild-diff';

export interface ErasureRequest {
  readonly schoolId: string;
  readonly studentIds: readonly string[];
  /** Kept in clear in the erasure event: say why (end of retention), never who. */
  readonly reason: string;
  readonly actor: Actor;
  readonly now: Date;
}

export interface StudentErasure {
  readonly studentId: string;
  /** Position of the StudentErased event (of the first one, for a student erased before). */
  readonly position: bigint;
  readonly alreadyErased: boolean;
  /** False when the student had no key: nothing of theirs had been sealed (or it was deleted before). */
  readonly keyDeleted: boolean;
}

export interface ErasureReport {
  readonly students: readonly StudentErasure[];
  /** Projections rebuilt from the log, which now reads the students as pseudonyms. */
  readonly rebuilt: readonly string[];
  /** A WAL could not be emptied because another connection still reads it: run again with the service stopped. */
  readonly keysWalBusy: boolean;
  readonly readModelsWalBusy: boolean;
}

export interface ErasureResources {
  readonly store: PiiProtectingStore;
  readonly readModels: Database;
  readonly runner: ProjectionRunner;
  readonly projections: readonly Projection[];
}

/** The read models that may hold a student's personal data: those fed by an event that carries some. */
export const holdsPersonalData = (projection: Projection): boolean =>
  projection.handles.some((type) => type === ALL_EVENT_TYPES || PII_EVENT_TYPES.includes(type));

/**
 * Erases students at the end of their retention period, without rewriting the log:
 * 1. appends `StudentErased` (reason, actor; nothing personal) to `erasure-{uai}-{studentId}`;
 * 2. deletes each student's key, then compacts the keys file — from then on every copy of the log,
 *    backups included, holds for them only ciphertext that nothing can open;
 * 3. rebuilds the read models that held their data (the log now reads them as pseudonyms, so ids,
 *    rows and counts stay what they were), forgets the rows rebuilds recorded of them (the rows these
 *    rebuilds changed, and what earlier ones kept of these students), then VACUUMs the read models'
 *    file and empties its WAL.
 * Run again, it appends nothing more and finishes what a run cut short did not.
 */
export async function eraseStudents(
  { store, readModels, runner, projections }: ErasureResources,
  request: ErasureRequest,
): Promise<ErasureReport> {
  const { schoolId, reason, actor, now } = request;
  const studentIds = [...new Set(request.studentIds)];
  for (const studentId of studentIds) {
    const stream = await store.readStream(studentStreamId(schoolId, studentId), { maxCount: 1 });
    if (stream.length === 0)
      throw notFound('ERASURE.STUDENT_UNKNOWN', `no student ${studentId} in school ${schoolId}`, {
        schoolId,
        studentId,
      });
  }
  const students: StudentErasure[] = [];
  for (const studentId of studentIds) {
    const commandId = `erase-student-${schoolId}-${studentId}`;
    const result = await handleCommand(
      store,
      erasureStreamId(schoolId, studentId),
      erasureDecider,
      { type: 'EraseStudent', data: { schoolId, studentId, reason, actor } },
      { commandId, actor, schoolId, now, reason },
    );
    const keyDeleted = store.keys.erase(schoolId, studentId, now.toISOString());
    students.push({
      studentId,
      position: result.position,
      alreadyErased: result.events.length === 0,
      keyDeleted,
    });
  }
  const keys = store.keys.compact();
  await runner.catchUp();
  const rebuilt = projections.filter(holdsPersonalData).map((projection) => projection.name);
  const afterRebuildId = lastRebuildId(readModels);
  // Started together, the builds share one read of the log.
  await Promise.all(rebuilt.map((name) => runner.rebuild(name)));
  // What these rebuilds changed is the students' data in clear, before and after: not kept.
  forgetRebuildRows(readModels, { afterRebuildId, schoolId, studentIds });
  readModels.exec('VACUUM');
  const [checkpoint] = readModels.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
  return { students, rebuilt, keysWalBusy: keys.walBusy, readModelsWalBusy: checkpoint.busy !== 0 };
}

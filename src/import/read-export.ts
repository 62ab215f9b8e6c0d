import { DEFAULT_IMPORT_SETTINGS } from '../config';
import { DomainError, invalid } from '../domain/shared/domain-error';
import { StructureExport } from '../domain/structure/import-file';
import { readStudentsCsv } from './csv';
import { readSiecleExport } from './siecle';
import { readStsExport } from './sts';
import { ImportLimits, unpackExport } from './unpack';

export type ImportKind = 'siecle' | 'sts' | 'csv';
export const IMPORT_KINDS: readonly ImportKind[] = ['siecle', 'sts', 'csv'];

/** Reads a national export or a CSV into the shape the import plan works on; throws IMPORT.* errors naming the line. */
export const readExport = (kind: ImportKind, bytes: Uint8Array): StructureExport => {
  switch (kind) {
    case 'siecle':
      return readSiecleExport(bytes);
    case 'sts':
      return readStsExport(bytes);
    case 'csv':
      return readStudentsCsv(bytes);
    default: {
      const exhaustive: never = kind;
      return exhaustive;
    }
  }
};

/**
 * No school has more than a few thousand students: a file listing more than `maxStudents` is refused
 * where it is read (the import's worker thread), before any planning on the thread serving HTTP.
 */
export const refuseTooManyStudents = (file: StructureExport, maxStudents: number): StructureExport => {
  if ((file.format === 'siecle' || file.format === 'csv') && file.students.length > maxStudents)
    throw invalid(
      'IMPORT.TOO_MANY_STUDENTS',
      `the file lists ${file.students.length} students, more than the ${maxStudents} an import takes (REGISTRE_IMPORT_MAX_STUDENTS)`,
      { students: file.students.length, maxStudents },
    );
  return file;
};

/**
 * A file as a school sends it (possibly SIECLE's ZIP), unpacked and read. Whatever reading throws is
 * the file's fault: an IMPORT.* error, never a crash.
 */
export const readExportFile = async (
  kind: ImportKind,
  bytes: Uint8Array,
  limits?: ImportLimits,
): Promise<StructureExport> => {
  try {
    return refuseTooManyStudents(
      readExport(kind, await unpackExport(kind, bytes, limits)),
      limits?.maxStudents ?? DEFAULT_IMPORT_SETTINGS.maxStudents,
    );
  } catch (error) {
    if (error instanceof DomainError) throw error;
    throw invalid(
      'IMPORT.UNREADABLE',
      `the file cannot be read: ${error instanceof Error ? error.message : String(error)}`,
      {},
    );
  }
};

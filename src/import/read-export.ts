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
const refuseStudentCount = (students: number, maxStudents: number): void => {
  if (students > maxStudents)
    throw invalid(
      'IMPORT.TOO_MANY_STUDENTS',
      `the file lists ${students} students, more than the ${maxStudents} an import takes (REGISTRE_IMPORT_MAX_STUDENTS)`,
      { students, maxStudents },
    );
};

const AFTER_TAG_NAME = new Set([0x20, 0x09, 0x0a, 0x0d, 0x2f, 0x3e]); // space, tab, LF, CR, '/', '>'

/** How many `<name …>` start tags the bytes hold (ISO-8859-x and UTF-8 write them alike), without parsing. */
export const countStartTags = (bytes: Uint8Array, name: string): number => {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const open = `<${name}`;
  let count = 0;
  for (let at = buffer.indexOf(open); at !== -1; at = buffer.indexOf(open, at + open.length))
    if (AFTER_TAG_NAME.has(buffer[at + open.length])) count += 1;
  return count;
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
  const maxStudents = limits?.maxStudents ?? DEFAULT_IMPORT_SETTINGS.maxStudents;
  try {
    const unpacked = await unpackExport(kind, bytes, limits);
    // A SIECLE file's ELEVE are counted before it is parsed: a 60,000-student file is refused at once,
    // without building its tree.
    if (kind === 'siecle') refuseStudentCount(countStartTags(unpacked, 'ELEVE'), maxStudents);
    const file = readExport(kind, unpacked);
    if (file.format === 'siecle' || file.format === 'csv')
      refuseStudentCount(file.students.length, maxStudents);
    return file;
  } catch (error) {
    if (error instanceof DomainError) throw error;
    throw invalid(
      'IMPORT.UNREADABLE',
      `the file cannot be read: ${error instanceof Error ? error.message : String(error)}`,
      {},
    );
  }
};

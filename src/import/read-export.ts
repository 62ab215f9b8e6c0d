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
 * A file as a school sends it (possibly SIECLE's ZIP), unpacked and read. Whatever reading throws is
 * the file's fault: an IMPORT.* error, never a crash.
 */
export const readExportFile = async (
  kind: ImportKind,
  bytes: Uint8Array,
  limits?: ImportLimits,
): Promise<StructureExport> => {
  try {
    return readExport(kind, await unpackExport(kind, bytes, limits));
  } catch (error) {
    if (error instanceof DomainError) throw error;
    throw invalid(
      'IMPORT.UNREADABLE',
      `the file cannot be read: ${error instanceof Error ? error.message : String(error)}`,
      {},
    );
  }
};

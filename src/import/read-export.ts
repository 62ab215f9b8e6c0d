import { StructureExport } from '../domain/structure/import-file';
import { readStudentsCsv } from './csv';
import { readSiecleExport } from './siecle';
import { readStsExport } from './sts';

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

import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Exports that schools really produced, published by other projects (../shared/real-exports/README.md). */
export const REAL_EXPORTS = join(__dirname, '..', '..', '..', 'shared', 'real-exports');
export const realExport = (path: string): Buffer => readFileSync(join(REAL_EXPORTS, path));
export const NOMENCLATURE_ZIP = 'siecle/ExportXML_Nomenclature_arago_2018-19.zip';

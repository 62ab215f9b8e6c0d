import { Global, Module } from '@nestjs/common';
import { join } from 'node:path';
import { IMPORT_READER_SCRIPT } from '../../src/api/structure/structure.module';
import { ImportReaderScript } from '../../src/import/reader/import-reader';

/** The import reading thread from its TypeScript source, as `serve` runs it compiled. */
export const TS_IMPORT_READER: ImportReaderScript = {
  filename: join(__dirname, '..', '..', 'src', 'import', 'reader', 'import-reader.thread.ts'),
  execArgv: ['--require', join(__dirname, 'register-ts.js')],
};

/** Gives the test app's import reader its TypeScript thread. */
@Global()
@Module({
  providers: [{ provide: IMPORT_READER_SCRIPT, useValue: TS_IMPORT_READER }],
  exports: [IMPORT_READER_SCRIPT],
})
export class TsImportReaderModule {}

import { DomainError } from '../../src/domain/shared/domain-error';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const FIXTURES = join(__dirname, '..', 'fixtures', 'siecle');

export const fixture = (name: string): Buffer => readFileSync(join(FIXTURES, name));

export const AUGUST_EXPORT = 'ElevesSansAdresses-2026-08-28.xml';
export const NOVEMBER_EXPORT = 'ElevesSansAdresses-2026-11-16.xml';
export const STS_EXPORT = 'sts_emp_0670001A_2026.xml';

/** Edits an ISO-8859-15 fixture without changing its encoding (the edits are ASCII). */
export const editedFixture = (name: string, edit: (text: string) => string): Buffer =>
  Buffer.from(edit(fixture(name).toString('latin1')), 'latin1');

/** The DomainError a call throws (sync or async); fails the test when it throws nothing. */
export const refusalOf = async (run: () => unknown): Promise<DomainError> => {
  try {
    await run();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
};

/** The August export with only the students `keep` lists (a file cut to a few students). */
export const onlyStudents = (...keep: string[]): Buffer =>
  editedFixture(AUGUST_EXPORT, (text) =>
    text
      .replace(/<ELEVE ELEVE_ID="(\d+)"[\s\S]*?<\/ELEVE>/g, (block, id: string) =>
        keep.includes(id) ? block : '',
      )
      .replace(/<STRUCTURES_ELEVE ELEVE_ID="(\d+)"[\s\S]*?<\/STRUCTURES_ELEVE>/g, (block, id: string) =>
        keep.includes(id) ? block : '',
      ),
  );

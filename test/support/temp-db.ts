import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TempDir {
  readonly dir: string;
  /** A path inside the directory (the file itself is not created). */
  file(name: string): string;
  remove(): void;
}

/** A fresh directory under the OS temp dir, for real SQLite files in tests. */
export function tempDir(prefix = 'registre-'): TempDir {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return {
    dir,
    file: (name) => join(dir, name),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

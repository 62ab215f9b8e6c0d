import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const run = (tool: string, args: readonly string[]): string => {
  const result = spawnSync(tool, args, { encoding: 'utf8' });
  if (result.error !== undefined) {
    throw new Error(
      `${tool} is required to read the report cards back (apt-get install -y poppler-utils): ${result.error.message}`,
    );
  }
  if (result.status !== 0) throw new Error(`${tool} ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout;
};

export interface PdfReadBack {
  readonly pages: number;
  /** Each page's text as `pdftotext -layout` lays it out, first page first. */
  readonly pageTexts: readonly string[];
  readonly info: string;
  readonly fonts: string;
}

/**
 * Reads a PDF back with Debian's poppler-utils (pdfinfo, pdftotext, pdffonts). CI installs them
 * (`.ci/run`); a machine without them fails the test rather than skipping it.
 */
export const readPdf = (pdf: Buffer): PdfReadBack => {
  const dir = mkdtempSync(join(tmpdir(), 'registre-report-card-'));
  try {
    const file = join(dir, 'report-cards.pdf');
    writeFileSync(file, pdf);
    const info = run('pdfinfo', [file]);
    const pages = Number(/^Pages:\s+(\d+)$/m.exec(info)?.[1]);
    const pageTexts = Array.from({ length: pages }, (_, index) =>
      run('pdftotext', [
        '-layout',
        '-enc',
        'UTF-8',
        '-f',
        String(index + 1),
        '-l',
        String(index + 1),
        file,
        '-',
      ]),
    );
    return { pages, pageTexts, info, fonts: run('pdffonts', [file]) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

/** Runs of spaces (the layout's columns, no-break ones included) as one space, so that a check reads like the page. */
export const squeezed = (text: string): string => text.replace(/[ \t\u00a0\u202f]+/g, ' ');

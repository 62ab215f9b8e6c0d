import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The fonts the report cards embed: DejaVu Sans Condensed (free licence, assets/fonts/LICENSE),
 * vendored in the repository so that a server without fonts installed renders the same PDF.
 * PDF's standard Helvetica is WinAnsi-encoded and cannot print œ, « », or the narrow no-break space
 * French typography puts before « : ».
 */
export interface ReportCardFonts {
  readonly regular: Buffer;
  readonly bold: Buffer;
}

/** assets/fonts, from src/report-cards (ts-node, jest) or dist/src/report-cards (the build). */
const fontsDir = (): string => {
  const candidates = [
    join(__dirname, '..', '..', 'assets', 'fonts'),
    join(__dirname, '..', '..', '..', 'assets', 'fonts'),
  ];
  const found = candidates.find((dir) => existsSync(join(dir, 'DejaVuSansCondensed.ttf')));
  if (!found) throw new Error(`report-card fonts not found in ${candidates.join(' or ')}`);
  return found;
};

let loaded: ReportCardFonts | undefined;

/** Read once per process. */
export const reportCardFonts = (): ReportCardFonts => {
  if (!loaded) {
    const dir = fontsDir();
    loaded = {
      regular: readFileSync(join(dir, 'DejaVuSansCondensed.ttf')),
      bold: readFileSync(join(dir, 'DejaVuSansCondensed-Bold.ttf')),
    };
  }
  return loaded;
};

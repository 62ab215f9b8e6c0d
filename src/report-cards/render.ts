import PDFDocument from 'pdfkit';
import { notFound } from '../domain/shared/domain-error';
import { reportCardFonts } from './fonts';
import { POSITIONING_WORDS, frenchAverage, frenchDate, socleLevelWord, studentName } from './format';
import { ReportCardClass, ReportCardStudent, ReportCardSubject } from './report-card-input';

type Doc = PDFKit.PDFDocument;

/*
 * A4 portrait, 30 pt margins. The page is laid out top to bottom with a cursor: header, subject
 * table, general average, socle grid, then the school-life and council boxes side by side. Twelve
 * subjects with appreciations of three or four lines fit on one page; a student whose rows run past
 * the bottom (long appreciations, many subjects) continues on a page headed "(suite)", the table
 * header repeated, and no block is split across pages except the table between rows.
 */
const PAGE_WIDTH = 595.28;
const PAGE_HEIGHT = 841.89;
const MARGIN = 30;
const WIDTH = PAGE_WIDTH - 2 * MARGIN;
/** A little short of pdfkit's own limit, so that pdfkit never adds a page on its own. */
const BOTTOM = PAGE_HEIGHT - MARGIN - 2;
const PAD = 2.5;
/** Appreciations are the longest text of a row: a size that gives a 200-character one three lines. */
const APPRECIATION_SIZE = 7.2;

const INK = '#111111';
const GREY = '#555555';
const RULE = '#b8b8b8';
const BAND = '#e9eef5';
const ZEBRA = '#f6f6f6';

const REGULAR = 'Regular';
const BOLD = 'Bold';

/** The subject table's columns, left to right; the appreciation takes what is left. */
const COLUMNS = (() => {
  const discipline = 106;
  const average = 46;
  const classStats = 58;
  const positioning = 86;
  const appreciation = WIDTH - discipline - average - classStats - positioning;
  let x = MARGIN;
  const at = (width: number) => {
    const column = { x, width };
    x += width;
    return column;
  };
  return {
    discipline: at(discipline),
    average: at(average),
    classStats: at(classStats),
    positioning: at(positioning),
    appreciation: at(appreciation),
  };
})();

/** A narrow no-break space, before « : » as French typography wants it. */
const NNBSP = '\u202f';
const colon = (label: string) => `${label}${NNBSP}:`;

const setFont = (doc: Doc, font: string, size: number, color = INK): Doc =>
  doc.font(font).fontSize(size).fillColor(color);

const heightOf = (doc: Doc, font: string, size: number, text: string, width: number): number => {
  setFont(doc, font, size);
  return text === '' ? 0 : doc.heightOfString(text, { width, lineGap: 0.5 });
};

const write = (
  doc: Doc,
  text: string,
  x: number,
  y: number,
  width: number,
  style: { font?: string; size: number; color?: string; align?: 'left' | 'center' | 'right' },
): number => {
  if (text === '') return 0;
  setFont(doc, style.font ?? REGULAR, style.size, style.color ?? INK);
  const height = doc.heightOfString(text, { width, lineGap: 0.5 });
  doc.text(text, x, y, { width, align: style.align ?? 'left', lineGap: 0.5, height: height + 1 });
  return height;
};

interface Page {
  y: number;
}

class StudentLayout {
  private readonly page: Page = { y: MARGIN };

  constructor(
    private readonly doc: Doc,
    private readonly input: ReportCardClass,
    private readonly student: ReportCardStudent,
  ) {}

  render(): void {
    this.doc.addPage();
    this.header();
    this.subjectTable();
    this.socle();
    this.bottomBoxes();
  }

  /** Starts a continuation page when `height` no longer fits; true when it did. */
  private ensure(height: number): boolean {
    if (this.page.y + height <= BOTTOM) return false;
    this.doc.addPage();
    this.page.y = MARGIN;
    const { doc, input, student } = this;
    write(doc, `${studentName(student)} (suite)`, MARGIN, this.page.y, WIDTH / 2, { font: BOLD, size: 10 });
    write(
      doc,
      `${input.class.label} · ${input.period.label} · ${input.schoolYear}`,
      MARGIN + WIDTH / 2,
      this.page.y + 1,
      WIDTH / 2,
      {
        size: 8,
        color: GREY,
        align: 'right',
      },
    );
    this.page.y += 18;
    return true;
  }

  private header(): void {
    const { doc, input, student } = this;
    let y = MARGIN;
    write(doc, input.school.name, MARGIN, y, WIDTH * 0.6, { font: BOLD, size: 11 });
    write(doc, `Bulletin — ${input.period.label}`, MARGIN + WIDTH * 0.4, y, WIDTH * 0.6, {
      font: BOLD,
      size: 11,
      align: 'right',
    });
    y += 14;
    write(doc, `UAI ${input.school.uai}`, MARGIN, y, WIDTH / 2, { size: 7.5, color: GREY });
    write(
      doc,
      `Année scolaire ${input.schoolYear} · du ${frenchDate(input.period.start)} au ${frenchDate(input.period.end)}`,
      MARGIN + WIDTH / 2,
      y,
      WIDTH / 2,
      { size: 7.5, color: GREY, align: 'right' },
    );
    y += 13;
    const bandHeight = student.birthDate ? 30 : 22;
    doc.rect(MARGIN, y, WIDTH, bandHeight).fill(BAND);
    write(doc, studentName(student), MARGIN + 6, y + 5, WIDTH * 0.65, { font: BOLD, size: 12.5 });
    if (student.birthDate) {
      write(doc, `Né(e) le ${frenchDate(student.birthDate)}`, MARGIN + 6, y + 20, WIDTH * 0.6, {
        size: 7.5,
        color: GREY,
      });
    }
    write(doc, `${colon('Classe')} ${input.class.label}`, MARGIN + WIDTH * 0.6, y + 6, WIDTH * 0.4 - 6, {
      font: BOLD,
      size: 10.5,
      align: 'right',
    });
    y += bandHeight + 3;
    if (student.moved) {
      y += write(doc, student.moved, MARGIN + 6, y, WIDTH - 12, { size: 7.5, color: GREY }) + 2;
    }
    this.page.y = y + 4;
  }

  private tableHeader(): void {
    const { doc } = this;
    const y = this.page.y;
    const height = 20;
    doc.rect(MARGIN, y, WIDTH, height).fill('#d9dee6');
    const label = (text: string, column: { x: number; width: number }, align: 'left' | 'center') =>
      write(
        doc,
        text,
        column.x + PAD + 1,
        y + (text.includes('\n') ? 2.5 : 6.5),
        column.width - 2 * PAD - 2,
        {
          font: BOLD,
          size: 7.5,
          align,
        },
      );
    label('Discipline', COLUMNS.discipline, 'left');
    label('Moyenne', COLUMNS.average, 'center');
    label('Classe\nmin – max', COLUMNS.classStats, 'center');
    label('Positionnement', COLUMNS.positioning, 'center');
    label('Appréciation', COLUMNS.appreciation, 'left');
    this.page.y = y + height;
  }

  private positioningText(subject: ReportCardSubject): { text: string; suggested: boolean } {
    if (subject.positioning !== null)
      return { text: POSITIONING_WORDS[subject.positioning], suggested: false };
    if (subject.positioningSuggested !== null) {
      return { text: `${POSITIONING_WORDS[subject.positioningSuggested]} (suggéré)`, suggested: true };
    }
    return { text: '', suggested: false };
  }

  private subjectRowHeight(subject: ReportCardSubject): number {
    const { doc } = this;
    const inner = (column: { width: number }) => column.width - 2 * PAD - 2;
    const discipline =
      heightOf(doc, BOLD, 8, subject.label, inner(COLUMNS.discipline)) +
      heightOf(doc, REGULAR, 7, subject.teacher, inner(COLUMNS.discipline));
    const positioning = heightOf(
      doc,
      REGULAR,
      7.5,
      this.positioningText(subject).text,
      inner(COLUMNS.positioning),
    );
    const appreciation = heightOf(
      doc,
      REGULAR,
      APPRECIATION_SIZE,
      subject.appreciation,
      inner(COLUMNS.appreciation),
    );
    return Math.max(22, discipline, positioning, appreciation) + 2 * PAD;
  }

  private subjectTable(): void {
    const { doc, input, student } = this;
    this.tableHeader();
    student.subjects.forEach((subject, index) => {
      const height = this.subjectRowHeight(subject);
      if (this.ensure(height)) this.tableHeader();
      const y = this.page.y;
      if (index % 2 === 1) doc.rect(MARGIN, y, WIDTH, height).fill(ZEBRA);
      const x = (column: { x: number }) => column.x + PAD + 1;
      const w = (column: { width: number }) => column.width - 2 * PAD - 2;
      const top = y + PAD;
      const labelHeight = write(doc, subject.label, x(COLUMNS.discipline), top, w(COLUMNS.discipline), {
        font: BOLD,
        size: 8,
      });
      write(doc, subject.teacher, x(COLUMNS.discipline), top + labelHeight, w(COLUMNS.discipline), {
        size: 7,
        color: GREY,
      });
      write(
        doc,
        frenchAverage(subject.average, input.rounding) || '—',
        x(COLUMNS.average),
        top + 4,
        w(COLUMNS.average),
        {
          font: BOLD,
          size: 10,
          align: 'center',
        },
      );
      write(
        doc,
        frenchAverage(subject.classAverage, input.rounding) || '—',
        x(COLUMNS.classStats),
        top + 1,
        w(COLUMNS.classStats),
        {
          size: 8,
          align: 'center',
        },
      );
      if (subject.min !== null && subject.max !== null) {
        write(
          doc,
          `${frenchAverage(subject.min, input.rounding)} – ${frenchAverage(subject.max, input.rounding)}`,
          x(COLUMNS.classStats),
          top + 11,
          w(COLUMNS.classStats),
          { size: 7, color: GREY, align: 'center' },
        );
      }
      const positioning = this.positioningText(subject);
      write(doc, positioning.text, x(COLUMNS.positioning), top + 1, w(COLUMNS.positioning), {
        size: 7.5,
        color: positioning.suggested ? GREY : INK,
        align: 'center',
      });
      write(doc, subject.appreciation, x(COLUMNS.appreciation), top, w(COLUMNS.appreciation), {
        size: APPRECIATION_SIZE,
      });
      doc
        .moveTo(MARGIN, y + height)
        .lineTo(MARGIN + WIDTH, y + height)
        .lineWidth(0.4)
        .strokeColor(RULE)
        .stroke();
      this.page.y = y + height;
    });
    this.generalAverage();
  }

  private generalAverage(): void {
    const { doc, input, student } = this;
    const height = 20;
    this.ensure(height);
    const y = this.page.y;
    doc.rect(MARGIN, y, WIDTH, height).fill(BAND);
    write(doc, 'Moyenne générale', COLUMNS.discipline.x + PAD + 1, y + 5.5, COLUMNS.discipline.width, {
      font: BOLD,
      size: 8.5,
    });
    write(
      doc,
      frenchAverage(student.general.average, input.rounding) || '—',
      COLUMNS.average.x,
      y + 4,
      COLUMNS.average.width,
      {
        font: BOLD,
        size: 11,
        align: 'center',
      },
    );
    write(
      doc,
      frenchAverage(student.general.classAverage, input.rounding) || '—',
      COLUMNS.classStats.x,
      y + 5.5,
      COLUMNS.classStats.width,
      { font: BOLD, size: 8.5, align: 'center' },
    );
    this.page.y = y + height + 8;
  }

  /** Four cells a row: the component's label on two lines at most, then its level as boxes and words. */
  private socle(): void {
    const { doc, student } = this;
    if (student.socle.length === 0) return;
    const perRow = 4;
    const cellHeight = 30;
    const rows = Math.ceil(student.socle.length / perRow);
    const cellWidth = WIDTH / perRow;
    this.ensure(14 + rows * cellHeight);
    write(doc, 'Maîtrise des composantes du socle commun', MARGIN, this.page.y, WIDTH, {
      font: BOLD,
      size: 9,
    });
    const top = this.page.y + 13;
    student.socle.forEach((entry, index) => {
      const x = MARGIN + (index % perRow) * cellWidth;
      const y = top + Math.floor(index / perRow) * cellHeight;
      doc.rect(x, y, cellWidth, cellHeight).lineWidth(0.4).strokeColor(RULE).stroke();
      setFont(doc, REGULAR, 6.5);
      doc.text(entry.label, x + 3, y + 2, { width: cellWidth - 6, height: 16, lineGap: 0, ellipsis: true });
      for (let level = 1; level <= 4; level++) {
        const filled = entry.level !== null && entry.level >= level;
        doc.rect(x + 3 + (level - 1) * 7.5, y + 20.5, 5.5, 5.5).lineWidth(0.5);
        if (filled) doc.fillAndStroke('#3c6ea8', '#3c6ea8');
        else doc.strokeColor(RULE).stroke();
      }
      write(doc, socleLevelWord(entry.level), x + 35, y + 19.5, cellWidth - 38, {
        font: entry.level === null ? REGULAR : BOLD,
        size: 7,
        color: entry.level === null ? GREY : INK,
      });
    });
    this.page.y = top + rows * cellHeight + 8;
  }

  private bottomBoxes(): void {
    const { doc, student } = this;
    const life = student.schoolLife;
    const leftWidth = 168;
    const gap = 8;
    const rightX = MARGIN + leftWidth + gap;
    const rightWidth = WIDTH - leftWidth - gap;
    const lifeLines = [
      { text: 'Demi-journées d’absence', bold: false },
      { text: `  ${colon('justifiées')} ${life.justifiedHalfDays}`, bold: false },
      {
        text: `  ${colon('non justifiées')} ${life.unjustifiedHalfDays}`,
        bold: life.unjustifiedHalfDays > 0,
      },
      { text: `${colon('Retards')} ${life.latenesses}`, bold: false },
      ...(life.openAlerts > 0
        ? [{ text: `${colon('Alertes en cours')} ${life.openAlerts}`, bold: true }]
        : []),
    ];
    const leftHeight = 16 + lifeLines.length * 10.5 + PAD;
    const council = student.council;
    const mention = council.mention ? `${colon('Mention')} ${council.mention}` : '';
    const textWidth = rightWidth - 12;
    const rightHeight =
      16 +
      (mention ? heightOf(doc, BOLD, 8.5, mention, textWidth) + 3 : 0) +
      heightOf(doc, REGULAR, 8, council.synthesis, textWidth) +
      (council.date ? 14 : 0) +
      PAD;
    const height = Math.max(leftHeight, rightHeight, 60);
    this.ensure(height);
    const y = this.page.y;
    doc.rect(MARGIN, y, leftWidth, height).lineWidth(0.6).strokeColor(RULE).stroke();
    doc.rect(rightX, y, rightWidth, height).lineWidth(0.6).strokeColor(RULE).stroke();
    write(doc, 'Vie scolaire', MARGIN + 6, y + 5, leftWidth - 12, { font: BOLD, size: 9 });
    lifeLines.forEach((line, index) =>
      write(doc, line.text, MARGIN + 6, y + 18 + index * 10.5, leftWidth - 12, {
        font: line.bold ? BOLD : REGULAR,
        size: 8,
      }),
    );
    write(doc, 'Avis du conseil de classe', rightX + 6, y + 5, textWidth, { font: BOLD, size: 9 });
    const mentionHeight = mention
      ? write(doc, mention, rightX + 6, y + 18, textWidth, { font: BOLD, size: 8.5, color: '#1d4f8a' }) + 3
      : 0;
    write(doc, council.synthesis, rightX + 6, y + 18 + mentionHeight, textWidth, { size: 8 });
    if (council.date) {
      write(doc, `Conseil de classe du ${frenchDate(council.date)}`, rightX + 6, y + height - 12, textWidth, {
        size: 7,
        color: GREY,
        align: 'right',
      });
    }
    this.page.y = y + height;
  }
}

const newDocument = (input: ReportCardClass, title: string): Doc => {
  const issued = new Date(`${input.issuedOn ?? input.period.end}T00:00:00Z`);
  const doc = new PDFDocument({
    size: 'A4',
    layout: 'portrait',
    margins: { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN },
    autoFirstPage: false,
    info: {
      Title: title,
      Author: input.school.name,
      Subject: `${input.class.label} · ${input.period.label} · ${input.schoolYear}`,
      Creator: 'Registre',
      Producer: 'Registre (pdfkit)',
      CreationDate: issued,
      ModDate: issued,
    },
  });
  const fonts = reportCardFonts();
  doc.registerFont(REGULAR, fonts.regular);
  doc.registerFont(BOLD, fonts.bold);
  return doc;
};

/** The document's bytes, once `draw` has laid out its pages. */
const produce = (doc: Doc, draw: () => void): Promise<Buffer> => {
  const bytes = new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  draw();
  doc.end();
  return bytes;
};

/** One student's report card: A4 portrait, one page, more when the subjects overflow. */
export const renderStudentReportCard = async (input: ReportCardClass, studentId: string): Promise<Buffer> => {
  const student = input.students.find((candidate) => candidate.studentId === studentId);
  if (!student) {
    throw notFound(
      'REPORT_CARD.STUDENT_UNKNOWN',
      `No report card for student ${studentId} in ${input.class.label}`,
      {
        studentId,
        classId: input.class.id,
      },
    );
  }
  const doc = newDocument(input, `Bulletin — ${studentName(student)} — ${input.period.label}`);
  return produce(doc, () => new StudentLayout(doc, input, student).render());
};

/** The whole class in one PDF, in the input's order, each student starting on a new page. */
export const renderClassReportCards = async (input: ReportCardClass): Promise<Buffer> => {
  const doc = newDocument(input, `Bulletins — ${input.class.label} — ${input.period.label}`);
  return produce(doc, () => {
    for (const student of input.students) new StudentLayout(doc, input, student).render();
    if (input.students.length === 0) {
      doc.addPage();
      write(doc, `${input.class.label} · ${input.period.label}${NNBSP}: aucun élève`, MARGIN, MARGIN, WIDTH, {
        size: 10,
      });
    }
  });
};

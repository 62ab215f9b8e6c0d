import PDFDocument from 'pdfkit';
import { reportCardFonts } from '../src/report-cards/fonts';
import { POSITIONING_WORDS, frenchAverage, socleLevelWord, studentName } from '../src/report-cards/format';
import { ReportCardClass } from '../src/report-cards/report-card-input';
import { renderClassReportCards } from '../src/report-cards/render';
import { sampleReportCardClass } from '../src/report-cards/sample-class';
import { Figure, Scenario, median, now, seconds } from './harness';

/**
 * The baseline: pdfkit writing every string a report card prints, with the same embedded fonts, one
 * page per student, as one flowing text: no measuring, no table, no boxes. What is left is the
 * layout's own cost.
 */
const plainPdf = (input: ReportCardClass): Promise<Buffer> => {
  const doc = new PDFDocument({ size: 'A4', autoFirstPage: false, info: { CreationDate: new Date(0) } });
  const fonts = reportCardFonts();
  doc.registerFont('Regular', fonts.regular);
  doc.registerFont('Bold', fonts.bold);
  const bytes = new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  for (const student of input.students) {
    doc.addPage().font('Regular').fontSize(7);
    const lines = [
      input.school.name,
      studentName(student),
      ...student.subjects.map((subject) =>
        [
          subject.label,
          subject.teacher,
          frenchAverage(subject.average, input.rounding),
          frenchAverage(subject.classAverage, input.rounding),
          subject.positioning === null ? '' : POSITIONING_WORDS[subject.positioning],
          subject.appreciation,
        ].join(' '),
      ),
      ...student.socle.map((entry) => `${entry.label} ${socleLevelWord(entry.level)}`),
      student.council.synthesis,
    ];
    doc.text(lines.join('\n'), 50, 50, { width: 495 });
  }
  doc.end();
  return bytes;
};

/** Seconds to print a class's report cards (median of `runs`), and the same for the plain baseline. */
export const timeClassReportCards = async (
  students: number,
  runs = 5,
): Promise<{ seconds: number; baselineSeconds: number; bytes: number }> => {
  const input = sampleReportCardClass(students);
  await renderClassReportCards(input); // warm-up: fonts read, code compiled
  await plainPdf(input);
  const layout: number[] = [];
  const plain: number[] = [];
  let bytes = 0;
  for (let run = 0; run < runs; run++) {
    let t = now();
    bytes = (await renderClassReportCards(input)).length;
    layout.push(seconds(t));
    t = now();
    await plainPdf(input);
    plain.push(seconds(t));
  }
  return { seconds: median(layout), baselineSeconds: median(plain), bytes };
};

/** Issue 12: the report cards of a 35-student class, 12 subjects each, one PDF, in seconds. */
export const reportCards = (students: number): Scenario => ({
  name: 'report-cards',
  settings: { students, subjects: 12, socleComponents: 8, format: 'A4, one page per student' },
  async run() {
    const timing = await timeClassReportCards(students);
    const figures: Figure[] = [
      {
        key: 'report_cards_class_seconds',
        label: `report cards of a ${students}-student class, one PDF`,
        value: timing.seconds,
        unit: 's',
        better: 'lower',
      },
      {
        key: 'report_cards_plain_seconds',
        label: 'baseline: pdfkit writing the same text, same fonts, no layout',
        value: timing.baselineSeconds,
        unit: 's',
        better: 'lower',
      },
      {
        key: 'report_cards_class_bytes',
        label: 'size of the class PDF (fonts embedded as subsets)',
        value: timing.bytes,
        unit: 'B',
        better: 'lower',
      },
    ];
    return figures;
  },
});

/** `node dist/bench/report-cards.bench.js [students]`: the figure alone, without the whole bench. */
if (require.main === module) {
  const students = Number(process.argv[2] ?? 35);
  void timeClassReportCards(students).then((timing) =>
    console.log(
      `report cards of ${students} students: ${timing.seconds.toFixed(3)} s (plain pdfkit, same text: ${timing.baselineSeconds.toFixed(3)} s), ${timing.bytes} bytes`,
    ),
  );
}

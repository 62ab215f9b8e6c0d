import { councilTableCsv, renderClassReportCards, renderStudentReportCard } from '../../src/report-cards';
import { sampleReportCardClass } from '../../src/report-cards/sample-class';
import { DomainError } from '../../src/domain/shared/domain-error';
import { CLASS_4B } from './fixtures';
import { readPdf, squeezed } from './pdf-text';

/** A page's lines, spaces squeezed, blank lines dropped. */
const linesOf = (page: string): string[] =>
  squeezed(page)
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');

describe('report cards of a class (PDF read back with pdftotext)', () => {
  it('prints one page per student, each with its own figures, accents and the council’s words', async () => {
    // given 4e B's three students
    // when the class's report cards are printed
    const pdf = await renderClassReportCards(CLASS_4B);

    // then there is one page per student, in the input's order
    const read = readPdf(pdf);
    expect(read.pages).toBe(3);
    const [lea, ines, theo] = read.pageTexts.map(linesOf);

    // and Léa's page shows her averages rounded with a decimal comma, the class's, her positioning
    expect(lea).toEqual(
      expect.arrayContaining([
        'Collège Marie-Curie Bulletin — 1er trimestre',
        'UAI 0670001A Année scolaire 2026-2027 · du 01/09/2026 au 30/11/2026',
        'DUPONT Léa Classe : 4e B',
        'Né(e) le 14/03/2013',
        'Français 11,20 Objectifs atteints Élève sérieuse ; l’écrit est soigné, « oser » l’oral.',
        'Mme Lefèvre 12,35 4,50 – 17,00',
        'Mathématiques 10,88 Objectifs dépassés Excellent trimestre.',
        'M. Lœillet 16,00 3,00 – 19,50',
        'Moyenne générale 14,17 11,04',
        'Très bonne maîtrise Maîtrise satisfaisante Très bonne maîtrise Maîtrise fragile',
        'Maîtrise satisfaisante Maîtrise satisfaisante Dispensé Non évalué',
        'Demi-journées d’absence Mention : Félicitations',
        'justifiées : 2 Très bon trimestre, félicitations pour ce travail.',
        'non justifiées : 1',
        'Retards : 3 Conseil de classe du 10/12/2026',
      ]),
    );
    // and Inès's page: her arrival, no maths average, the suggested positioning marked as such, her alert
    expect(ines).toEqual(
      expect.arrayContaining([
        "N'DIAYE Inès Classe : 4e B",
        'Arrivée de 4e A le 05/11/2026',
        'Mme Lefèvre 8,13 4,50 – 17,00 partiellement atteints',
        'M. Lœillet — 3,00 – 19,50 partiellement atteints',
        '(suggéré)',
        'Moyenne générale 8,13 11,04',
        'Demi-journées d’absence Un début d’année difficile ; le conseil attend un travail plus régulier.',
        'non justifiées : 4',
        'Alertes en cours : 1 Conseil de classe du 10/12/2026',
      ]),
    );
    expect(ines.join('\n')).not.toContain('Mention');
    // and Théo's page, with the accent of his capitalised name
    expect(theo).toEqual(
      expect.arrayContaining([
        'LEFÈVRE Théo Classe : 4e B',
        'Français 11,20 Objectifs non atteints Travail insuffisant.',
        'Mme Lefèvre 9,99 4,50 – 17,00',
        'M. Lœillet 7,50 3,00 – 19,50 partiellement atteints',
        'Moyenne générale 8,75 11,04',
        'Demi-journées d’absence Mention : Encouragements',
        'justifiées : 6 Des progrès sont attendus.',
        'Retards : 1 Conseil de classe du 10/12/2026',
      ]),
    );
    // and no student's figures leak onto another's page
    expect(lea.join('\n')).not.toContain('Inès');
    expect(theo.join('\n')).not.toContain('16,00');
  });

  it('embeds its fonts (subsets of DejaVu Sans Condensed) and dates the file from the input, not the clock', async () => {
    // given 4e B's report cards, issued on 11 December 2026
    // when they are printed twice
    const first = await renderClassReportCards(CLASS_4B);
    const second = await renderClassReportCards(CLASS_4B);

    // then both files are the same bytes
    expect(first.equals(second)).toBe(true);
    // and every font is embedded, as a subset, with a Unicode map (what makes accents extractable)
    const read = readPdf(first);
    const fonts = read.fonts
      .split('\n')
      .slice(2)
      .filter((line) => line.trim() !== '');
    expect(fonts).toHaveLength(2);
    for (const font of fonts)
      expect(font).toMatch(/DejaVuSansCondensed(-Bold)?\s+CID TrueType\s+Identity-H\s+yes yes yes/);
    // and the creation date is the issue date
    expect(read.info).toMatch(/^CreationDate:\s+Fri Dec 11 00:00:00 2026 UTC$/m);
    expect(read.info).toMatch(/^Title:\s+Bulletins — 4e B — 1er trimestre$/m);
    expect(read.info).toMatch(/^Page size:\s+595\.28 x 841\.89 pts \(A4\)$/m);
  });

  it('prints a 35-student class of 12 subjects each on 35 pages, every student on their own page', async () => {
    // given the 35-student sample class, 12 subjects each with appreciations of about 130 characters
    const input = sampleReportCardClass(35);

    // when the class's report cards are printed
    const pdf = await renderClassReportCards(input);

    // then there are 35 pages, the n-th naming the n-th student
    const read = readPdf(pdf);
    expect(read.pages).toBe(35);
    const first = linesOf(read.pageTexts[0]).join('\n');
    expect(first).toContain('MARTIN Léa Classe : 4e B');
    expect(first).toContain('Mme Lefèvre 6,01 4,25 – 18,50');
    expect(first).toContain('Moyenne générale 8,92 12,05');
    const last = linesOf(read.pageTexts[34]).join('\n');
    expect(last).toContain('SIMON-DUBOIS Théo Classe : 4e B');
    expect(last).toContain('M. Lœillet 11,42 4,25 – 18,50');
    expect(read.pageTexts.filter((page) => page.includes('(suite)'))).toHaveLength(0);
  });
});

describe('one student’s report card', () => {
  it('is that student’s page alone', async () => {
    // given 4e B
    // when Théo's report card is printed
    const read = readPdf(await renderStudentReportCard(CLASS_4B, 's03'));

    // then it is one page, his
    expect(read.pages).toBe(1);
    expect(linesOf(read.pageTexts[0])).toEqual(
      expect.arrayContaining(['LEFÈVRE Théo Classe : 4e B', 'Moyenne générale 8,75 11,04']),
    );
    expect(read.info).toMatch(/^Title:\s+Bulletin — LEFÈVRE Théo — 1er trimestre$/m);
  });

  it('fits 12 subjects with 250-character appreciations on one page', async () => {
    // given a student with 12 subjects, each appreciation 250 characters long, and a 300-character synthesis
    const input = withAppreciations(sampleReportCardClass(1), 250, 300);

    // when the report card is printed
    const read = readPdf(await renderStudentReportCard(input, 'S001'));

    // then it is one page
    expect(read.pages).toBe(1);
  });

  it('continues on a second page, headed "(suite)", when the appreciations do not fit on one', async () => {
    // given a student with 12 subjects, each appreciation 600 characters long
    const input = withAppreciations(sampleReportCardClass(1), 600, 300);

    // when the report card is printed
    const read = readPdf(await renderStudentReportCard(input, 'S001'));

    // then the table goes on to a second page, which names the student and repeats the table's header
    expect(read.pages).toBe(2);
    const second = linesOf(read.pageTexts[1]);
    expect(second[0]).toBe('MARTIN Léa (suite) 4e B · 1er trimestre · 2026-2027');
    expect(second).toEqual(expect.arrayContaining(['Discipline Moyenne Positionnement Appréciation']));
    expect(second.join('\n')).toContain('Avis du conseil de classe');
  });

  it('is refused for a student who is not in the class', async () => {
    // given 4e B
    // when the report card of a student not in it is asked for
    // then it is refused, naming the student
    await expect(renderStudentReportCard(CLASS_4B, 's99')).rejects.toThrow(DomainError);
    await expect(renderStudentReportCard(CLASS_4B, 's99')).rejects.toMatchObject({
      code: 'REPORT_CARD.STUDENT_UNKNOWN',
      kind: 'not_found',
      details: { studentId: 's99', classId: 'C4B' },
    });
  });
});

describe('council table CSV', () => {
  it('has one row per student, French numbers, a BOM, `;` between cells and formulas neutralised', () => {
    // given 4e B, one of whose students is named like a formula
    const input = {
      ...CLASS_4B,
      students: CLASS_4B.students.map((student) =>
        student.studentId === 's03'
          ? { ...student, lastName: '=HYPERLINK("x")', firstName: 'Théo; Jean' }
          : student,
      ),
    };

    // when the council table is exported
    const csv = councilTableCsv(input);

    // then it is, byte for byte:
    expect(csv).toBe(
      '\ufeffNom;Prénom;Français;Mathématiques;Moyenne générale;Demi-journées justifiées;Demi-journées non justifiées;Retards;Mention\r\n' +
        'Dupont;Léa;12,35;16,00;14,17;2;1;3;Félicitations\r\n' +
        "N'Diaye;Inès;8,13;;8,13;0;4;0;\r\n" +
        '"\'=HYPERLINK(""x"")";"Théo; Jean";9,99;7,50;8,75;6;0;1;Encouragements\r\n',
    );
  });

  it('rounds as the school says: to the half point above', () => {
    // given 4e B, in a school that rounds averages up to the next half point
    const input = { ...CLASS_4B, rounding: { mode: 'up' as const, step: 0.5 as const } };

    // when the council table is exported
    const rows = councilTableCsv(input).split('\r\n');

    // then 12.345 is 12,5, 15.996 is 16,0, 8.125 is 8,5, 14.1705 is 14,5
    expect(rows[1]).toBe('Dupont;Léa;12,5;16,0;14,5;2;1;3;Félicitations');
    expect(rows[2]).toBe("N'Diaye;Inès;8,5;;8,5;0;4;0;");
  });
});

const withAppreciations = (
  input: ReturnType<typeof sampleReportCardClass>,
  appreciationLength: number,
  synthesisLength: number,
) => {
  const words = 'Un travail sérieux et régulier ; des progrès nets à l’écrit, l’oral reste à travailler. ';
  const text = (length: number) => words.repeat(Math.ceil(length / words.length)).slice(0, length);
  return {
    ...input,
    students: input.students.map((student) => ({
      ...student,
      subjects: student.subjects.map((subject) => ({ ...subject, appreciation: text(appreciationLength) })),
      council: { ...student.council, synthesis: text(synthesisLength) },
    })),
  };
};

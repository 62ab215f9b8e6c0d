import BetterSqlite3 from 'better-sqlite3';
import { tableNamesFor } from '../../../src/projections/projection';
import {
  enrolmentsProjection,
  readMembersDuring,
  readStudentsOfClassOn,
  readTeaching,
  schoolStructureProjection,
} from '../../../src/projections/structure';

const SCHOOL = '0670001A';

describe('the students of a class during a period', () => {
  const db = new BetterSqlite3(':memory:');
  const t = tableNamesFor(enrolmentsProjection);
  beforeAll(() => {
    enrolmentsProjection.setup(db, t);
    const student = db.prepare(
      `INSERT INTO "${t.students}" VALUES (?, ?, NULL, ?, ?, NULL, 'enrolled', NULL)`,
    );
    const member = db.prepare(`INSERT INTO "${t.class_memberships}" VALUES (?, ?, ?, ?, ?, ?)`);
    const rows: [string, string, string, string, string | null][] = [
      ['z1', 'ZIMMER', 'Paul', '2026-09-01', null],
      ['e1', 'ÉTIENNE', 'Léa', '2026-09-01', null],
      ['d1', 'Dupré', 'Noé', '2026-09-01', '2026-10-15'],
      ['d2', 'DUPONT', 'Inès', '2026-10-15', null],
      ['x1', 'ARRIVÉ', 'Tard', '2026-12-01', null],
    ];
    rows.forEach(([id, last, first, from, until], index) => {
      student.run(SCHOOL, id, last, first);
      member.run(SCHOOL, id, index + 1, '5B', from, until);
    });
  });
  afterAll(() => db.close());

  it('lists them in French order, accents with their letter, with the spans they were in the class', () =>
    expect(readMembersDuring(db, t, SCHOOL, 'class', '5B', '2026-09-01', '2026-11-30')).toEqual([
      {
        studentId: 'd2',
        lastName: 'DUPONT',
        firstName: 'Inès',
        spans: [{ from: '2026-10-15', until: null }],
      },
      {
        studentId: 'd1',
        lastName: 'Dupré',
        firstName: 'Noé',
        spans: [{ from: '2026-09-01', until: '2026-10-15' }],
      },
      {
        studentId: 'e1',
        lastName: 'ÉTIENNE',
        firstName: 'Léa',
        spans: [{ from: '2026-09-01', until: null }],
      },
      {
        studentId: 'z1',
        lastName: 'ZIMMER',
        firstName: 'Paul',
        spans: [{ from: '2026-09-01', until: null }],
      },
    ]));

  it('lists the roster of a day in French order too', () =>
    expect(
      readStudentsOfClassOn(db, t, SCHOOL, '5B', '2026-11-02').map((s) => `${s.lastName} ${s.firstName}`),
    ).toEqual(['DUPONT Inès', 'ÉTIENNE Léa', 'ZIMMER Paul']));
});

describe("the school's teachers and staff", () => {
  it('are listed in French order, accents with their letter', () => {
    const db = new BetterSqlite3(':memory:');
    const t = tableNamesFor(schoolStructureProjection);
    schoolStructureProjection.setup(db, t);
    for (const [id, last, first] of [
      ['t1', 'ZOLA', 'Émile'],
      ['t2', 'ÉLUARD', 'Paul'],
      ['t3', 'Eco', 'Umberto'],
      ['t4', 'DURAS', 'Marguerite'],
    ]) {
      db.prepare(`INSERT INTO "${t.teachers}" VALUES (?, ?, ?, ?)`).run(SCHOOL, id, last, first);
      db.prepare(`INSERT INTO "${t.staff}" VALUES (?, ?, ?, ?, 'CPE')`).run(SCHOOL, `s${id}`, last, first);
    }
    const teaching = readTeaching(db, t, SCHOOL);
    db.close();

    expect(teaching.teachers.map((teacher) => teacher.lastName)).toEqual(['DURAS', 'Eco', 'ÉLUARD', 'ZOLA']);
    expect(teaching.staff.map((member) => member.lastName)).toEqual(['DURAS', 'Eco', 'ÉLUARD', 'ZOLA']);
  });
});

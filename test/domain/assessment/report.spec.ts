import {
  AppreciationWritten,
  PositioningSet,
  reportDecider,
  SetPositioning,
  WriteAppreciation,
} from '../../../src/domain/assessment';
import { deciderSpec } from '../../support/decider-spec';
import { AUDITOR, CPE, ENROLLED, MARTIN_SCOPE, OTHER_TEACHER, PRINCIPAL, TEACHER } from './fixtures';

const spec = deciderSpec(reportDecider);
const REPORT = { classId: '5B', subjectId: 'MATHS', periodId: 'T1' };

const setPositioning = (overrides: Partial<SetPositioning> = {}): SetPositioning => ({
  type: 'SetPositioning',
  actor: TEACHER,
  actorScope: MARTIN_SCOPE,
  ...REPORT,
  studentId: 's01',
  positioning: 3,
  suggested: 4,
  context: { students: ENROLLED },
  ...overrides,
});

const positioningSet = (overrides: Partial<PositioningSet['data']> = {}): PositioningSet => ({
  type: 'PositioningSet',
  data: {
    ...REPORT,
    studentId: 's01',
    positioning: 3,
    previous: null,
    suggested: 4,
    reason: null,
    setBy: TEACHER,
    ...overrides,
  },
});

const writeAppreciation = (text: string, overrides: Partial<WriteAppreciation> = {}): WriteAppreciation => ({
  type: 'WriteAppreciation',
  actor: TEACHER,
  actorScope: MARTIN_SCOPE,
  ...REPORT,
  studentId: 's01',
  text,
  context: { students: ENROLLED },
  ...overrides,
});

const appreciationWritten = (
  text: string,
  overrides: Partial<AppreciationWritten['data']> = {},
): AppreciationWritten => ({
  type: 'AppreciationWritten',
  data: { ...REPORT, studentId: 's01', text, previous: null, reason: null, writtenBy: TEACHER, ...overrides },
});

describe('the final positioning', () => {
  it('keeps the teacher’s positioning beside the suggestion they saw', () =>
    spec
      .given()
      .when(setPositioning())
      .then([
        {
          type: 'PositioningSet',
          data: {
            classId: '5B',
            subjectId: 'MATHS',
            periodId: 'T1',
            studentId: 's01',
            positioning: 3,
            previous: null,
            suggested: 4,
            reason: null,
            setBy: TEACHER,
          },
        },
      ]));

  it('changes it, withdraws it, and records nothing when it is the same', () => {
    spec
      .given(positioningSet())
      .when(setPositioning({ positioning: 4 }))
      .then([positioningSet({ positioning: 4, previous: 3 })]);
    spec
      .given(positioningSet())
      .when(setPositioning({ positioning: null }))
      .then([positioningSet({ positioning: null, previous: 3 })]);
    spec.given(positioningSet()).when(setPositioning()).then([]);
  });

  it('refuses a positioning outside 1–4 and a student who was not in the class', () => {
    spec
      .given()
      .when(setPositioning({ positioning: 5 as never }))
      .thenThrows('REPORT.POSITIONING_INVALID', 'invalid');
    spec
      .given()
      .when(setPositioning({ studentId: 's09' }))
      .thenThrows('REPORT.STUDENT_NOT_IN_CLASS', 'conflict');
  });

  it('is the subject’s teacher’s to set, or the principal’s; after the council, the principal’s with a reason', () => {
    spec
      .given()
      .when(setPositioning({ actor: OTHER_TEACHER, actorScope: { classes: ['5B'], subjects: ['FRANCAIS'] } }))
      .thenThrows('ASSESSMENT.NOT_SUBJECT_TEACHER', 'forbidden');
    for (const actor of [CPE, AUDITOR])
      spec.given().when(setPositioning({ actor })).thenThrows('ASSESSMENT.ROLE_FORBIDDEN', 'forbidden');
    const closed = { students: ENROLLED, periodClosed: true };
    spec
      .given()
      .when(setPositioning({ context: closed }))
      .thenThrows('ASSESSMENT.PERIOD_CLOSED', 'forbidden');
    spec
      .given()
      .when(setPositioning({ actor: PRINCIPAL, context: closed, reason: 'council decision' }))
      .then([positioningSet({ setBy: PRINCIPAL, reason: 'council decision' })]);
  });
});

describe('the subject appreciation', () => {
  it('records the trimmed text, and replaces the teacher’s own draft without a reason', () => {
    spec
      .given()
      .when(writeAppreciation('  Bon trimestre, travail régulier.  '))
      .then([appreciationWritten('Bon trimestre, travail régulier.')]);
    spec
      .given(appreciationWritten('Bon trimestre.'))
      .when(writeAppreciation('Très bon trimestre.'))
      .then([appreciationWritten('Très bon trimestre.', { previous: 'Bon trimestre.' })]);
    spec.given(appreciationWritten('Bon trimestre.')).when(writeAppreciation('Bon trimestre.')).then([]);
  });

  it('keeps to the LSU’s 600 characters', () => {
    spec
      .given()
      .when(writeAppreciation('a'.repeat(600)))
      .then([appreciationWritten('a'.repeat(600))]);
    spec
      .given()
      .when(writeAppreciation('a'.repeat(601)))
      .thenThrows('REPORT.APPRECIATION_TOO_LONG', 'invalid');
  });

  it('refuses control characters and bidirectional overrides, and allows line breaks', () => {
    spec.given().when(writeAppreciation('Bien\u202e')).thenThrows('REPORT.APPRECIATION_INVALID', 'invalid');
    spec
      .given()
      .when(writeAppreciation('Bien.\nÀ poursuivre.'))
      .then([appreciationWritten('Bien.\nÀ poursuivre.')]);
  });

  it('needs a reason to replace what someone else wrote', () => {
    spec
      .given(appreciationWritten('Bon trimestre.'))
      .when(writeAppreciation('Trimestre moyen.', { actor: PRINCIPAL }))
      .thenThrows('ASSESSMENT.REASON_REQUIRED', 'conflict');
    spec
      .given(appreciationWritten('Bon trimestre.'))
      .when(writeAppreciation('Trimestre moyen.', { actor: PRINCIPAL, reason: 'harmonised by the council' }))
      .then([
        appreciationWritten('Trimestre moyen.', {
          previous: 'Bon trimestre.',
          reason: 'harmonised by the council',
          writtenBy: PRINCIPAL,
        }),
      ]);
  });
});

import {
  Council,
  CouncilCommand,
  councilDecider,
  CouncilEvent,
  councilStatus,
  councilStreamId,
  isCouncilEvent,
  isPeriodClosed,
} from '../../../src/domain/council';
import { DomainError } from '../../../src/domain/shared/domain-error';
import { deciderSpec } from '../../support/decider-spec';
import {
  AUDITOR,
  awardMention,
  classAppreciationWritten,
  councilHeld,
  councilReopened,
  councilScheduled,
  CPE,
  holdCouncil,
  mentionAwarded,
  PRINCIPAL,
  reopenCouncil,
  scheduleCouncil,
  synthesisWritten,
  TEACHER,
  T1,
  writeClassAppreciation,
  writeSynthesis,
} from './fixtures';

const spec = deciderSpec(councilDecider);

const stateAfter = (...events: CouncilEvent[]): Council =>
  events.reduce(councilDecider.evolve, councilDecider.initialState());

/** The refusal itself, for the rules whose details name what to fix. */
const refusal = (events: CouncilEvent[], command: CouncilCommand): DomainError => {
  try {
    councilDecider.decide(command, stateAfter(...events));
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('the command was not refused');
};

describe('the council stream', () => {
  it('is named after the school, the class and the period', () =>
    expect(councilStreamId('0751234A', '5B', 'T1')).toBe('council-0751234A-5B-T1'));

  it('recognises its events', () => {
    expect(isCouncilEvent(councilHeld())).toBe(true);
    expect(isCouncilEvent({ type: 'AppreciationWritten' })).toBe(false);
  });
});

describe('scheduling the council', () => {
  it('records the day the council meets, and nothing when the same day is sent again', () => {
    spec
      .given()
      .when(scheduleCouncil())
      .then([
        {
          type: 'CouncilScheduled',
          data: { classId: '5B', periodId: 'T1', date: '2026-12-02', scheduledBy: PRINCIPAL },
        },
      ]);
    spec.given(councilScheduled()).when(scheduleCouncil()).then([]);
    spec
      .given(councilScheduled())
      .when(scheduleCouncil({ date: '2026-12-04' }))
      .then([councilScheduled('2026-12-04')]);
  });

  it('accepts a day three weeks before the period ends, and refuses one earlier', () => {
    spec
      .given()
      .when(scheduleCouncil({ date: '2026-11-09' }))
      .then([councilScheduled('2026-11-09')]);
    spec
      .given()
      .when(scheduleCouncil({ date: '2026-11-08' }))
      .thenThrows('COUNCIL.TOO_EARLY', 'conflict');
    expect(refusal([], scheduleCouncil({ date: '2026-11-08' })).details).toEqual({
      field: 'date',
      date: '2026-11-08',
      earliest: '2026-11-09',
      periodEnd: '2026-11-30',
    });
  });

  it('refuses a day that does not exist', () =>
    spec
      .given()
      .when(scheduleCouncil({ date: '2026-11-31' }))
      .thenThrows('COUNCIL.DATE_INVALID', 'invalid'));

  it('refuses a new date once the council is held', () =>
    spec
      .given(councilScheduled(), councilHeld())
      .when(scheduleCouncil({ date: '2026-12-04' }))
      .thenThrows('COUNCIL.HELD', 'conflict'));
});

describe('who records the council', () => {
  it('is the principal only: a teacher, the CPE and the auditor are refused', () => {
    for (const actor of [TEACHER, CPE, AUDITOR]) {
      spec.given().when(scheduleCouncil({ actor })).thenThrows('COUNCIL.ROLE_FORBIDDEN', 'forbidden');
      spec
        .given()
        .when(writeSynthesis('Bon trimestre.', { actor }))
        .thenThrows('COUNCIL.ROLE_FORBIDDEN', 'forbidden');
      spec
        .given()
        .when(awardMention('Compliments', { actor }))
        .thenThrows('COUNCIL.ROLE_FORBIDDEN', 'forbidden');
      spec
        .given()
        .when(writeClassAppreciation('Classe agréable.', { actor }))
        .thenThrows('COUNCIL.ROLE_FORBIDDEN', 'forbidden');
      spec
        .given(councilScheduled())
        .when(holdCouncil({ actor }))
        .thenThrows('COUNCIL.ROLE_FORBIDDEN', 'forbidden');
      spec
        .given(councilScheduled(), councilHeld())
        .when(reopenCouncil('Erreur de saisie', { actor }))
        .thenThrows('COUNCIL.ROLE_FORBIDDEN', 'forbidden');
    }
  });

  it('names the role refused', () =>
    expect(refusal([], writeSynthesis('Bon trimestre.', { actor: TEACHER })).details).toEqual({
      role: 'teacher',
    }));
});

describe('the synthesis of a student', () => {
  it('records the trimmed text, replaces it, and withdraws it with an empty text', () => {
    spec
      .given()
      .when(writeSynthesis('  Bon trimestre, des efforts à poursuivre.  '))
      .then([
        {
          type: 'StudentSynthesisWritten',
          data: {
            classId: '5B',
            periodId: 'T1',
            studentId: 's01',
            text: 'Bon trimestre, des efforts à poursuivre.',
            previous: null,
            writtenBy: PRINCIPAL,
          },
        },
      ]);
    spec
      .given(synthesisWritten('Bon trimestre.'))
      .when(writeSynthesis('Très bon trimestre.'))
      .then([synthesisWritten('Très bon trimestre.', { previous: 'Bon trimestre.' })]);
    spec
      .given(synthesisWritten('Bon trimestre.'))
      .when(writeSynthesis(''))
      .then([synthesisWritten('', { previous: 'Bon trimestre.' })]);
  });

  it('records nothing when the same text is sent again, or when there is nothing to withdraw', () => {
    spec.given(synthesisWritten('Bon trimestre.')).when(writeSynthesis('Bon trimestre.')).then([]);
    spec.given(synthesisWritten('Bon trimestre.')).when(writeSynthesis(' Bon trimestre. ')).then([]);
    spec.given().when(writeSynthesis('   ')).then([]);
    spec
      .given(synthesisWritten('Bon trimestre.'), synthesisWritten('', { previous: 'Bon trimestre.' }))
      .when(writeSynthesis(''))
      .then([]);
  });

  it('keeps to 1000 characters: 1000 pass, 1001 are refused on the text', () => {
    spec
      .given()
      .when(writeSynthesis('é'.repeat(1000)))
      .then([synthesisWritten('é'.repeat(1000))]);
    spec
      .given()
      .when(writeSynthesis('a'.repeat(1001)))
      .thenThrows('COUNCIL.TEXT_TOO_LONG', 'invalid');
    expect(refusal([], writeSynthesis('a'.repeat(1001))).details).toEqual({
      field: 'text',
      maxLength: 1000,
      length: 1001,
    });
  });

  it('allows line breaks and refuses control characters and bidirectional overrides', () => {
    spec
      .given()
      .when(writeSynthesis('Bon trimestre.\nÀ poursuivre.'))
      .then([synthesisWritten('Bon trimestre.\nÀ poursuivre.')]);
    spec.given().when(writeSynthesis('Bien\u202e')).thenThrows('COUNCIL.TEXT_INVALID', 'invalid');
  });

  it('is refused for a student who is not the council’s, naming the student', () => {
    spec
      .given()
      .when(writeSynthesis('Bon trimestre.', { studentId: 's06' }))
      .thenThrows('COUNCIL.STUDENT_NOT_IN_COUNCIL', 'conflict');
    const error = refusal([], writeSynthesis('Bon trimestre.', { studentId: 's06' }));
    expect(error.details).toEqual({ field: 'studentId', studentId: 's06', classId: '5B', periodId: 'T1' });
    expect(error.message).toBe('s06 was not in 5B on the last day of T1');
  });

  it('may still be withdrawn for a student who left the class after it was written', () =>
    spec
      .given(synthesisWritten('Bon début de trimestre.', { studentId: 's06' }))
      .when(writeSynthesis('', { studentId: 's06' }))
      .then([synthesisWritten('', { studentId: 's06', previous: 'Bon début de trimestre.' })]));
});

describe('the mention', () => {
  it('awards one of the school’s mentions, changes it, and withdraws it with null', () => {
    spec
      .given()
      .when(awardMention('Félicitations'))
      .then([
        {
          type: 'MentionAwarded',
          data: {
            classId: '5B',
            periodId: 'T1',
            studentId: 's01',
            mention: 'Félicitations',
            previous: null,
            awardedBy: PRINCIPAL,
          },
        },
      ]);
    spec
      .given(mentionAwarded('Félicitations'))
      .when(awardMention('Compliments'))
      .then([mentionAwarded('Compliments', { previous: 'Félicitations' })]);
    spec
      .given(mentionAwarded('Compliments'))
      .when(awardMention(null))
      .then([mentionAwarded(null, { previous: 'Compliments' })]);
  });

  it('records nothing when the same mention is sent again, or when there is none to withdraw', () => {
    spec.given(mentionAwarded('Encouragements')).when(awardMention('Encouragements')).then([]);
    spec.given().when(awardMention(null)).then([]);
  });

  it('refuses a mention outside the school’s list, naming the list', () => {
    spec
      .given()
      .when(awardMention('Avertissement travail'))
      .thenThrows('COUNCIL.MENTION_NOT_IN_LIST', 'conflict');
    const error = refusal([], awardMention('Avertissement travail'));
    expect(error.details).toEqual({
      field: 'mention',
      mention: 'Avertissement travail',
      mentions: ['Félicitations', 'Compliments', 'Encouragements'],
    });
    expect(error.message).toBe(
      '"Avertissement travail" is not one of the school\'s council mentions: Félicitations, Compliments, Encouragements',
    );
  });

  it('follows the list the school set: a mention it added is awarded, one it removed is refused', () => {
    const context = { students: new Set(['s01']), councilMentions: ['Félicitations', 'Tableau d’honneur'] };
    spec
      .given()
      .when(awardMention('Tableau d’honneur', { context }))
      .then([mentionAwarded('Tableau d’honneur')]);
    spec
      .given()
      .when(awardMention('Compliments', { context }))
      .thenThrows('COUNCIL.MENTION_NOT_IN_LIST', 'conflict');
  });

  it('is refused for a student who is not the council’s, and refuses what is not a text', () => {
    spec
      .given()
      .when(awardMention('Compliments', { studentId: 's06' }))
      .thenThrows('COUNCIL.STUDENT_NOT_IN_COUNCIL', 'conflict');
    spec
      .given()
      .when(awardMention(3 as never))
      .thenThrows('COUNCIL.MENTION_INVALID', 'invalid');
  });
});

describe('the class’s general appreciation', () => {
  it('records the trimmed text, replaces it, withdraws it, and records nothing for the same text', () => {
    spec
      .given()
      .when(writeClassAppreciation(' Classe agréable et travailleuse. '))
      .then([
        {
          type: 'ClassAppreciationWritten',
          data: {
            classId: '5B',
            periodId: 'T1',
            text: 'Classe agréable et travailleuse.',
            previous: null,
            writtenBy: PRINCIPAL,
          },
        },
      ]);
    spec
      .given(classAppreciationWritten('Classe agréable.'))
      .when(writeClassAppreciation('Classe bavarde.'))
      .then([classAppreciationWritten('Classe bavarde.', 'Classe agréable.')]);
    spec
      .given(classAppreciationWritten('Classe agréable.'))
      .when(writeClassAppreciation(''))
      .then([classAppreciationWritten('', 'Classe agréable.')]);
    spec
      .given(classAppreciationWritten('Classe agréable.'))
      .when(writeClassAppreciation('Classe agréable.'))
      .then([]);
  });

  it('keeps to 1000 characters', () => {
    spec
      .given()
      .when(writeClassAppreciation('a'.repeat(1000)))
      .then([classAppreciationWritten('a'.repeat(1000))]);
    expect(refusal([], writeClassAppreciation('a'.repeat(1001))).details).toEqual({
      field: 'text',
      maxLength: 1000,
      length: 1001,
    });
  });
});

describe('holding the council', () => {
  it('closes the period on the scheduled day, with the council’s students sorted and what it saw', () =>
    spec
      .given(councilScheduled())
      .when(holdCouncil())
      .then([
        {
          type: 'CouncilHeld',
          data: {
            classId: '5B',
            periodId: 'T1',
            heldOn: '2026-12-02',
            heldBy: PRINCIPAL,
            students: ['s01', 's02', 's03'],
            snapshot: { generalAverages: { s01: 14.25, s02: 11.5, s03: 9.75 }, classAverage: 11.83 },
          },
        },
      ]));

  it('takes the day it met when given, over the scheduled one or without one', () => {
    spec
      .given(councilScheduled())
      .when(holdCouncil({ heldOn: '2026-12-01' }))
      .then([councilHeld({ heldOn: '2026-12-01' })]);
    spec
      .given()
      .when(holdCouncil({ heldOn: '2026-11-27' }))
      .then([councilHeld({ heldOn: '2026-11-27' })]);
  });

  it('needs a date: scheduled or given', () => {
    spec.given().when(holdCouncil()).thenThrows('COUNCIL.DATE_REQUIRED', 'conflict');
    expect(refusal([], holdCouncil()).details).toEqual({ field: 'heldOn' });
  });

  it('is held from three weeks before the period ends, not earlier', () => {
    const earlyToday = { students: new Set(['s01']), period: T1, today: '2026-11-09' };
    spec
      .given()
      .when(holdCouncil({ heldOn: '2026-11-09', context: earlyToday }))
      .then([councilHeld({ heldOn: '2026-11-09', students: ['s01'] })]);
    spec
      .given()
      .when(holdCouncil({ heldOn: '2026-11-08', context: earlyToday }))
      .thenThrows('COUNCIL.TOO_EARLY', 'conflict');
    expect(refusal([], holdCouncil({ heldOn: '2026-11-08', context: earlyToday })).details).toEqual({
      field: 'heldOn',
      date: '2026-11-08',
      earliest: '2026-11-09',
      periodEnd: '2026-11-30',
    });
  });

  it('is refused on a day still to come: a council is held once it has met', () => {
    spec
      .given(councilScheduled('2026-12-04'))
      .when(holdCouncil())
      .thenThrows('COUNCIL.DATE_IN_FUTURE', 'conflict');
    spec
      .given()
      .when(holdCouncil({ heldOn: '2026-12-03' }))
      .then([councilHeld({ heldOn: '2026-12-03' })]);
  });

  it('refuses a snapshot that is not an object', () =>
    spec
      .given(councilScheduled())
      .when(holdCouncil({ snapshot: [1, 2] as never }))
      .thenThrows('COUNCIL.SNAPSHOT_INVALID', 'invalid'));

  it('records nothing when held again alike, keys of the snapshot in any order', () => {
    spec.given(councilScheduled(), councilHeld()).when(holdCouncil()).then([]);
    spec
      .given(councilScheduled(), councilHeld())
      .when(
        holdCouncil({
          snapshot: { classAverage: 11.83, generalAverages: { s03: 9.75, s02: 11.5, s01: 14.25 } },
        }),
      )
      .then([]);
  });

  it('refuses a different hold while held: the council must be reopened first', () => {
    spec
      .given(councilScheduled(), councilHeld())
      .when(holdCouncil({ heldOn: '2026-12-03' }))
      .thenThrows('COUNCIL.HELD', 'conflict');
    spec
      .given(councilScheduled(), councilHeld())
      .when(holdCouncil({ snapshot: { classAverage: 12 } }))
      .thenThrows('COUNCIL.HELD', 'conflict');
  });

  it('refuses a synthesis, a mention or a class appreciation once held', () => {
    const held = [councilScheduled(), synthesisWritten('Bon trimestre.'), councilHeld()];
    spec.given(held).when(writeSynthesis('Très bon trimestre.')).thenThrows('COUNCIL.HELD', 'conflict');
    spec.given(held).when(writeSynthesis('')).thenThrows('COUNCIL.HELD', 'conflict');
    spec.given(held).when(awardMention('Compliments')).thenThrows('COUNCIL.HELD', 'conflict');
    spec.given(held).when(writeClassAppreciation('Classe agréable.')).thenThrows('COUNCIL.HELD', 'conflict');
    expect(refusal(held, awardMention('Compliments')).message).toBe(
      'the council of 5B for T1 was held: reopen it, with a reason, to change it',
    );
  });
});

describe('reopening the council', () => {
  it('is a fact with a reason, and reopens the decisions', () => {
    spec
      .given(councilScheduled(), councilHeld())
      .when(reopenCouncil('Moyenne de s02 corrigée après le conseil'))
      .then([
        {
          type: 'CouncilReopened',
          data: {
            classId: '5B',
            periodId: 'T1',
            reason: 'Moyenne de s02 corrigée après le conseil',
            reopenedBy: PRINCIPAL,
          },
        },
      ]);
    spec
      .given(councilScheduled(), councilHeld(), councilReopened('Moyenne de s02 corrigée'))
      .when(awardMention('Encouragements', { studentId: 's02' }))
      .then([mentionAwarded('Encouragements', { studentId: 's02' })]);
  });

  it('needs a reason', () => {
    spec
      .given(councilScheduled(), councilHeld())
      .when(reopenCouncil('  '))
      .thenThrows('ASSESSMENT.REASON_REQUIRED', 'conflict');
    spec
      .given(councilScheduled(), councilHeld())
      .when(reopenCouncil('a'.repeat(501)))
      .thenThrows('ASSESSMENT.TEXT_TOO_LONG', 'invalid');
  });

  it('needs a held council', () => {
    spec.given().when(reopenCouncil('Erreur')).thenThrows('COUNCIL.NOT_HELD', 'conflict');
    spec.given(councilScheduled()).when(reopenCouncil('Erreur')).thenThrows('COUNCIL.NOT_HELD', 'conflict');
    spec
      .given(councilScheduled(), councilHeld(), councilReopened('Erreur'))
      .when(reopenCouncil('Autre chose'))
      .thenThrows('COUNCIL.NOT_HELD', 'conflict');
  });

  it('records nothing when the same reopening is sent again', () =>
    spec
      .given(councilScheduled(), councilHeld(), councilReopened('Erreur de saisie'))
      .when(reopenCouncil('Erreur de saisie'))
      .then([]));

  it('lets the council be held again, with what it sees now', () =>
    spec
      .given(councilScheduled(), councilHeld(), councilReopened('Moyenne de s02 corrigée'))
      .when(holdCouncil({ heldOn: '2026-12-03', snapshot: { classAverage: 12 } }))
      .then([councilHeld({ heldOn: '2026-12-03', snapshot: { classAverage: 12 } })]));

  it('lets the council be held again alike, since the reopening itself is a change', () =>
    spec
      .given(councilScheduled(), councilHeld(), councilReopened('Vérification'))
      .when(holdCouncil())
      .then([councilHeld()]));
});

describe('the council’s status and the period’s closing', () => {
  it('is open, scheduled, held, reopened, held again', () => {
    const scheduled = councilScheduled();
    const held = councilHeld();
    const reopened = councilReopened('Erreur de saisie');
    expect([
      councilStatus(stateAfter()),
      councilStatus(stateAfter(scheduled)),
      councilStatus(stateAfter(scheduled, held)),
      councilStatus(stateAfter(scheduled, held, reopened)),
      councilStatus(stateAfter(scheduled, held, reopened, councilScheduled('2026-12-04'))),
      councilStatus(stateAfter(scheduled, held, reopened, councilHeld({ heldOn: '2026-12-03' }))),
    ]).toEqual(['open', 'scheduled', 'held', 'reopened', 'reopened', 'held']);
    expect([
      isPeriodClosed(stateAfter()),
      isPeriodClosed(stateAfter(scheduled)),
      isPeriodClosed(stateAfter(scheduled, held)),
      isPeriodClosed(stateAfter(scheduled, held, reopened)),
      isPeriodClosed(stateAfter(scheduled, held, reopened, councilHeld({ heldOn: '2026-12-03' }))),
    ]).toEqual([false, false, true, false, true]);
  });

  it('is held without a schedule when the day is given', () =>
    expect(councilStatus(stateAfter(councilHeld({ heldOn: '2026-11-27' })))).toBe('held'));

  it('keeps each student’s synthesis and mention, and the last hold', () => {
    const state = stateAfter(
      synthesisWritten('Bon trimestre.'),
      synthesisWritten('Trimestre fragile.', { studentId: 's02' }),
      synthesisWritten('', { studentId: 's02', previous: 'Trimestre fragile.' }),
      mentionAwarded('Compliments'),
      mentionAwarded('Encouragements', { studentId: 's03' }),
      mentionAwarded(null, { studentId: 's03', previous: 'Encouragements' }),
      classAppreciationWritten('Classe agréable.'),
      councilHeld({ heldOn: '2026-11-27' }),
    );
    expect([...state.syntheses]).toEqual([['s01', 'Bon trimestre.']]);
    expect([...state.mentions]).toEqual([['s01', 'Compliments']]);
    expect(state.classAppreciation).toBe('Classe agréable.');
    expect(state.lastHold).toEqual({
      heldOn: '2026-11-27',
      heldBy: 'p-leroy',
      students: ['s01', 's02', 's03'],
      snapshot: { generalAverages: { s01: 14.25, s02: 11.5, s03: 9.75 }, classAverage: 11.83 },
    });
  });
});

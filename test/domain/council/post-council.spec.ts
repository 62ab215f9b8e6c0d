import {
  classifyAfterHold,
  POST_COUNCIL_CORRECTION_KINDS,
  PostCouncilCorrection,
} from '../../../src/domain/council';

describe('the events of a period after its council was held', () => {
  const events = [
    { position: 40n, type: 'GradesRecorded', eventId: 'e40' },
    { position: 57n, type: 'RollCallTaken', eventId: 'e57' },
    { position: 58n, type: 'CouncilHeld', eventId: 'e58' },
    { position: 61n, type: 'AbsenceJustified', eventId: 'e61' },
    { position: 75n, type: 'GradeCorrected', eventId: 'e75' },
  ];

  it('are those positioned after the hold, in the order given', () =>
    expect(classifyAfterHold(58n, events)).toEqual([
      { position: 61n, type: 'AbsenceJustified', eventId: 'e61' },
      { position: 75n, type: 'GradeCorrected', eventId: 'e75' },
    ]));

  it('are none when the hold is the last event, and all when it came before them', () => {
    expect(classifyAfterHold(75n, events)).toEqual([]);
    expect(classifyAfterHold(12n, events).map((e) => e.eventId)).toEqual(['e40', 'e57', 'e58', 'e61', 'e75']);
  });

  it('after a new hold, are only those after the latest one', () =>
    expect(
      classifyAfterHold(70n, [
        { position: 58n, type: 'CouncilHeld' },
        { position: 61n, type: 'CouncilReopened' },
        { position: 65n, type: 'GradeCorrected' },
        { position: 70n, type: 'CouncilHeld' },
        { position: 72n, type: 'AbsenceJustified' },
      ]),
    ).toEqual([{ position: 72n, type: 'AbsenceJustified' }]));
});

describe('a post-council correction', () => {
  it('is a grade, a level, a justification, a roll call or an enrolment, with what the council saw and what stands now', () => {
    expect(POST_COUNCIL_CORRECTION_KINDS).toEqual([
      'grade',
      'level',
      'justification',
      'rollCall',
      'enrolment',
    ]);
    const correction: PostCouncilCorrection = {
      kind: 'grade',
      streamId: 'assessment-0751234A-a1',
      eventId: 'e75',
      position: 75n,
      by: { id: 'p-leroy', role: 'principal' },
      at: '2026-12-05T09:12:00.000Z',
      reason: 'Erreur de saisie : 8 au lieu de 18',
      before: 8,
      after: 18,
    };
    expect(correction.kind).toBe('grade');
  });
});

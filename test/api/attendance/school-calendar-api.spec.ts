import { DEFAULT_LESSON_HALF_DAYS as WEEK } from '../../../src/domain/settings/lesson-half-days';
import { schoolStreamId } from '../../../src/domain/structure/school';
import { apiSpec } from '../../support/api-spec';
import { SCHOOL } from '../../support/http';
import { expectRefusals, Refusal, schoolStreams, Tokens, tokensFor } from './attendance-school';

const ARMISTICE = {
  closureId: 'armistice-2026',
  from: '2026-11-11',
  to: '2026-11-11',
  label: 'Armistice',
  kind: 'bank-holiday',
};
const TOUSSAINT = {
  closureId: 'toussaint-2026',
  from: '2026-10-17',
  to: '2026-11-01',
  label: 'Vacances de la Toussaint',
  kind: 'holidays',
};

const closureDeclared = ({ closureId, from, to, label, kind }: typeof ARMISTICE) => ({
  type: 'ClosureDeclared',
  data: { schoolId: SCHOOL, closureId, from, to, label, kind },
});

/** Every test starts from its own store holding the school of attendance-school.ts (and what it gives). */
describe('the school calendar over HTTP', () => {
  const spec = apiSpec();
  let as: Tokens;
  beforeAll(async () => {
    as = await tokensFor();
  });
  beforeEach(() => spec.given(schoolStreams()));

  const path = (suffix: string) => `/schools/${SCHOOL}${suffix}`;
  const post = (token: string, suffix: string, body: object) =>
    spec.http().post(path(suffix)).set('Authorization', token).send(body);
  const get = (token: string, suffix: string) => spec.http().get(path(suffix)).set('Authorization', token);
  const takeRollCall = (date: string, slot: string) =>
    post(as.teacher, '/roll-calls', { classId: '5B', date, slot, absent: [] });
  /** The closures as they stand once the views include `position`. */
  const closures = async (position: string, query = '') =>
    (await get(as.auditor, `/closures?minPosition=${position}${query}`).expect(200)).body as {
      closureId: string;
      withdrawn: { reason: string; by: string } | null;
    }[];

  it('refuses a roll call on a declared closure, then takes it once the closure is withdrawn', async () => {
    const declared = await post(as.principal, '/closures', ARMISTICE).expect(201);
    expect(declared.body.events).toEqual(['ClosureDeclared']);
    expect(BigInt(declared.body.position)).toBeGreaterThan(0n);
    await closures(declared.body.position);

    const refused = await takeRollCall('2026-11-11', 'M1').expect(409);
    expect(refused.body).toMatchObject({
      code: 'ROLL_CALL.NON_SCHOOL_DAY',
      details: { field: 'date', closure: 'Armistice' },
    });
    expect(refused.body.message).toContain('Armistice');

    const noReason = await post(as.principal, '/closures/armistice-2026/withdrawal', {}).expect(400);
    expect(noReason.body.details[0]).toMatchObject({ field: 'reason' });
    const withdrawal = await post(as.principal, '/closures/armistice-2026/withdrawal', {
      reason: 'the school opens on 11 November this year for the ceremony',
    }).expect(201);
    expect(withdrawal.body.events).toEqual(['ClosureWithdrawn']);
    const again = await post(as.principal, '/closures/armistice-2026/withdrawal', { reason: 'twice' });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('CALENDAR.CLOSURE_WITHDRAWN');
    await closures(withdrawal.body.position);

    const taken = await takeRollCall('2026-11-11', 'M1').expect(200);
    expect(taken.body.events).toEqual(['RollCallTaken']);
  });

  it('declares a closure once: the same again records nothing, other dates under its id are refused', async () => {
    const first = await post(as.admin, '/closures', TOUSSAINT).expect(201);
    expect(first.body.events).toEqual(['ClosureDeclared']);
    const same = await post(as.principal, '/closures', TOUSSAINT).expect(201);
    expect(same.body.events).toEqual([]);
    const other = await post(as.principal, '/closures', { ...TOUSSAINT, to: '2026-11-02' }).expect(409);
    expect(other.body).toMatchObject({ code: 'CALENDAR.CLOSURE_ID_TAKEN', details: { field: 'closureId' } });
    const unknown = await post(as.principal, '/closures/noel-2026/withdrawal', { reason: 'x' }).expect(404);
    expect(unknown.body.code).toBe('CALENDAR.CLOSURE_UNKNOWN');
  });

  it('lets only the principal and the admin declare or withdraw, and everybody of the school read', async () => {
    for (const token of [as.cpe, as.teacher, as.auditor]) {
      await post(token, '/closures', { ...ARMISTICE, closureId: 'not-allowed' }).expect(403);
      await post(token, '/closures/toussaint-2026/withdrawal', { reason: 'no' }).expect(403);
    }
    for (const token of [as.cpe, as.teacher, as.auditor, as.principal])
      await get(token, '/closures').expect(200);
  });

  it('refuses bad input with 400 naming the field and the rule, and writes nothing', async () => {
    const head = await get(as.auditor, '/closures').expect(200);
    const refusals: Refusal[] = [
      [{ ...ARMISTICE, closureId: 'bad-1', from: '11/11/2026' }, 'VALIDATION', 'from'],
      [{ ...ARMISTICE, closureId: 'bad-2', kind: 'strike' }, 'VALIDATION', 'kind'],
      [{ ...ARMISTICE, closureId: 'bad/3' }, 'VALIDATION', 'closureId'],
      [{ ...ARMISTICE, closureId: 'bad-4', label: '' }, 'VALIDATION', 'label'],
      [{ ...ARMISTICE, closureId: 'bad-5', unexpected: true }, 'VALIDATION', 'unexpected'],
      [{ ...ARMISTICE, closureId: 'bad-6', from: '2026-11-12' }, 'CALENDAR.CLOSURE_RANGE_INVERTED', 'to'],
      [{ ...ARMISTICE, closureId: 'bad-7', from: '2026-02-30' }, 'VALIDATION', 'from'],
      [
        { ...ARMISTICE, closureId: 'bad-8', from: '2026-09-01', to: '2027-01-01' },
        'CALENDAR.CLOSURE_TOO_LONG',
        'to',
      ],
    ];
    await expectRefusals((body) => post(as.principal, '/closures', body), refusals);
    const after = await get(as.auditor, '/closures').expect(200);
    expect(after.body).toEqual(head.body);
    const inverted = await get(as.auditor, '/closures?from=2026-12-01&to=2026-11-01').expect(400);
    expect(inverted.body.details[0]).toMatchObject({ field: 'to' });
  });

  it('lists declared and withdrawn closures of a range, the withdrawn one with who and why', async () => {
    const withdrawal = 'the school opens on 11 November this year for the ceremony';
    await spec.given(
      { stream: schoolStreamId(SCHOOL), events: [closureDeclared(ARMISTICE), closureDeclared(TOUSSAINT)] },
      {
        stream: schoolStreamId(SCHOOL),
        events: [
          {
            type: 'ClosureWithdrawn',
            data: { schoolId: SCHOOL, closureId: ARMISTICE.closureId, reason: withdrawal },
          },
        ],
        reason: withdrawal,
      },
    );
    const listed = await closures('0', '&from=2026-11-01&to=2026-11-30');
    expect(listed.map((c) => c.closureId)).toEqual(['toussaint-2026', 'armistice-2026']);
    expect(listed[0].withdrawn).toBeNull();
    expect(listed[1].withdrawn).toMatchObject({
      reason: withdrawal,
      by: 'principal-01',
    });
    expect((await closures('0', '&from=2026-11-02&to=2026-11-10')).map((c) => c.closureId)).toEqual([]);
  });

  it('refuses a Wednesday afternoon roll call once lessonHalfDays has no Wednesday afternoon', async () => {
    expect((await takeRollCall('2026-11-04', 'S1')).status).toBe(200);
    const bad = await post(as.principal, '/settings', {
      key: 'lessonHalfDays',
      value: { ...WEEK, wednesday: ['AM', 'EVENING'] },
      effectiveFrom: '2026-11-16',
    }).expect(400);
    expect(bad.body).toMatchObject({ code: 'SETTINGS.VALUE_INVALID', details: { field: 'value.wednesday' } });
    const changed = await post(as.principal, '/settings', {
      key: 'lessonHalfDays',
      value: { ...WEEK, wednesday: ['AM'] },
      effectiveFrom: '2026-11-16',
    }).expect(201);
    const settings = await get(
      as.cpe,
      `/settings?date=2026-11-18&minPosition=${changed.body.position}`,
    ).expect(200);
    expect(settings.body.settings.lessonHalfDays.wednesday).toEqual(['AM']);

    const refused = await takeRollCall('2026-11-18', 'S1').expect(409);
    expect(refused.body).toMatchObject({
      code: 'ROLL_CALL.NON_SCHOOL_HALF_DAY',
      details: { field: 'slot', halfDay: 'PM' },
    });
    expect((await takeRollCall('2026-11-18', 'M1')).status).toBe(200);
    // Before the change takes effect, Wednesday afternoon still has lessons.
    expect((await takeRollCall('2026-11-04', 'S2')).status).toBe(200);
  });

  it('leaves the days of a closure out of the roll-call completeness view', async () => {
    const missingFridays = async (position: string) => {
      const report = await get(
        as.cpe,
        `/attendance/completeness?from=2026-11-16&to=2026-11-27&minPosition=${position}`,
      ).expect(200);
      return (report.body.missing as { classOrGroupId: string; date: string; slotCode: string }[])
        .filter((l) => l.classOrGroupId === '5B' && l.slotCode === 'M2')
        .map((l) => l.date);
    };
    await takeRollCall('2026-11-06', 'M2').expect(200);
    const last = await takeRollCall('2026-11-13', 'M2').expect(200);
    expect(last.body.events).toEqual(['RollCallTaken']);
    expect(await missingFridays(last.body.position)).toEqual(['2026-11-20', '2026-11-27']);
    const closed = await post(as.principal, '/closures', {
      closureId: 'journee-pedagogique',
      from: '2026-11-27',
      to: '2026-11-27',
      label: 'Journée pédagogique',
      kind: 'other',
    }).expect(201);
    expect(await missingFridays(closed.body.position)).toEqual(['2026-11-20']);
  });
});

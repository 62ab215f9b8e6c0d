import { RollCallEvent } from '../../src/domain/attendance';
import { defineProjection } from '../../src/projections';

describe('defineProjection', () => {
  it('does not compile when `handles` and the event union disagree', () => {
    // Checked by tsc (npm run lint, before npm test): jest's transform strips the types.
    const over = defineProjection<RollCallEvent>();
    const definition = {
      name: 'mistyped',
      version: 1,
      tables: [],
      setup: () => undefined,
      apply: () => undefined,
    };

    over({
      ...definition,
      // @ts-expect-error StudentRegistered is not a roll call event
      handles: ['RollCallTaken', 'RollCallAmended', 'RollCallVoided', 'StudentRegistered'],
    });
    // @ts-expect-error RollCallVoided is missing from `handles`
    over({ ...definition, handles: ['RollCallTaken', 'RollCallAmended'] });

    expect(
      over({ ...definition, handles: ['RollCallVoided', 'RollCallTaken', 'RollCallAmended'] }).handles,
    ).toEqual(['RollCallVoided', 'RollCallTaken', 'RollCallAmended']);
  });
});

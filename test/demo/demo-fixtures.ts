import { schoolDecider, schoolStreamId } from '../../src/domain/structure/school';
import { EventStore } from '../../src/event-store/event-store';
import { handleCommand } from '../../src/event-store/handle-command';

/** The demo month is over by then. */
export const AFTER_THE_MONTH = new Date('2026-11-29T08:00:00Z');

/** A real school's first command on the demo's UAI: the demo must not write next to it. */
export const recordRealSchoolYear = (store: EventStore) =>
  handleCommand(
    store,
    schoolStreamId('0670001A'),
    schoolDecider,
    {
      type: 'DefineSchoolYear',
      data: { schoolId: '0670001A', schoolYear: '2026-2027', start: '2026-09-01', end: '2027-07-03' },
    },
    {
      commandId: 'a-real-school-year',
      actor: { id: 'principal-07', role: 'principal' },
      schoolId: '0670001A',
      now: new Date('2026-08-20T08:00:00Z'),
    },
  );

import { Decider } from '../shared/decider';
import { forbidden, invalid } from '../shared/domain-error';
import { Actor, DomainEvent, eventTypeGuard } from '../shared/event';
import { describeUnsafeCharacter, unsafeCharacterIn } from '../shared/text';

/**
 * `erasure-{uai}-{studentId}`: the end of a student's retention period. The event names no personal
 * data — only who erased, when (metadata) and why; erasing itself is deleting the student's key,
 * which makes every sealed field of every copy of the log unreadable without rewriting it.
 *
 * A stream of its own rather than the student's: the student stream's decider knows its seven facts
 * and nothing else, and an erasure is not a fact of school life but of the records about it.
 */
export const ERASURE_REASON_MAX_LENGTH = 500;

export type StudentErasedData = {
  readonly schoolId: string;
  readonly studentId: string;
  readonly reason: string;
  readonly erasedBy: Actor;
};

export type StudentErased = DomainEvent<'StudentErased', StudentErasedData>;
export type ErasureEvent = StudentErased;
export const ERASURE_EVENT_TYPES = ['StudentErased'] as const satisfies readonly ErasureEvent['type'][];
export const isErasureEvent = eventTypeGuard<ErasureEvent>(ERASURE_EVENT_TYPES);

export const erasureStreamId = (schoolId: string, studentId: string): string =>
  `erasure-${schoolId}-${studentId}`;

export type ErasureState = { readonly erased: boolean };

export type EraseStudent = {
  readonly type: 'EraseStudent';
  readonly data: {
    readonly schoolId: string;
    readonly studentId: string;
    readonly reason: string;
    readonly actor: Actor;
  };
};

const checkReason = (reason: unknown): string => {
  if (typeof reason !== 'string' || reason.trim() === '')
    throw invalid('ERASURE.REASON_REQUIRED', 'an erasure needs a reason', { field: 'reason' });
  if (reason.length > ERASURE_REASON_MAX_LENGTH)
    throw invalid('ERASURE.REASON_TOO_LONG', `a reason has at most ${ERASURE_REASON_MAX_LENGTH} characters`, {
      field: 'reason',
    });
  const unsafe = unsafeCharacterIn(reason);
  if (unsafe !== undefined)
    throw invalid('ERASURE.REASON_UNSAFE', `the reason ${describeUnsafeCharacter(unsafe)}`, {
      field: 'reason',
    });
  return reason.trim();
};

export const eraseStudent = (command: EraseStudent, state: ErasureState): StudentErased[] => {
  const { schoolId, studentId, actor } = command.data;
  if (actor.role !== 'admin')
    throw forbidden('ERASURE.ADMIN_ONLY', 'only an admin erases a student', { role: actor.role });
  if (studentId.trim() === '')
    throw invalid('ERASURE.STUDENT_REQUIRED', 'name the student to erase', { field: 'student' });
  const reason = checkReason(command.data.reason);
  if (state.erased) return [];
  return [{ type: 'StudentErased', data: { schoolId, studentId, reason, erasedBy: actor } }];
};

export const erasureDecider: Decider<EraseStudent, ErasureState, ErasureEvent> = {
  initialState: () => ({ erased: false }),
  evolve: (_state, event) => {
    switch (event.type) {
      case 'StudentErased':
        return { erased: true };
      default: {
        const exhaustive: never = event.type;
        return exhaustive;
      }
    }
  },
  decide: eraseStudent,
};

import { randomUUID } from 'node:crypto';
import { EventToAppend } from '../src/event-store/event-store';

/** A roll-call-sized event: the payload most of the log will hold. */
export const benchEvent = (i: number, schoolId = '0670001A'): EventToAppend => ({
  type: i % 10 === 0 ? 'RollCallAmended' : 'RollCallTaken',
  data: {
    classId: `5${String.fromCharCode(65 + (i % 6))}`,
    date: '2026-11-16',
    slot: 'M1',
    halfDay: 'AM',
    absent: [`stu-${i % 977}`, `stu-${(i * 7) % 977}`],
    late: [{ studentId: `stu-${(i * 13) % 977}`, minutes: 5 + (i % 20) }],
  },
  metadata: {
    commandId: randomUUID(),
    correlationId: 'bench',
    causationId: 'bench',
    actor: { id: 'teacher-01', role: 'teacher' },
    schoolId,
    recordedAt: '2026-11-16T07:05:00.000Z',
    schemaVersion: 1,
  },
});

const CATEGORIES = ['rollcall', 'attendance', 'assessment', 'student', 'council'];

export const benchStream = (i: number): string => `${CATEGORIES[i % CATEGORIES.length]}-0670001A-${i}`;

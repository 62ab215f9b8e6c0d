import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { AttendanceViews } from './attendance-views';

/** A read of the attendance views; the handler hands it the views over the live tables. */
export class ReadAttendance<T> extends Query<T> {
  constructor(readonly read: (views: AttendanceViews) => T) {
    super();
  }
}

@QueryHandler(ReadAttendance)
export class ReadAttendanceHandler implements IQueryHandler<ReadAttendance<unknown>, unknown> {
  constructor(@Inject(AttendanceViews) private readonly views: AttendanceViews) {}

  async execute({ read }: ReadAttendance<unknown>): Promise<unknown> {
    return read(this.views);
  }
}

export * from './build-demo-school';
export * from './demo-grades';
export * from './demo-guide';
export * from './demo-roster';
export * from './demo-story';
export * from './demo-timetable';
export * from './demo-writer';

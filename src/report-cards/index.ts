export * from './report-card-input';
export * from './format';
export { renderStudentReportCard, renderClassReportCards } from './render';
export { councilTableCsv } from './council-csv';

export * from './charts.ts';
export { renderChart, writeChart } from './render.ts';
export { writeReport, resultsTable, markdownToHtml } from './report.ts';
export type { ReportData, PolicyRow, AcCheckRow, CrossSeedRow, HeldOutSection, WrittenReport } from './report.ts';

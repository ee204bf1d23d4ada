export * from './charts.ts';
export { renderChart, writeChart } from './render.ts';
export { writeReport, resultsTable, markdownToHtml } from './report.ts';
export type { ReportData, PolicyRow, AcCheckRow, CrossSeedRow, HeldOutSection, WrittenReport } from './report.ts';
export { realismMarkdownTable, missedTargets, IMPACT_DELTA_BOUNDS, IMPACT_LEFT_BOUNDS } from './realism-table.ts';
export type { RealismColumn, ImpactFigures } from './realism-table.ts';

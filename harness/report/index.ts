export { createConsoleReporter, summaryLine, type ConsoleReporter } from './console-reporter.ts';
export { exitCodeFor, isSkipped, isUnexpected } from './exit-code.ts';
export { renderJUnit } from './junit.ts';
export { writeComparison, writeReports, writeResults } from './write-results.ts';
export { compareResults, gateProblems, pairVersions, type Comparison, type PhaseChange, type VersionComparison } from './compare-results.ts';
export { matrixConsoleLine, renderMatrixMarkdown, verdictMatrix } from './matrix.ts';
export { readResultsFile } from './read-results.ts';
export { comparisonSummary, renderComparisonMarkdown, renderComparisonText } from './render-comparison.ts';
export { renderHtml, type ScenarioNarrative } from './html.ts';

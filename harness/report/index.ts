export { createConsoleReporter, summaryLine, type ConsoleReporter } from './console-reporter.ts';
export { exitCodeFor, isSkipped, isUnexpected } from './exit-code.ts';
export { renderJUnit } from './junit.ts';
export { writeReports, writeResults } from './write-results.ts';

import { appendFileSync } from 'node:fs'
import process from 'node:process'

/**
 * Prints the plain closing line that CI reads: `N passed, N failed, N skipped`. When ISG_TEST_COUNTS
 * names a file, the counts are also appended there as one line, so scripts/test.sh can total its runs.
 */
export default class CountReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests
    // Suites that failed to run count as failures too, so a broken file cannot pass silently.
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites
    process.stdout.write(`\ntests: ${results.numPassedTests} passed, ${failed} failed, ${skipped} skipped\n`)
    const file = process.env['ISG_TEST_COUNTS']
    if (file) appendFileSync(file, `${results.numPassedTests} ${failed} ${skipped}\n`)
  }
}

/** Prints the plain closing line that CI reads: `N passed, N failed, N skipped`. */
export default class CountReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests
    // Suites that failed to run count as failures too, so a broken file cannot pass silently.
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites
    process.stdout.write(`\ntests: ${results.numPassedTests} passed, ${failed} failed, ${skipped} skipped\n`)
  }
}

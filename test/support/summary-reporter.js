// Prints the run's closing line in the plain form CI reads ("N passed, N failed, N skipped").
class SummaryReporter {
	onRunComplete(_contexts, results) {
		const skipped = results.numPendingTests + results.numTodoTests;
		process.stdout.write(`\n${results.numPassedTests} passed, ${results.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
	}
}
module.exports = SummaryReporter;

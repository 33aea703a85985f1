// Mocha reporter: the usual spec output, plus the run's counts written as JSON to
// $LENSES_TEST_SUMMARY so scripts/test.sh can add every suite into one closing line.
'use strict';
const fs = require('node:fs');
const Mocha = require('mocha');

class SummaryReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    const counts = { passed: 0, failed: 0, skipped: 0 };
    runner.on(Mocha.Runner.constants.EVENT_TEST_PASS, () => counts.passed++);
    runner.on(Mocha.Runner.constants.EVENT_TEST_FAIL, () => counts.failed++);
    runner.on(Mocha.Runner.constants.EVENT_TEST_PENDING, () => counts.skipped++);
    runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
      const file = process.env.LENSES_TEST_SUMMARY;
      if (file) fs.writeFileSync(file, JSON.stringify(counts));
    });
  }
}

module.exports = SummaryReporter;

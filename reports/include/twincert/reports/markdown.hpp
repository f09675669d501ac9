// summary.md: a campaign's outcome in GitHub-flavoured Markdown, short enough for a CI job
// summary ($GITHUB_STEP_SUMMARY, a merge-request note): the verdict, the counts, each
// requirement's verdict, the first failures with their evidence, and the changes against a
// baseline run when there is one. The functions keep no shared state: thread-safe.
#pragma once

#include <string>

#include "twincert/harness/results_document.hpp"
#include "twincert/reports/compare.hpp"
#include "twincert/reports/hil.hpp"

namespace twincert::reports {

// `baseline` and `hil` may be null.
std::string markdown_summary(const harness::ResultsDocument& results,
                             const Comparison* baseline = nullptr,
                             const HilComparison* hil = nullptr);

}  // namespace twincert::reports

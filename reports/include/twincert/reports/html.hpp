// report.html: one self-contained page (styles and plots inline, no fetches, works offline) that
// a certifier can read requirement by requirement — the verdict and counts, the assurance case
// as a goal structure, the traceability matrix requirement -> rules -> cases, the coverage of
// fault classes x sensors x scenarios, and per failing case its timeline plot, its evidence with
// the input sent around it, and the command that reproduces it.
// The functions keep no shared state: thread-safe.
#pragma once

#include <filesystem>
#include <string>

#include "twincert/harness/results_document.hpp"
#include "twincert/reports/compare.hpp"
#include "twincert/reports/hil.hpp"

namespace twincert::reports {

struct HtmlOptions {
  const Comparison* baseline = nullptr;  // with --baseline: changes against that run
  std::string baseline_label;            // where the baseline came from
  const HilComparison* hil = nullptr;    // with --hil: the hardware verdicts beside these
  std::size_t passing_plots = 60;        // passing cases that get a (folded) plot too
};

// `results` is the results document of `results_dir`; the case folders under results_dir/cases
// give the plots (a case without its folder gets a note instead).
std::string html_report(const harness::ResultsDocument& results,
                        const std::filesystem::path& results_dir, const HtmlOptions& options = {});

}  // namespace twincert::reports

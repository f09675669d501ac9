// Every report of a results folder, written the same way by `twincert run` (into its --out)
// and `twincert report` (afterwards, from results.json alone): results.json, junit.xml,
// summary.md and report.html, each written atomically.
// Thread-safe for different folders; one writer per folder (the files have fixed temporary names).
#pragma once

#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "twincert/harness/results_document.hpp"
#include "twincert/reports/compare.hpp"
#include "twincert/reports/hil.hpp"

namespace twincert::reports {

enum class Format : std::uint8_t { kJson, kJunit, kMarkdown, kHtml };

// "html,md,junit,json" (any order, any subset); throws ConfigError naming the
// format it does not know.
std::set<Format> parse_formats(const std::string& list);

// The file a format is written to: results.json, junit.xml, summary.md, report.html.
std::string file_name_of(Format format);

struct ReportOptions {
  std::set<Format> formats{Format::kJson, Format::kJunit, Format::kMarkdown, Format::kHtml};
  const Comparison* baseline = nullptr;
  std::string baseline_label;
  const HilComparison* hil = nullptr;
};

// Writes the formats of `document` (the results document of `results_dir`, whose case folders
// the HTML plots) into out_dir, and returns the files written. The reports other than
// results.json are written from the document as results.json holds it (read back from its
// text), so that they show what the file says, byte for byte. Throws
// std::filesystem::filesystem_error.
std::vector<std::filesystem::path> write_reports(const harness::ResultsDocument& document,
                                                 const std::filesystem::path& results_dir,
                                                 const std::filesystem::path& out_dir,
                                                 const ReportOptions& options);

}  // namespace twincert::reports

#include "twincert/reports/outputs.hpp"

#include "twincert/base/config_error.hpp"
#include "twincert/base/files.hpp"
#include "twincert/reports/html.hpp"
#include "twincert/reports/markdown.hpp"
#include "twincert/reports/results.hpp"

namespace twincert::reports {

namespace {

using nlohmann::json;

}  // namespace

std::set<Format> parse_formats(const std::string& list) {
  std::set<Format> out;
  std::size_t from = 0;
  while (from <= list.size()) {
    const auto comma = list.find(',', from);
    const std::string name =
        list.substr(from, comma == std::string::npos ? std::string::npos : comma - from);
    if (name == "json") {
      out.insert(Format::kJson);
    } else if (name == "junit") {
      out.insert(Format::kJunit);
    } else if (name == "md" || name == "markdown") {
      out.insert(Format::kMarkdown);
    } else if (name == "html") {
      out.insert(Format::kHtml);
    } else {
      throw ConfigError("unknown report format \"" + name + "\" (expected html, md, junit, json)");
    }
    if (comma == std::string::npos) break;
    from = comma + 1;
  }
  return out;
}

std::string file_name_of(Format format) {
  switch (format) {
    case Format::kJson:
      return "results.json";
    case Format::kJunit:
      return "junit.xml";
    case Format::kMarkdown:
      return "summary.md";
    case Format::kHtml:
      return "report.html";
  }
  return "";
}

std::vector<std::filesystem::path> write_reports(const harness::ResultsDocument& document,
                                                 const std::filesystem::path& results_dir,
                                                 const std::filesystem::path& out_dir,
                                                 const ReportOptions& options) {
  // Through its text: a twin's bytes that are not UTF-8 are replaced in results.json, and the
  // other reports must show the same text as it.
  const std::string text = harness::results_text(document);
  const harness::ResultsDocument results =
      harness::results_from_json(json::parse(text), file_name_of(Format::kJson));
  std::filesystem::create_directories(out_dir);
  std::vector<std::filesystem::path> written;
  for (const Format f : options.formats) {
    const auto path = out_dir / file_name_of(f);
    switch (f) {
      case Format::kJson:
        write_file_atomically(path, text);
        break;
      case Format::kJunit:
        write_file_atomically(path, junit_xml(results));
        break;
      case Format::kMarkdown:
        write_file_atomically(path, markdown_summary(results, options.baseline, options.hil));
        break;
      case Format::kHtml: {
        HtmlOptions html;
        html.baseline = options.baseline;
        html.baseline_label = options.baseline_label;
        html.hil = options.hil;
        write_file_atomically(path, html_report(results, results_dir, html));
        break;
      }
    }
    written.push_back(path);
  }
  return written;
}

}  // namespace twincert::reports

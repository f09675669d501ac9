// twincert lint FILE...: checks NMEA captures against IEC 61162-1 and prints a per-type table.
#include <algorithm>
#include <iomanip>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "twincert/protocols/nmea0183/lint.hpp"

#include "commands.hpp"
#include "lint_input.hpp"

namespace twincert::cli {

namespace {

using nmea0183::LintFinding;
using nmea0183::LintStats;
using nmea0183::Mode;

struct LintOptions {
  std::vector<std::string> files;
  bool strict = false;
  bool json = false;
  bool per_file = false;
  bool show_warnings = false;
  std::size_t show = 10;
  LintInputOptions input;  // threads and segment size; the rest is set per file
};

// Printable, shortened excerpt of a frame for a finding line.
std::string excerpt(std::string_view frame) {
  std::string out;
  for (const char c : frame.substr(0, 90)) {
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x20 && u < 0x7F) {
      out += c;
    } else {
      std::ostringstream hex;
      hex << "\\x" << std::hex << std::setw(2) << std::setfill('0') << static_cast<unsigned>(u);
      out += hex.str();
    }
  }
  if (frame.size() > 90) out += "...";
  return out;
}

template <class Map>
std::string join_counts(const Map& m) {
  std::string out;
  for (const auto& [code, n] : m) {
    if (!out.empty()) out += ", ";
    out += std::string(describe(code)) + " " + std::to_string(n);
  }
  return out;
}

template <class Map>
nlohmann::json counts_json(const Map& m) {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& [code, n] : m) j[std::string(describe(code))] = n;
  return j;
}

nlohmann::json stats_json(const LintStats& s) {
  nlohmann::json types = nlohmann::json::array();
  for (const auto& [type, t] : s.types) {
    types.push_back({{"type", type},
                     {"talkers", t.talkers},
                     {"count", t.count},
                     {"valid", t.valid},
                     {"untyped", t.untyped},
                     {"errors", counts_json(t.errors)},
                     {"warnings", counts_json(t.warnings)}});
  }
  nlohmann::json ais_types = nlohmann::json::object();
  for (const auto& [type, n] : s.ais.messages_by_type) ais_types[std::to_string(type)] = n;
  nlohmann::json ais_unsupported = nlohmann::json::object();
  for (const auto& [type, n] : s.ais.unsupported_by_type) ais_unsupported[std::to_string(type)] = n;
  return {{"frames", s.framer.frames},
          {"comment_lines", s.framer.comment_lines},
          {"dropped_bytes", counts_json(s.dropped_bytes)},
          {"types", types},
          {"ais",
           {{"messages", ais_types},
            {"unsupported", ais_unsupported},
            {"errors", counts_json(s.ais.errors)}}},
          {"error_count", s.error_count()},
          {"warning_count", s.warning_count()}};
}

void print_table(std::ostream& out, const LintStats& s) {
  out << std::left << std::setw(8) << "type" << std::setw(16) << "talkers" << std::right
      << std::setw(9) << "count" << std::setw(9) << "valid" << std::setw(9) << "untyped"
      << std::setw(8) << "errors" << std::setw(10) << "warnings"
      << "  details\n";
  for (const auto& [type, t] : s.types) {
    std::string talkers;
    for (const auto& talker : t.talkers) talkers += (talkers.empty() ? "" : ",") + talker;
    if (talkers.size() > 15) talkers = talkers.substr(0, 12) + "...";
    std::uint64_t errors = 0;
    std::uint64_t warnings = 0;
    for (const auto& [c, n] : t.errors) errors += n;
    for (const auto& [c, n] : t.warnings) warnings += n;
    std::string details = join_counts(t.errors);
    if (!t.warnings.empty()) {
      details +=
          (details.empty() ? "" : "; ") + std::string("tolerated: ") + join_counts(t.warnings);
    }
    out << std::left << std::setw(8) << type << std::setw(16) << talkers << std::right
        << std::setw(9) << t.count << std::setw(9) << t.valid << std::setw(9) << t.untyped
        << std::setw(8) << errors << std::setw(10) << warnings << "  " << details << '\n';
  }
  if (!s.dropped_bytes.empty()) {
    out << "dropped bytes: " << join_counts(s.dropped_bytes) << " (" << s.framer.drops
        << " ranges)\n";
  }
  if (!s.ais.messages_by_type.empty() || !s.ais.errors.empty()) {
    out << "AIS messages decoded by type:";
    for (const auto& [type, n] : s.ais.messages_by_type) out << ' ' << type << ':' << n;
    if (!s.ais.unsupported_by_type.empty()) {
      out << "; not decoded (types twincert does not read):";
      for (const auto& [type, n] : s.ais.unsupported_by_type) out << ' ' << type << ':' << n;
    }
    if (!s.ais.errors.empty()) out << "; problems: " << join_counts(s.ais.errors);
    out << '\n';
  }
}

// "error: what" (or "warning: "), then the frame quoted on its own line: what follows
// "FILE:LINE: " when the finding is printed.
std::string describe_finding(const LintFinding& f) {
  std::ostringstream out;
  out << (f.warning ? "warning: " : "error: ");
  if (f.dropped_bytes > 0) {
    out << describe(f.error.code) << ": " << f.dropped_bytes << " bytes dropped at byte "
        << f.frame_offset << " of the input";
  } else {
    out << to_string(f.error, f.frame);
  }
  if (!f.frame.empty()) out << "\n    " << excerpt(f.frame);
  return std::move(out).str();
}

// "FILE:LINE: error: what", the line left out when it cannot be known.
void print_finding(std::ostream& out, const std::string& path, const PrintableFinding& f) {
  out << path << ':' << (f.line > 0 ? std::to_string(f.line) + ":" : std::string()) << ' ' << f.text
      << '\n';
}

int run_lint(const LintOptions& options) {
  const Mode mode = options.strict ? Mode::kStrict : Mode::kLenient;
  LintStats total;
  nlohmann::json files = nlohmann::json::array();
  std::size_t shown = 0;
  std::size_t hidden = 0;
  bool read_failed = false;

  const std::function<std::string(const LintFinding&)> describe = describe_finding;
  for (const std::string& path : options.files) {
    LintInputOptions input = options.input;
    input.mode = mode;
    input.keep_findings = options.show - shown;
    input.keep_warnings = options.show_warnings;
    const std::function<void(const PrintableFinding&)> print = [&](const PrintableFinding& f) {
      print_finding(std::cerr, path, f);
    };
    const LintedCapture linted = lint_capture(path, input, describe, print);
    shown += linted.printed_findings;
    hidden += linted.more_findings;
    if (!linted.read_error.empty()) {
      std::cerr << "twincert lint: cannot read " << path << ": " << linted.read_error << '\n';
      read_failed = true;
    }
    if (!linted.opened) continue;
    const LintStats& s = linted.stats;
    total.merge(s);
    if (options.json) {
      files.push_back({{"path", path}, {"stats", stats_json(s)}});
    } else if (options.per_file) {
      std::cout << "== " << path << ": " << s.framer.frames << " sentences, " << s.error_count()
                << " errors, " << s.warning_count() << " tolerated violations\n";
      print_table(std::cout, s);
    }
  }
  if (hidden > 0) std::cerr << "(" << hidden << " more findings not shown; use --show N)\n";

  if (options.json) {
    nlohmann::json out = stats_json(total);
    out["mode"] = options.strict ? "strict" : "lenient";
    out["files"] = files;
    std::cout << out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
  } else {
    if (options.per_file) std::cout << "== all files\n";
    print_table(std::cout, total);
    std::cout << "files: " << options.files.size() << ", sentences: " << total.framer.frames
              << ", comment lines: " << total.framer.comment_lines
              << ", mode: " << (options.strict ? "strict" : "lenient") << '\n'
              << "result: " << total.error_count() << " errors, " << total.warning_count()
              << " tolerated violations\n";
  }
  if (read_failed) return kExitUsage;
  return total.error_count() == 0 ? kExitOk : kExitChecksFailed;
}

}  // namespace

std::function<int()> add_lint_command(CLI::App& app) {
  auto options = std::make_shared<LintOptions>();
  CLI::App* lint = app.add_subcommand(
      "lint",
      "Check NMEA 0183 / IEC 61162-1 captures: per-sentence-type table of valid sentences "
      "and errors");
  lint->footer(
      "Reads plain NMEA lines, lines with tag blocks (\\s:...,c:...*hh\\) and gpsd-style '#' "
      "comment lines;\nbinary data between sentences is skipped and counted as dropped bytes.\n"
      "Findings (file:line: error: ...) go to standard error, the table to standard output.\n"
      "A regular file of 16 MiB or more is read in segments on --jobs threads; the output is\n"
      "the same as one pass's.\n\n"
      "Exit status: 0 no error, 1 errors found, 2 usage error (e.g. unreadable file).\n\n"
      "Examples:\n"
      "  twincert lint capture.nmea\n"
      "  twincert lint --strict twin-output.nmea      # what a twin under test must emit\n"
      "  twincert lint --json --show 0 logs/*.log > stats.json\n"
      "  nc -lu 10110 | twincert lint -               # from standard input");
  lint->add_option("files", options->files, "Capture files; '-' reads standard input")->required();
  lint->add_flag("--strict", options->strict,
                 "Check to the letter of the standard (what a twin under test must emit); by "
                 "default lenient: accept what real devices send and count the rules they break");
  lint->add_flag("--json", options->json, "Print the statistics as JSON on standard output");
  lint->add_flag("--per-file", options->per_file, "Also print a table for each file");
  lint->add_option("--show", options->show, "Print at most N findings to standard error")
      ->default_val(10);
  lint->add_flag("--warnings", options->show_warnings,
                 "Also list tolerated violations (lenient mode), not only errors");
  options->input.jobs = std::max(1U, std::thread::hardware_concurrency());
  lint->add_option("--jobs,-j", options->input.jobs,
                   "Threads for a large file (read in segments of about 8 MiB; the output is the "
                   "same as with one)")
      ->capture_default_str()
      ->check(CLI::Range(1U, 256U));
  // For the tests, which check that any segmenting gives one pass's output: not in --help.
  lint->add_option("--segment-bytes", options->input.segment_bytes)
      ->group("")
      ->check(CLI::PositiveNumber);
  return [options] { return run_lint(*options); };
}

}  // namespace twincert::cli

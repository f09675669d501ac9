// twincert lint FILE...: checks NMEA captures against IEC 61162-1 and prints a per-type table.
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <iomanip>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <system_error>
#include <vector>

#include <nlohmann/json.hpp>

#include "twincert/protocols/nmea0183/lint.hpp"

#include "commands.hpp"
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace twincert::cli {

namespace {

using nmea0183::CaptureLinter;
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
};

// A capture read in fixed chunks, so memory stays flat whatever the file's size, that still
// answers the line of any stream offset a finding names: counted in the two chunks held, else
// (a garbage run reported long after it began) read again from the file when it is one.
class ChunkedInput {
 public:
  static constexpr std::size_t kChunk = std::size_t{1} << 20;

  ChunkedInput() = default;
  ChunkedInput(const ChunkedInput&) = delete;
  ChunkedInput& operator=(const ChunkedInput&) = delete;
  ~ChunkedInput() {
    if (fd_ > STDIN_FILENO) ::close(fd_);
  }

  // "-" is standard input. False with `error` set when the file cannot be opened.
  bool open(const std::string& path, std::string& error) {
    fd_ = path == "-" ? STDIN_FILENO : ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) {
      error = std::error_code(errno, std::generic_category()).message();
      return false;
    }
    struct stat st {};
    seekable_ = ::fstat(fd_, &st) == 0 && S_ISREG(st.st_mode);
    return true;
  }

  // The next chunk (full but for the last), empty at the end; false on a read error.
  bool next(std::string_view& chunk, std::string& error) {
    if (current_size_ > 0) {
      lines_before_.push_back(lines_before_.back() + newlines(current_.data(), current_size_));
    }
    std::swap(current_, previous_);
    previous_size_ = current_size_;
    current_.resize(kChunk);
    if (!fill(current_.data(), kChunk, std::nullopt, current_size_, error)) return false;
    chunk = std::string_view(current_.data(), current_size_);
    return true;
  }

  // 1-based line of a stream offset; 0 when it can no longer be known (an old offset of a pipe).
  std::uint64_t line_of(std::uint64_t offset) {
    const std::size_t held = lines_before_.size() - 1;  // index of the current chunk
    auto k = static_cast<std::size_t>(offset / kChunk);
    if (k > held) k = held, offset = held * kChunk + current_size_;
    const auto within = static_cast<std::size_t>(offset - k * kChunk);
    if (k == held) return lines_before_[k] + newlines(current_.data(), within) + 1;
    if (k + 1 == held) return lines_before_[k] + newlines(previous_.data(), within) + 1;
    if (!seekable_) return 0;
    std::vector<char> again(within);
    std::size_t got = 0;
    std::string ignored;
    if (!fill(again.data(), within, k * kChunk, got, ignored) || got < within) return 0;
    return lines_before_[k] + newlines(again.data(), within) + 1;
  }

 private:
  static std::uint64_t newlines(const char* data, std::size_t size) {
    std::uint64_t n = 0;
    const char* const end = data + size;
    const char* p = data;
    while (p < end) {
      p = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)));
      if (p == nullptr) break;
      ++n;
      ++p;
    }
    return n;
  }

  // Reads `want` bytes into `into` (fewer only at the end of the input): pipes and terminals
  // give short reads. At `from` with pread for a re-read, else from where reading stands.
  bool fill(char* into, std::size_t want, std::optional<std::uint64_t> from, std::size_t& size,
            std::string& error) const {
    size = 0;
    while (size < want) {
      const ssize_t n =
          from ? ::pread(fd_, into + size, want - size, static_cast<off_t>(*from + size))
               : ::read(fd_, into + size, want - size);
      if (n == 0) break;
      if (n < 0) {
        if (errno == EINTR) continue;
        error = std::error_code(errno, std::generic_category()).message();
        return false;
      }
      size += static_cast<std::size_t>(n);
    }
    return true;
  }

  int fd_ = -1;
  bool seekable_ = false;
  std::vector<char> current_;
  std::vector<char> previous_;
  std::size_t current_size_ = 0;
  std::size_t previous_size_ = 0;
  std::vector<std::uint64_t> lines_before_{0};  // newlines before each chunk, one per chunk
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

// "FILE:LINE: error: what", the line left out when it cannot be known, then the frame quoted.
void print_finding(std::ostream& out, const std::string& path, std::uint64_t line,
                   const LintFinding& f) {
  out << path << ':' << (line > 0 ? std::to_string(line) + ":" : std::string()) << ' '
      << (f.warning ? "warning: " : "error: ");
  if (f.dropped_bytes > 0) {
    out << describe(f.error.code) << ": " << f.dropped_bytes << " bytes dropped at byte "
        << f.frame_offset << " of the input";
  } else {
    out << to_string(f.error, f.frame);
  }
  if (!f.frame.empty()) out << "\n    " << excerpt(f.frame);
  out << '\n';
}

int run_lint(const LintOptions& options) {
  const Mode mode = options.strict ? Mode::kStrict : Mode::kLenient;
  LintStats total;
  nlohmann::json files = nlohmann::json::array();
  std::size_t shown = 0;
  std::size_t hidden = 0;
  bool read_failed = false;

  for (const std::string& path : options.files) {
    ChunkedInput input;
    std::string error;
    if (!input.open(path, error)) {
      std::cerr << "twincert lint: cannot read " << path << ": " << error << '\n';
      read_failed = true;
      continue;
    }
    const auto on_finding = [&](const LintFinding& f) {
      if (f.warning && !options.show_warnings) return;
      if (shown >= options.show) {
        ++hidden;
        return;
      }
      ++shown;
      print_finding(std::cerr, path, input.line_of(f.frame_offset), f);
    };
    CaptureLinter linter(mode, on_finding);
    std::string_view chunk;
    while (input.next(chunk, error) && !chunk.empty()) linter.feed(chunk);
    if (!error.empty()) {
      std::cerr << "twincert lint: cannot read " << path << ": " << error << '\n';
      read_failed = true;
    }
    linter.finish();
    const LintStats& s = linter.stats();
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
      "Findings (file:line: error: ...) go to standard error, the table to standard output.\n\n"
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
  return [options] { return run_lint(*options); };
}

}  // namespace twincert::cli

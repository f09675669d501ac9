// Reading captures for `twincert lint`: in fixed chunks, so memory stays flat whatever the
// file's size, and a large regular file in segments linted on several threads whose results
// are joined to exactly what one pass over the file gives (statistics, findings in order, the
// lines they name).
//
// Why the join is exact: a segment begins at a line start that holds '$' or '!', where a
// one-pass framer is idle with nothing held but a garbage count that the sentence there ends
// (the segment before flushes the same count at its end). What the linter carries across lines
// beyond that is only the AIS fragments of a message not yet complete: when the segment before
// ends holding some, its linter goes on over the next segment instead, and that segment's own
// results are dropped.
//
// Thread-safety: lint_capture runs its own worker threads and returns after joining them; the
// caller's callbacks run on the calling thread only.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "twincert/protocols/nmea0183/lint.hpp"

namespace twincert::cli {

struct LintInputOptions {
  nmea0183::Mode mode = nmea0183::Mode::kLenient;
  unsigned jobs = 1;                                     // threads for a large regular file
  std::uint64_t segment_bytes = std::uint64_t{8} << 20;  // a file smaller than two is one pass
  std::size_t keep_findings = 10;  // findings kept to print, in file order; the rest counted
  bool keep_warnings = false;      // whether tolerated violations count as findings
};

// A finding ready to print: the line it is on (0 when it cannot be known, from a pipe) and
// the text after "FILE:LINE: ".
struct PrintableFinding {
  std::uint64_t line = 0;
  std::string text;
};

struct LintedCapture {
  bool opened = false;  // false: nothing was read (see read_error)
  nmea0183::LintStats stats;
  std::uint64_t printed_findings = 0;  // given to `print`: at most keep_findings
  std::uint64_t more_findings = 0;     // findings beyond those
  std::string read_error;              // empty unless the capture could not be read
};

// Lints the file at `path` ("-": standard input). `describe` turns a finding into its text
// (called on worker threads; it must only read its argument); `print` gets the findings kept,
// in file order, on the calling thread: as they are found when the capture is read in one pass
// (a live stream from a pipe), else after the segments are joined.
LintedCapture lint_capture(const std::string& path, const LintInputOptions& options,
                           const std::function<std::string(const nmea0183::LintFinding&)>& describe,
                           const std::function<void(const PrintableFinding&)>& print);

}  // namespace twincert::cli

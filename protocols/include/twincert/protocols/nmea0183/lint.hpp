// Checks a capture (plain NMEA lines, lines with tag blocks, gpsd-style '#' comments) against
// IEC 61162-1 and counts, per sentence type, how many sentences were valid and which errors and
// tolerated violations occurred. AIS sentences are also joined and their payloads decoded.
//
// Pure code: the caller feeds bytes (any chunking) and reads the statistics. Not thread-safe;
// one linter per capture or per set of captures.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>

#include "twincert/protocols/ais/assembler.hpp"
#include "twincert/protocols/nmea0183/framer.hpp"
#include "twincert/protocols/nmea0183/sentence.hpp"
#include "twincert/protocols/result.hpp"

namespace twincert::nmea0183 {

struct TypeStats {
  std::set<std::string, std::less<>> talkers;
  std::uint64_t count = 0;    // frames of this type
  std::uint64_t valid = 0;    // decoded without error (typed) or framed correctly (untyped)
  std::uint64_t untyped = 0;  // framed correctly, no typed decoder (e.g. proprietary)
  std::map<ErrorCode, std::uint64_t> errors;
  std::map<ErrorCode, std::uint64_t> warnings;  // violations tolerated in lenient mode
};

struct AisStats {
  std::map<int, std::uint64_t> messages_by_type;  // decoded, by ITU-R M.1371 type
  std::map<int, std::uint64_t> unsupported_by_type;
  std::map<ErrorCode, std::uint64_t> errors;  // payload and fragment problems
};

struct LintStats {
  std::map<std::string, TypeStats, std::less<>>
      types;                                         // by formatter ("GGA") or proprietary address
  std::map<ErrorCode, std::uint64_t> dropped_bytes;  // framer drops by reason
  FramerStats framer;
  AisStats ais;

  std::uint64_t error_count() const noexcept;    // sentence errors + drops + AIS errors
  std::uint64_t warning_count() const noexcept;  // tolerated violations
  void merge(const LintStats& other);
};

// One problem, for listing: where it is (stream offset of the frame) and what.
struct LintFinding {
  std::uint64_t frame_offset = 0;  // stream offset of the frame or of the first dropped byte
  std::string_view frame;          // empty for dropped bytes
  ParseError error;                // offset within the frame (for drops: within the stream)
  bool warning = false;
  std::size_t dropped_bytes = 0;  // bytes the framer had to drop (0 for sentence findings)
};

class CaptureLinter {
 public:
  explicit CaptureLinter(Mode mode, std::function<void(const LintFinding&)> on_finding = {});
  CaptureLinter(const CaptureLinter&) = delete;
  CaptureLinter& operator=(const CaptureLinter&) = delete;
  ~CaptureLinter();

  void feed(std::string_view chunk);
  void finish();
  const LintStats& stats() const noexcept { return stats_; }
  // AIS fragments held for a message not yet complete: the only state a linter carries from
  // one line to the next beyond the framer's (which is at rest at a line start).
  std::size_t held_fragments() const noexcept { return assembler_.pending(); }

 private:
  class DropSink;
  void check_frame(std::string_view frame, std::uint64_t offset, Terminator terminator);
  void check_ais(const RawSentence& sentence, std::uint64_t offset, std::string_view frame);
  TypeStats& type_stats(std::string_view key);

  struct RecentType {
    std::string_view key;  // the map's own key string
    TypeStats* stats = nullptr;
  };

  Mode mode_;
  std::function<void(const LintFinding&)> on_finding_;
  LintStats stats_;
  std::unique_ptr<DropSink> sink_;
  Framer framer_;
  ais::FragmentAssembler assembler_;
  std::array<RecentType, 8> recent_types_{};
  std::size_t next_recent_ = 0;
};

// The type key lint uses for a frame that could not be parsed: the formatter if the address
// is readable, else "?".
std::string guess_type(std::string_view frame);

}  // namespace twincert::nmea0183

// Incremental framer: cuts a byte stream (serial line, TCP stream, capture file) into frames,
// each an optional tag block plus one sentence, without the line terminator.
//
// Fed arbitrary chunks (one byte at a time or a whole file), it yields the same frames. It
// resynchronises at the next '$', '!' or '\' after garbage and reports every dropped byte range
// to an ErrorSink with the reason (garbage, a sentence cut short by the next one, over-length,
// a non-printable byte). Lines starting with the comment character ('#', as in gpsd logs) are
// skipped and counted. Memory is one fixed buffer of kMaxFrameLength bytes: longer input is
// dropped, never stored.
//
// Usage:
//   while (!chunk.empty()) {
//     auto r = framer.feed(chunk);
//     chunk.remove_prefix(r.consumed);
//     if (r.status == FrameStatus::kComplete) use(framer.frame());
//   }
//   if (framer.finish()) use(framer.frame());
//
// frame() stays valid until the next feed()/finish() call, and while the caller's chunk is alive
// (it may point into the chunk). Not thread-safe; one framer per stream.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "twincert/protocols/nmea0183/sentence.hpp"
#include "twincert/protocols/result.hpp"

namespace twincert::nmea0183 {

// Longest frame kept: a lenient sentence plus a maximal tag block, with room to spare.
inline constexpr std::size_t kMaxFrameLength = 512;

// Receives what the framer had to drop. `stream_offset` in the error is the offset from the
// start of the stream of the first dropped byte.
class ErrorSink {
 public:
  virtual ~ErrorSink() = default;
  virtual void on_dropped(std::size_t byte_count, const ParseError& why) = 0;
};

enum class FrameStatus : std::uint8_t { kNeedMore, kComplete };

// How the frame ended.
enum class Terminator : std::uint8_t {
  kCrLf,          // as the standard requires
  kLf,            // bare LF (common in files)
  kCr,            // bare CR
  kNextStart,     // another sentence followed on the same line right after "*hh"
  kEndOfInput,    // finish() flushed it
  kUnterminated,  // "*hh" followed by bytes that cannot belong to a sentence
};

struct FeedResult {
  std::size_t consumed = 0;
  FrameStatus status = FrameStatus::kNeedMore;
};

struct FramerStats {
  std::uint64_t frames = 0;
  std::uint64_t comment_lines = 0;
  std::uint64_t drops = 0;
  std::uint64_t dropped_bytes = 0;
};

class Framer {
 public:
  // sink may be null (drops are then only counted).
  explicit Framer(ErrorSink* sink = nullptr, char comment = '#') noexcept
      : sink_(sink), comment_(comment) {}

  FeedResult feed(std::string_view chunk) noexcept;
  // End of input: returns true if a final unterminated frame is available in frame(); also
  // reports trailing garbage.
  bool finish() noexcept;

  std::string_view frame() const noexcept { return frame_; }
  Terminator terminator() const noexcept { return terminator_; }
  // Offset of the frame's first byte from the start of the stream.
  std::uint64_t frame_offset() const noexcept { return frame_offset_; }
  const FramerStats& stats() const noexcept { return stats_; }

 private:
  enum class State : std::uint8_t {
    kIdle,       // between frames, at line start or after garbage
    kComment,    // skipping a comment line
    kDiscard,    // skipping the rest of a dropped frame up to the line end or next start
    kTag,        // inside "\...", before the closing '\'
    kTagClosed,  // after the closing '\', expecting '$' or '!'
    kSentence,   // inside the sentence
    kAfterCr,    // saw CR, waiting to see whether LF follows
  };

  void drop(std::size_t byte_count, ErrorCode code, std::uint64_t offset) noexcept;
  void flush_garbage() noexcept;
  bool append(const char* data, std::size_t size) noexcept;
  void begin_frame(std::uint64_t offset) noexcept;
  FeedResult complete(const char* chunk, std::size_t segment_begin, std::size_t end,
                      std::size_t consumed, Terminator terminator) noexcept;

  ErrorSink* sink_;
  char comment_;
  State state_ = State::kIdle;
  bool at_line_start_ = true;
  bool star_seen_ = false;       // '*' seen in the current sentence
  std::uint8_t after_star_ = 0;  // characters since that '*', saturating at 2
  std::uint64_t position_ = 0;   // stream offset of the chunk's first byte
  std::uint64_t garbage_begin_ = 0;
  std::size_t garbage_ = 0;
  std::uint64_t frame_offset_ = 0;
  std::size_t frame_length_ = 0;  // bytes of the current frame so far
  std::size_t buffered_ = 0;      // bytes of it held in buffer_
  std::string_view frame_;
  Terminator terminator_ = Terminator::kCrLf;
  FramerStats stats_;
  std::array<char, kMaxFrameLength> buffer_{};
};

}  // namespace twincert::nmea0183

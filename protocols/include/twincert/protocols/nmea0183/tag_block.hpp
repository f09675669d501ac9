// IEC 61162-1 (ed.4+, NMEA 4.10) tag blocks: "\s:GP0001,c:1700000000,n:42*hh\" before a sentence.
//
// The checksum is the XOR of the characters between the opening '\' and '*'. Keys (see
// docs/formats/tag-block.md): c UNIX time, d destination, g group (sentence-total-id), n line
// count, r relative time, s source, t text. TagBlock owns its strings (each at most 15 characters,
// which fits std::string's small buffer, so a decode usually allocates nothing). Values and free
// functions are thread-compatible.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "twincert/protocols/nmea0183/sentence.hpp"
#include "twincert/protocols/result.hpp"

namespace twincert::nmea0183 {

// Tag-block length limit between and excluding the two '\' (used by the FKIE 61162-450
// dissector; the standard's own figure is unverified, see docs/sources.md).
inline constexpr std::size_t kMaxTagBlockLength = 80;
// Longest text value of s:, d: and t:.
inline constexpr std::size_t kMaxTagTextLength = 15;

// g: sentence-number - total-sentences - group id.
struct SentenceGroup {
  std::uint32_t number = 0;
  std::uint32_t total = 0;
  std::uint32_t id = 0;
  friend bool operator==(const SentenceGroup&, const SentenceGroup&) = default;
};

struct TagBlock {
  std::optional<std::int64_t> unix_time;      // c: seconds (some writers use milliseconds)
  std::optional<std::string> destination;     // d:
  std::optional<SentenceGroup> group;         // g:
  std::optional<std::int64_t> line_count;     // n:
  std::optional<std::int64_t> relative_time;  // r:
  std::optional<std::string> source;          // s: (in IEC 61162-450 a system function ID)
  std::optional<std::string> text;            // t:
  friend bool operator==(const TagBlock&, const TagBlock&) = default;
};

// Parses a tag block. `input` starts with '\' and the block ends at the next '\'; `consumed`
// receives the length including both delimiters. Unknown keys and a missing checksum are
// violations (errors in strict mode).
Result<TagBlock> parse_tag_block(std::string_view input, Mode mode, Violations* violations,
                                 std::size_t* consumed) noexcept;

// "\c:...,s:...*hh\" with keys in the order c, d, g, n, r, s, t. Text values are written as
// given (callers keep them free of ',', '*' and '\'). Requires: at least one key is set (an
// empty tag block is not valid; lenient parsing returns one when every key was unknown).
std::string format_tag_block(const TagBlock& tag);
// The same, appended to `out` (nothing allocated once `out` has room).
void append_tag_block(const TagBlock& tag, std::string& out);

// Tag blocks "\c:C,n:N,r:R,s:S*hh\" for a stream of lines, as a generator or a 450 sender
// writes them before every sentence: the same text as append_tag_block() with those four keys,
// in a fraction of the time, because c:, r: and s: change far less often than n: and each part's
// text and checksum are kept until its value changes. Thread-compatible.
class TagBlockStamper {
 public:
  void append(std::int64_t unix_time, std::int64_t line_count, std::int64_t relative_time,
              std::string_view source, std::string& out);

 private:
  // A part's value as text, with the separators around it, and the XOR of that text.
  struct Part {
    std::optional<std::int64_t> value;  // none before the first line
    std::string text;
    std::uint8_t checksum = 0;
  };
  Part time_;      // "c:C,n:"
  Part relative_;  // ",r:R,s:"
  std::string source_;
  std::uint8_t source_checksum_ = 0;
};

// A line as it appears in a capture or a 450 datagram: optional tag block, then the sentence.
struct TaggedSentence {
  TaggedSentence() noexcept {}  // NOLINT(modernize-use-equals-default): see RawSentence()
  TaggedSentence(std::optional<TagBlock> t, RawSentence s) : tag(std::move(t)), sentence(s) {}

  std::optional<TagBlock> tag;
  RawSentence sentence;  // its violations include the tag block's
};

// Parses "[\tag\]$sentence[\r\n]". Error offsets are relative to `line`.
Result<TaggedSentence> parse_tagged_sentence(std::string_view line, Mode mode) noexcept;

}  // namespace twincert::nmea0183

// IEC 61162-1 / NMEA 0183 sentences below the typed layer: framing rules, checksum, address and
// field views.
//
// parse_sentence() checks one sentence ("$GPHDT,274.07,T*03", with or without CR LF) and returns
// a RawSentence whose field views point into the caller's buffer: the buffer must outlive the
// RawSentence. Nothing is allocated. Two modes:
//   - strict: the standard to the letter; any broken rule is an error. Use it on what a twin
//     under test emits.
//   - lenient: what real devices send (missing checksum, over-length, lower-case hex, bare LF,
//     trailing bytes, raw reserved characters...). The sentence is accepted and each rule it broke
//     is recorded in violations(). A wrong checksum or a non-printable byte is an error in both.
// All functions are noexcept and thread-compatible (no shared state).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "twincert/protocols/result.hpp"

namespace twincert::nmea0183 {

// Limits from IEC 61162-1 (framing, docs/sources.md) and the ones twincert adds to keep
// lenient parsing bounded.
inline constexpr std::size_t kMaxSentenceLength = 82;          // incl. '$' and CR LF
inline constexpr std::size_t kMaxLenientSentenceLength = 256;  // longest accepted from devices
inline constexpr std::size_t kMaxFields = 120;                 // fields after the address

enum class Mode : std::uint8_t { kStrict, kLenient };

// The rules a sentence broke that lenient mode tolerated. Keeps every code as a bit and the first
// few errors with their positions; fixed size, no allocation.
class Violations {
 public:
  static constexpr std::size_t kKept = 4;

  void add(const ParseError& error) noexcept;
  void merge(const Violations& other) noexcept;
  bool empty() const noexcept { return codes_ == 0; }
  bool has(ErrorCode code) const noexcept {
    return (codes_ >> static_cast<unsigned>(code) & 1U) != 0;
  }
  std::uint64_t codes() const noexcept { return codes_; }
  std::span<const ParseError> first() const noexcept { return {kept_.data(), count_}; }

 private:
  std::array<ParseError, kKept> kept_{};
  std::size_t count_ = 0;
  std::uint64_t codes_ = 0;
};

// Applies the mode to a broken rule: strict returns the error, lenient records it and returns
// nothing. Shared by every parser in protocols so "strict" means the same everywhere.
inline std::optional<ParseError> breach(Mode mode, Violations* violations,
                                        const ParseError& error) {
  if (mode == Mode::kStrict) return error;
  if (violations != nullptr) violations->add(error);
  return std::nullopt;
}

// XOR of every byte of `covered` (the text between '$'/'!' and '*').
std::uint8_t checksum_of(std::string_view covered) noexcept;

// "*hh" suffix for a checksum, upper-case as the standard requires.
std::array<char, 3> checksum_suffix(std::uint8_t checksum) noexcept;

// Value of an ASCII hex digit, or -1.
constexpr int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// Reserved characters may not appear raw inside a field (they are written as ^hh).
constexpr bool is_reserved(char c) noexcept {
  return c == '\r' || c == '\n' || c == '!' || c == '$' || c == '*' || c == ',' || c == '\\' ||
         c == '^' || c == '~' || c == 0x7F;
}

// One parsed sentence. Views point into the parsed buffer.
class RawSentence {
 public:
  // User-provided so that value-initialisation does not zero the field table first (a
  // measurable cost per sentence); an empty sentence has no fields.
  RawSentence() noexcept {}  // NOLINT(modernize-use-equals-default)

  // '$' (parametric) or '!' (encapsulation, e.g. AIS).
  char start() const noexcept { return text_.empty() ? '\0' : text_.front(); }
  // Address field: "GPGGA", or "PGRME" for a proprietary sentence.
  std::string_view address() const noexcept { return field(0); }
  bool proprietary() const noexcept { return address().starts_with('P'); }
  // Two-character talker ("GP"), or "P" for proprietary sentences.
  std::string_view talker() const noexcept;
  // Sentence formatter ("GGA"); for proprietary sentences the maker's mnemonic plus type ("GRME").
  std::string_view formatter() const noexcept;

  // Number of data fields after the address.
  std::size_t field_count() const noexcept { return count_; }
  // Field i (1-based, 0 is the address); an empty view past the last field.
  std::string_view field(std::size_t index) const noexcept;
  // Byte offset of field i in the parsed input (for error positions).
  std::size_t field_offset(std::size_t index) const noexcept;

  // From the start delimiter up to (not including) '*' or the end.
  std::string_view body() const noexcept { return text_; }
  // The transmitted checksum, if there was one.
  std::optional<std::uint8_t> checksum() const noexcept { return checksum_; }
  const Violations& violations() const noexcept { return violations_; }
  Violations& violations() noexcept { return violations_; }

 private:
  friend std::optional<ParseError> parse_sentence_into(std::string_view input, Mode mode,
                                                       RawSentence& out) noexcept;

  std::string_view text_;
  std::size_t count_ = 0;
  // starts_[i] = offset in text_ of field i; starts_[count_+1] = one past the end + 1. Offsets
  // fit a byte because the body is shorter than kMaxLenientSentenceLength.
  // Left uninitialised on purpose: only entries 0..count_+1 are ever written or read.
  std::array<std::uint8_t, kMaxFields + 2> starts_;
  std::optional<std::uint8_t> checksum_;
  Violations violations_;
};

// Parses one sentence (no tag block). `input` may end with CR LF.
Result<RawSentence> parse_sentence(std::string_view input, Mode mode) noexcept;
// The same, into an existing RawSentence (no copy); returns the error, if any.
std::optional<ParseError> parse_sentence_into(std::string_view input, Mode mode,
                                              RawSentence& out) noexcept;

// Builds a sentence field by field and appends "*hh\r\n": the encode side of RawSentence.
// Values are written as given: callers escape text with escape_text() first.
//
// Either owns its text (finish() returns it) or appends to the caller's string (close() ends
// the sentence there), so a generator can write many sentences into one reused buffer without
// allocating. Not copyable or movable: it may point at its own text.
class SentenceWriter {
 public:
  // address: e.g. "GPGGA"; start: '$' or '!'.
  explicit SentenceWriter(std::string_view address, char start = '$');
  // Appends to `out` (whose earlier content is left alone): start, talker + formatter, fields.
  SentenceWriter(std::string& out, std::string_view talker, std::string_view formatter,
                 char start = '$');
  SentenceWriter(const SentenceWriter&) = delete;
  SentenceWriter& operator=(const SentenceWriter&) = delete;
  ~SentenceWriter() = default;

  SentenceWriter& field(std::string_view value);
  SentenceWriter& empty_field() { return field({}); }
  // Starts a field and returns the text to append its value to.
  std::string& open_field() {
    *text_ += ',';
    return *text_;
  }
  // Appends the checksum and CR LF.
  void close();
  // The finished sentence with checksum and CR LF (only for a writer that owns its text).
  std::string finish() &&;
  // This sentence's text so far (start delimiter, address, fields).
  std::string_view body() const noexcept { return std::string_view(*text_).substr(begin_); }

 private:
  std::string own_;
  std::string* text_;
  std::size_t begin_ = 0;
};

// Decodes ^hh escapes (ISO 8859-1 code points are returned as UTF-8).
Result<std::string> unescape_text(std::string_view field) noexcept;
// Writes reserved and non-printable characters as ^hh.
std::string escape_text(std::string_view text);

}  // namespace twincert::nmea0183

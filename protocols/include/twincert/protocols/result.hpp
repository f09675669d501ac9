// Error values and Result<T> for everything that parses untrusted bytes.
//
// Parsers in twincert::protocols never throw on bad input: they return a Result<T> holding either
// the value or a ParseError. ParseError is a small trivially-copyable value (code, byte offset,
// field number, static detail text), so the error path allocates nothing. Result<T> copies the
// subset of C++23 std::expected that the project uses, so moving to std::expected later is an
// alias. All types here are plain values and safe to use from any thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace twincert {

// Why a parser rejected (or, in lenient mode, flagged) its input.
enum class ErrorCode : std::uint8_t {
  kEmpty,               // nothing to parse
  kBadStartDelimiter,   // a sentence must start with '$' or '!'
  kTooLong,             // longer than the limit of the format (82 chars for a sentence)
  kIllegalCharacter,    // a byte outside printable ASCII, or a reserved character in a field
  kMissingChecksum,     // no "*hh" where the standard requires one
  kBadChecksumFormat,   // "*" not followed by exactly two upper-case hex digits
  kBadChecksum,         // checksum does not match the XOR of the covered bytes
  kMissingTerminator,   // not ended by CR LF
  kTrailingCharacters,  // bytes after the checksum on the same line
  kBadAddress,          // address field is not talker(2)+formatter(3) or P+maker(3)+...
  kBadEscape,           // '^' not followed by two hex digits
  kUnknownSentence,     // a formatter twincert has no typed decoder for
  kTooFewFields,        // fewer fields than the sentence needs
  kTooManyFields,       // more fields than the sentence defines
  kBadFieldFormat,      // a field is not of its declared format (number, time, letter ...)
  kFieldOutOfRange,     // a field is well formed but its value is outside the allowed range
  kRequiredFieldEmpty,  // a field the standard says must not be null is empty
  kBadUnit,             // a unit or reference letter is not the one the sentence requires
  kTruncated,           // a sentence was cut off by the start of the next one or end of input
  kGarbage,             // bytes between sentences that are not a sentence, tag block or comment
  kBadTagBlock,         // tag block syntax error (key:value pairs, delimiters)
  kBadTagChecksum,      // tag block checksum missing or wrong
  kBad450Header,        // datagram does not start with the IEC 61162-450 token "UdPbC\0"
  kDatagramTooLarge,    // datagram larger than the IEC 61162-450 size limit
  kMissingTagBlock,     // IEC 61162-450 sentence without its mandatory tag block
  kBadSourceId,         // tag "s:" is not a system function ID (talker + 4 digits)
  kBadLineCount,        // tag "n:" missing or outside 1..999
  kBadArmoring,         // AIS payload character outside the 6-bit alphabet
  kBadFillBits,         // AIS fill-bit count outside 0..5 or inconsistent with payload
  kAisTooShort,         // AIS payload has fewer bits than its message type needs
  kUnsupportedAisType,  // AIS message type twincert does not decode
  kFragmentOutOfOrder,  // AIS fragment number not the next one expected
  kFragmentMismatch,    // AIS fragment disagrees with earlier ones (count, channel, kind)
  kFragmentMissing,     // AIS message abandoned before all fragments arrived
};

// A short, stable, human-readable name for the code (e.g. "BadChecksum"). Never allocates.
std::string_view describe(ErrorCode code) noexcept;

// True when the error means framing was lost (the caller must resynchronise or drop the
// connection), false when only the current sentence is affected.
bool is_fatal(ErrorCode code) noexcept;

// What went wrong and where. offset is the byte offset in the input given to the parser;
// field is the 1-based field number after the address (0 when not about a field). detail is a
// static string naming what was checked (e.g. "latitude minutes"); it is never owned.
struct ParseError {
  ErrorCode code = ErrorCode::kEmpty;
  std::uint32_t offset = 0;
  std::uint16_t field = 0;
  const char* detail = "";

  friend bool operator==(const ParseError& a, const ParseError& b) noexcept {
    return a.code == b.code && a.offset == b.offset && a.field == b.field;
  }
};

// "BadChecksum at 74" or "FieldOutOfRange at 17 field 3: latitude minutes". When the parsed text
// is given, the offending field's text is quoted too.
std::string to_string(const ParseError& error, std::string_view input = {});

constexpr ParseError make_error(ErrorCode code, std::size_t offset, std::size_t field = 0,
                                const char* detail = "") noexcept {
  return ParseError{code, static_cast<std::uint32_t>(offset), static_cast<std::uint16_t>(field),
                    detail};
}

// Result<T>: a value or a ParseError; [[nodiscard]] so no failure goes unnoticed.
template <class T>
class [[nodiscard]] Result {
 public:
  // Implicit on purpose, as std::expected: `return value;` and `return error;` read naturally.
  // NOLINTNEXTLINE(google-explicit-constructor)
  Result(const T& value) : storage_(value) {}
  // NOLINTNEXTLINE(google-explicit-constructor)
  Result(T&& value) : storage_(std::move(value)) {}
  // NOLINTNEXTLINE(google-explicit-constructor)
  Result(const ParseError& error) : storage_(error) {}
  // A default-constructed value to fill in place (saves a copy of large values).
  explicit Result(std::in_place_t /*tag*/) : storage_(std::in_place_index<0>) {}

  bool has_value() const noexcept { return storage_.index() == 0; }
  explicit operator bool() const noexcept { return has_value(); }

  // Requires: has_value().
  T& value() & { return std::get<0>(storage_); }
  const T& value() const& { return std::get<0>(storage_); }
  T&& value() && { return std::get<0>(std::move(storage_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  // Requires: !has_value().
  const ParseError& error() const { return std::get<1>(storage_); }

  template <class U>
  T value_or(U&& fallback) const& {
    return has_value() ? value() : static_cast<T>(std::forward<U>(fallback));
  }

 private:
  std::variant<T, ParseError> storage_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  // NOLINTNEXTLINE(google-explicit-constructor): implicit like the Result<T> constructors
  Result(const ParseError& error) : error_(error), ok_(false) {}

  bool has_value() const noexcept { return ok_; }
  explicit operator bool() const noexcept { return ok_; }
  const ParseError& error() const { return error_; }

 private:
  ParseError error_{};
  bool ok_ = true;
};

}  // namespace twincert

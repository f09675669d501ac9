// The field codec shared by every typed sentence.
//
// A typed sentence declares its fields once, in order, in a static `fields(self, codec)` function:
//
//   static void fields(auto& s, auto& c) {
//     c.decimal(s.heading, "heading_true_deg", 0, 360);
//     c.unit('T', "reference");
//   }
//
// The same declaration is run by FieldReader (decode), FieldWriter (encode), FieldCollector
// (generic display for the CLI) and, in tests, by a RapidCheck generator, so the four can never
// disagree about the layout. Empty fields are std::nullopt; numbers keep the exact digits that were
// transmitted (Decimal), so decode -> encode reproduces the sentence.
//
// Readers keep views into the RawSentence's buffer only while running; decoded values own their
// data. All types are thread-compatible.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "twincert/protocols/nmea0183/sentence.hpp"
#include "twincert/protocols/result.hpp"

namespace twincert::nmea0183 {

// A decimal number exactly as transmitted: value = units / 10^decimals.
struct Decimal {
  std::int64_t units = 0;
  std::uint8_t decimals = 0;

  double value() const noexcept;
  // Rounds v to the given number of decimals (0..9).
  static Decimal from_double(double v, int decimals) noexcept;
  friend bool operator==(const Decimal&, const Decimal&) = default;
};

// hhmmss(.ss) UTC. second may be 60 (leap second).
struct UtcTime {
  std::uint8_t hour = 0;
  std::uint8_t minute = 0;
  Decimal second;
  double seconds_of_day() const noexcept;
  friend bool operator==(const UtcTime&, const UtcTime&) = default;
};

// ddmmyy as in RMC: a two-digit year.
struct DayMonthYear {
  std::uint8_t day = 1;
  std::uint8_t month = 1;
  std::uint8_t year = 0;  // 00..99
  friend bool operator==(const DayMonthYear&, const DayMonthYear&) = default;
};

// llll.ll,a (latitude, N/S) or yyyyy.yy,a (longitude, E/W): degrees and minutes as transmitted.
struct GeoAngle {
  Decimal degrees_minutes;  // dddmm.mmmm
  char hemisphere = 'N';    // N, S, E or W
  // Signed decimal degrees (S and W negative).
  double degrees() const noexcept;
  // minute_decimals: digits after the point in the minutes (4 is 0.0001' = ~0.2 m).
  static GeoAngle latitude(double degrees, int minute_decimals = 4) noexcept;
  static GeoAngle longitude(double degrees, int minute_decimals = 4) noexcept;
  friend bool operator==(const GeoAngle&, const GeoAngle&) = default;
};

inline constexpr double kNoMin = -std::numeric_limits<double>::infinity();
inline constexpr double kNoMax = std::numeric_limits<double>::infinity();

// Decodes fields in declaration order. Errors are sticky: after the first one the remaining
// calls do nothing and finish() returns it. In lenient mode, range and vocabulary breaches are
// recorded in `violations` and the value is kept; a field that cannot be read at all is recorded
// and left null. A unit letter other than the one required stays an error in both modes: the
// value next to it would be misread.
class FieldReader {
 public:
  FieldReader(const RawSentence& sentence, Mode mode, Violations* violations) noexcept
      : sentence_(sentence), mode_(mode), violations_(violations) {}

  void decimal(std::optional<Decimal>& out, const char* name, double min = kNoMin,
               double max = kNoMax);
  // width > 0: a fixed-width field ("xx"); strict mode requires exactly that many digits.
  void integer(std::optional<std::int32_t>& out, const char* name, std::int32_t min,
               std::int32_t max, int width = 0);
  // One character from `allowed`.
  void letter(std::optional<char>& out, const char* name, std::string_view allowed);
  // A fixed unit or reference letter (not stored): must be `expected` or empty.
  void unit(char expected, const char* name);
  // Free text: ^hh escapes decoded.
  void text(std::optional<std::string>& out, const char* name);
  // A word of printable characters taken as is (identifiers, AIS payload).
  void word(std::optional<std::string>& out, const char* name, std::size_t max_length);
  void time(std::optional<UtcTime>& out, const char* name);
  void date(std::optional<DayMonthYear>& out, const char* name);
  void latitude(std::optional<GeoAngle>& out, const char* name);
  void longitude(std::optional<GeoAngle>& out, const char* name);

  // Entries of `entry_fields` fields each, read while that many fields remain.
  template <class Entry, class Visit>
  void repeated(std::vector<Entry>& out, const char* /*name*/, std::size_t entry_fields,
                std::size_t max_entries, Visit visit) {
    out.clear();
    while (!error_ && out.size() < max_entries && index_ + entry_fields <= field_count()) {
      visit(out.emplace_back(), *this);
    }
  }

  // Checks that no unexpected fields are left; returns the first error.
  Result<void> finish() noexcept;

 private:
  std::size_t field_count() const noexcept { return sentence_.field_count(); }
  // Next field, or nullopt after an error (the field index advances either way).
  std::optional<std::string_view> next() noexcept;
  void fail(ErrorCode code, const char* detail) noexcept;
  // Range or vocabulary breach: error in strict mode, violation in lenient mode.
  void breach_at(ErrorCode code, const char* detail) noexcept;
  // A field that cannot be read as its format: strict fails; lenient records the violation and
  // leaves the value null, because the rest of the sentence is still usable.
  void unreadable(const char* name) noexcept;
  void angle(std::optional<GeoAngle>& out, const char* name, int degree_digits, double max,
             std::string_view hemispheres);

  const RawSentence& sentence_;
  Mode mode_;
  Violations* violations_;
  std::size_t index_ = 0;  // last field read (address = 0)
  std::optional<ParseError> error_;
};

// Encodes fields in declaration order into a sentence with checksum and CR LF, appended to
// `out`. Numbers are formatted straight into `out`: nothing is allocated once it has room.
class FieldWriter {
 public:
  FieldWriter(std::string& out, std::string_view talker, std::string_view formatter, char start);

  void decimal(const std::optional<Decimal>& v, const char* name, double min = kNoMin,
               double max = kNoMax);
  void integer(const std::optional<std::int32_t>& v, const char* name, std::int32_t min,
               std::int32_t max, int width = 0);
  void letter(const std::optional<char>& v, const char* name, std::string_view allowed);
  void unit(char expected, const char* name);
  void text(const std::optional<std::string>& v, const char* name);
  void word(const std::optional<std::string>& v, const char* name, std::size_t max_length);
  void time(const std::optional<UtcTime>& v, const char* name);
  void date(const std::optional<DayMonthYear>& v, const char* name);
  void latitude(const std::optional<GeoAngle>& v, const char* name);
  void longitude(const std::optional<GeoAngle>& v, const char* name);

  template <class Entry, class Visit>
  void repeated(const std::vector<Entry>& entries, const char* /*name*/,
                std::size_t /*entry_fields*/, std::size_t max_entries, Visit visit) {
    std::size_t written = 0;
    for (const Entry& e : entries) {
      if (written++ == max_entries) break;
      visit(e, *this);
    }
  }

  // Appends the checksum and CR LF.
  void close() { writer_.close(); }

 private:
  SentenceWriter writer_;
};

// A named decoded value for generic display (CLI, JSON): null, number, integer or text.
struct NamedValue {
  std::string name;
  std::variant<std::monostate, double, std::int64_t, std::string> value;
};

// Flattens a typed sentence into NamedValues (repeated entries as "name[i].field").
class FieldCollector {
 public:
  void decimal(const std::optional<Decimal>& v, const char* name, double /*min*/ = kNoMin,
               double /*max*/ = kNoMax);
  void integer(const std::optional<std::int32_t>& v, const char* name, std::int32_t /*min*/,
               std::int32_t /*max*/, int /*width*/ = 0);
  void letter(const std::optional<char>& v, const char* name, std::string_view /*allowed*/);
  void unit(char /*expected*/, const char* /*name*/) {}
  void text(const std::optional<std::string>& v, const char* name);
  void word(const std::optional<std::string>& v, const char* name, std::size_t /*max_length*/);
  void time(const std::optional<UtcTime>& v, const char* name);
  void date(const std::optional<DayMonthYear>& v, const char* name);
  void latitude(const std::optional<GeoAngle>& v, const char* name);
  void longitude(const std::optional<GeoAngle>& v, const char* name);

  template <class Entry, class Visit>
  void repeated(const std::vector<Entry>& entries, const char* name, std::size_t /*entry_fields*/,
                std::size_t /*max_entries*/, Visit visit) {
    const std::string saved = std::exchange(prefix_, {});
    for (std::size_t i = 0; i < entries.size(); ++i) {
      prefix_ = saved + name + '[' + std::to_string(i) + "].";
      visit(entries[i], *this);
    }
    prefix_ = saved;
  }

  std::vector<NamedValue> take() && { return std::move(values_); }

 private:
  void put(const char* name, decltype(NamedValue::value) value);
  std::string prefix_;
  std::vector<NamedValue> values_;
};

// Decodes a RawSentence as sentence type T.
template <class T>
Result<T> decode(const RawSentence& sentence, Mode mode = Mode::kLenient,
                 Violations* violations = nullptr) {
  if (sentence.formatter() != T::kFormatter || sentence.start() != T::kStart) {
    return make_error(ErrorCode::kBadAddress, 1, 0, "sentence is of another type");
  }
  T out{};
  FieldReader reader(sentence, mode, violations);
  T::fields(out, reader);
  if (auto done = reader.finish(); !done) return done.error();
  return out;
}

// Appends a T with the given two-character talker ("GP") to `out`: the full sentence with CR LF.
template <class T>
void encode_into(const T& value, std::string_view talker, std::string& out) {
  FieldWriter writer(out, talker, T::kFormatter, T::kStart);
  T::fields(value, writer);
  writer.close();
}

// Encodes a T with the given two-character talker ("GP"): the full sentence with CR LF.
template <class T>
std::string encode(const T& value, std::string_view talker) {
  std::string out;
  out.reserve(kMaxSentenceLength);
  encode_into(value, talker, out);
  return out;
}

}  // namespace twincert::nmea0183

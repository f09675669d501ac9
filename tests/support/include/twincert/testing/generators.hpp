// RapidCheck generators driven by the same field declarations as the codecs: FieldGenerator
// fills any typed sentence with random values inside each field's declared range and
// vocabulary, and BitGenerator any AIS message. So every sentence type gets round-trip
// properties without a hand-written Arbitrary each. Use inside a RapidCheck property only.
// Not thread-safe: call them on the thread running the property.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "twincert/protocols/ais/messages.hpp"
#include "twincert/protocols/nmea0183/fields.hpp"
#include "twincert/protocols/nmea0183/tag_block.hpp"

#include <rapidcheck.h>

namespace twincert::testing {

// Printable characters that are not reserved: what identifiers and words may hold.
inline const std::string& word_characters() {
  static const std::string chars = [] {
    std::string s;
    for (char c = 0x20; c < 0x7F; ++c) {
      if (!nmea0183::is_reserved(c)) s += c;
    }
    return s;
  }();
  return chars;
}

inline std::string gen_word(std::size_t min_length, std::size_t max_length,
                            const std::string& alphabet = word_characters()) {
  const auto n = *rc::gen::inRange(min_length, max_length + 1);
  std::string s;
  for (std::size_t i = 0; i < n; ++i) s += *rc::gen::elementOf(alphabet);
  return s;
}

// Free text: any printable ASCII, reserved characters included (they travel as ^hh escapes),
// plus some Latin-1 letters as UTF-8. Never empty.
inline std::string gen_text() {
  static const std::vector<std::string> pieces = [] {
    std::vector<std::string> p;
    for (char c = 0x20; c < 0x7F; ++c) p.emplace_back(1, c);
    p.emplace_back("\xC3\xA9");  // é
    p.emplace_back("\xC3\x85");  // Å
    return p;
  }();
  const auto n = *rc::gen::inRange(1, 12);
  std::string s;
  for (int i = 0; i < n; ++i) s += *rc::gen::elementOf(pieces);
  return s;
}

class FieldGenerator {
 public:
  void decimal(std::optional<nmea0183::Decimal>& out, const char*, double min = nmea0183::kNoMin,
               double max = nmea0183::kNoMax) {
    if (absent()) return out.reset();
    const int decimals = *rc::gen::inRange(0, 4);
    const double scale = std::pow(10.0, decimals);
    const double lo = std::max(min, -1e5);
    const double hi = std::min(max, 1e5);
    const auto a = static_cast<std::int64_t>(std::ceil(lo * scale));
    const auto b = static_cast<std::int64_t>(std::floor(hi * scale));
    out = nmea0183::Decimal{*rc::gen::inRange<std::int64_t>(a, b + 1),
                            static_cast<std::uint8_t>(decimals)};
  }
  void integer(std::optional<std::int32_t>& out, const char*, std::int32_t min, std::int32_t max,
               int = 0) {
    if (absent()) return out.reset();
    out = *rc::gen::inRange<std::int32_t>(min, max + 1);
  }
  void letter(std::optional<char>& out, const char*, std::string_view allowed) {
    if (absent()) return out.reset();
    out = *rc::gen::elementOf(std::string(allowed));
  }
  void unit(char, const char*) {}
  void text(std::optional<std::string>& out, const char*) {
    if (absent()) return out.reset();
    out = gen_text();
  }
  void word(std::optional<std::string>& out, const char*, std::size_t max_length) {
    if (absent()) return out.reset();
    out = gen_word(1, std::min<std::size_t>(max_length, 10));
  }
  void time(std::optional<nmea0183::UtcTime>& out, const char*) {
    if (absent()) return out.reset();
    nmea0183::UtcTime t;
    t.hour = static_cast<std::uint8_t>(*rc::gen::inRange(0, 24));
    t.minute = static_cast<std::uint8_t>(*rc::gen::inRange(0, 60));
    const int decimals = *rc::gen::inRange(0, 4);
    t.second = nmea0183::Decimal{
        *rc::gen::inRange<std::int64_t>(0, 60 * static_cast<std::int64_t>(std::pow(10, decimals))),
        static_cast<std::uint8_t>(decimals)};
    out = t;
  }
  void date(std::optional<nmea0183::DayMonthYear>& out, const char*) {
    if (absent()) return out.reset();
    out = nmea0183::DayMonthYear{static_cast<std::uint8_t>(*rc::gen::inRange(1, 29)),
                                 static_cast<std::uint8_t>(*rc::gen::inRange(1, 13)),
                                 static_cast<std::uint8_t>(*rc::gen::inRange(0, 100))};
  }
  void latitude(std::optional<nmea0183::GeoAngle>& out, const char*) { angle(out, 90, "NS"); }
  void longitude(std::optional<nmea0183::GeoAngle>& out, const char*) { angle(out, 180, "EW"); }

  template <class Entry, class Visit>
  void repeated(std::vector<Entry>& out, const char*, std::size_t, std::size_t max_entries,
                Visit visit) {
    out.clear();
    const auto n = *rc::gen::inRange<std::size_t>(0, std::min<std::size_t>(max_entries, 4) + 1);
    for (std::size_t i = 0; i < n; ++i) visit(out.emplace_back(), *this);
  }

 private:
  static bool absent() { return *rc::gen::inRange(0, 4) == 0; }
  static void angle(std::optional<nmea0183::GeoAngle>& out, int max_degrees,
                    std::string_view hemispheres) {
    if (absent()) return out.reset();
    const int decimals = *rc::gen::inRange(0, 6);
    const auto scale = static_cast<std::int64_t>(std::pow(10, decimals));
    const std::int64_t degrees = *rc::gen::inRange<std::int64_t>(0, max_degrees);
    const std::int64_t minutes = *rc::gen::inRange<std::int64_t>(0, 60 * scale);
    out = nmea0183::GeoAngle{
        nmea0183::Decimal{degrees * 100 * scale + minutes, static_cast<std::uint8_t>(decimals)},
        *rc::gen::elementOf(std::string(hemispheres))};
  }
};

// A random valid value of typed sentence T.
template <class T>
T gen_sentence() {
  T value{};
  FieldGenerator g;
  T::fields(value, g);
  return value;
}

// Random talker: two upper-case letters, not starting with 'P' (proprietary).
inline std::string gen_talker() {
  return std::string(1, *rc::gen::elementOf(std::string("ABCDEFGHIJKLMNOQRSTUVWXYZ"))) +
         *rc::gen::elementOf(std::string("ABCDEFGHIJKLMNOPQRSTUVWXYZ"));
}

// AIS: random bits for every declared field.
class BitGenerator {
 public:
  void u(std::uint32_t& out, unsigned width) {
    out =
        static_cast<std::uint32_t>(*rc::gen::inRange<std::uint64_t>(0, std::uint64_t{1} << width));
  }
  void s(std::int32_t& out, unsigned width) {
    const std::int64_t half = std::int64_t{1} << (width - 1U);
    out = static_cast<std::int32_t>(*rc::gen::inRange<std::int64_t>(-half, half));
  }
  void b(bool& out) { out = *rc::gen::arbitrary<bool>(); }
  void text(std::string& out, std::size_t chars) {
    // AIS text table: '@'..'_' and ' '..'?'; decoders strip trailing '@' and spaces.
    static const std::string alphabet = [] {
      std::string a;
      for (char c = ' '; c <= '_'; ++c) a += c;
      return a;
    }();
    out = gen_word(0, chars, alphabet);
    while (!out.empty() && (out.back() == '@' || out.back() == ' ')) out.pop_back();
  }
};

template <class M>
M gen_ais_message() {
  M m{};
  const std::uint32_t type = m.message_type;
  BitGenerator g;
  M::bits(m, g);
  m.message_type = type;  // keep the type (and part) the struct stands for
  if constexpr (requires { m.part; }) m.part = M{}.part;
  return m;
}

inline nmea0183::TagBlock gen_tag_block() {
  static const std::string text_chars = [] {
    std::string s;
    for (char c : word_characters()) {
      if (c != ':') s += c;
    }
    return s;
  }();
  nmea0183::TagBlock t;
  const auto maybe = [] { return *rc::gen::inRange(0, 2) == 0; };
  if (maybe()) t.unix_time = *rc::gen::inRange<std::int64_t>(0, 9999999999999);
  if (maybe()) t.destination = gen_word(1, 15, text_chars);
  if (maybe()) {
    t.group = nmea0183::SentenceGroup{*rc::gen::inRange<std::uint32_t>(1, 10),
                                      *rc::gen::inRange<std::uint32_t>(1, 10),
                                      *rc::gen::inRange<std::uint32_t>(0, 100000)};
  }
  if (maybe()) t.line_count = *rc::gen::inRange<std::int64_t>(1, 1000);
  if (maybe()) t.relative_time = *rc::gen::inRange<std::int64_t>(0, 1000000);
  if (maybe()) t.source = gen_word(1, 15, text_chars);
  if (maybe()) t.text = gen_word(1, 15, text_chars);
  if (!t.unix_time && !t.destination && !t.group && !t.line_count && !t.relative_time &&
      !t.source && !t.text) {
    t.source = "GP0001";
  }
  return t;
}

}  // namespace twincert::testing

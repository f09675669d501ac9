// ALR — set alarm state (legacy, pre-BAM).
//
//   $--ALR,hhmmss.ss,xxx,A,A,c--c*hh
//    1 time of alarm condition change   2 alarm number 000..999 at the source
//    3 condition A threshold exceeded / V not exceeded   4 acknowledged A / V   5 description
//
// Layout: Furuno FAR-2228, FA-50 AP-16 (docs/sources.md). Confidence: verified.
// A plain value: thread-compatible.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "twincert/protocols/nmea0183/fields.hpp"

namespace twincert::nmea0183 {

struct Alr {
  static constexpr std::string_view kFormatter = "ALR";
  static constexpr std::string_view kTitle = "set alarm state (legacy, pre-BAM)";
  static constexpr char kStart = '$';

  std::optional<UtcTime> time;
  std::optional<std::int32_t> alarm_id;
  std::optional<char> condition;
  std::optional<char> acknowledged;
  std::optional<std::string> description;

  static void fields(auto& s, auto& c) {
    c.time(s.time, "time");
    c.integer(s.alarm_id, "alarm_id", 0, 999, 3);
    c.letter(s.condition, "condition", "AV");
    c.letter(s.acknowledged, "acknowledged", "AV");
    c.text(s.description, "description");
  }
  friend bool operator==(const Alr&, const Alr&) = default;
};

}  // namespace twincert::nmea0183

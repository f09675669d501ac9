// FIR — fire detection.
//
//   $--FIR,a,hhmmss.ss,aa,cc,xxx,xxx,a,a,c--c*hh
//    1 message type S status / E event / F fault / D disablement   2 time
//    3 detection system FD generic / OT other (FH, FS, MC unverified)
//    4 first division indicator (2 chars)   5 second division indicator (3 digits)
//    6 detector number (E) or count of activated detectors (S)
//    7 condition A activation / V non-activation / X fault   8 alarm acknowledged A/V   9 text
//
// Layout: Tyco T1200-C MARINEC-P-A §10.2, pynmeagps (docs/sources.md). Condition X is
// UNVERIFIED. Confidence: verified for fields 1-9. A plain value: thread-compatible.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "twincert/protocols/nmea0183/fields.hpp"

namespace twincert::nmea0183 {

struct Fir {
  static constexpr std::string_view kFormatter = "FIR";
  static constexpr std::string_view kTitle = "fire detection";
  static constexpr char kStart = '$';

  std::optional<char> message_type;
  std::optional<UtcTime> time;
  std::optional<std::string> system_type;
  std::optional<std::string> division1;
  std::optional<std::int32_t> division2;
  std::optional<std::int32_t> detector_number_or_count;
  std::optional<char> condition;
  std::optional<char> acknowledged;
  std::optional<std::string> description;

  static void fields(auto& s, auto& c) {
    c.letter(s.message_type, "message_type", "SEFD");
    c.time(s.time, "time");
    c.word(s.system_type, "system_type", 2);
    c.word(s.division1, "division1", 2);
    c.integer(s.division2, "division2", 0, 999, 3);
    c.integer(s.detector_number_or_count, "detector_number_or_count", 0, 999, 3);
    c.letter(s.condition, "condition", "AVX");
    c.letter(s.acknowledged, "acknowledged", "AV");
    c.text(s.description, "description");
  }
  friend bool operator==(const Fir&, const Fir&) = default;
};

}  // namespace twincert::nmea0183

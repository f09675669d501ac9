// WAT — water level detection.
//
//   $--WAT,a,hhmmss.ss,aa,xx,xx,xxx,a,a,c--c*hh
//    1 message type S / E / F (as DOR)   2 time
//    3 alarm type WL water level / BI bilge high level / HD hull door leakage / OT other
//    4 first location indicator (2 chars)   5 second location indicator (2 chars)
//    6 detection point number or count   7 alarm condition   8 override setting   9 text
//
// Layout: Furuno VR-7000S IM p.115 (docs/sources.md). Fields 7-8 vocabularies are
// UNVERIFIED (N normal, H high, J high-high, L low, K low-low, X fault; O override on, N off):
// decoding accepts other letters in lenient mode. A plain value: thread-compatible.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "twincert/protocols/nmea0183/fields.hpp"

namespace twincert::nmea0183 {

struct Wat {
  static constexpr std::string_view kFormatter = "WAT";
  static constexpr std::string_view kTitle = "water level detection";
  static constexpr char kStart = '$';

  std::optional<char> message_type;
  std::optional<UtcTime> time;
  std::optional<std::string> system_type;
  std::optional<std::string> division1;
  std::optional<std::string> division2;
  std::optional<std::int32_t> point_number_or_count;
  std::optional<char> condition;
  std::optional<char> override_setting;
  std::optional<std::string> description;

  static void fields(auto& s, auto& c) {
    c.letter(s.message_type, "message_type", "SEF");
    c.time(s.time, "time");
    c.word(s.system_type, "system_type", 2);
    c.word(s.division1, "division1", 2);
    c.word(s.division2, "division2", 2);
    c.integer(s.point_number_or_count, "point_number_or_count", 0, 999, 3);
    c.letter(s.condition, "condition", "NHJLKX");
    c.letter(s.override_setting, "override_setting", "ON");
    c.text(s.description, "description");
  }
  friend bool operator==(const Wat&, const Wat&) = default;
};

}  // namespace twincert::nmea0183

// DOR — door status detection.
//
//   $--DOR,a,hhmmss.ss,aa,cc,xxx,xxx,a,a,c--c*hh
//    1 message type S section status / E single door event / F fault   2 event time
//    3 door system WT watertight / WS semi-watertight / FD fire door / HD hull door / OT other
//    4 first division indicator (2 chars)   5 second division indicator (3 digits)
//    6 door number (E) or count of open/faulty doors (S)   7 door status (E only): O open, C
//    closed,
//      S secured, F free, X fault   8 watertight-door switch: O harbour mode / C sea mode   9 text
//
// Layout: Furuno VR-7000 IM p.85, VR-3000 OM p.37 (docs/sources.md). Confidence: verified
// (two manuals). A plain value: thread-compatible.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "twincert/protocols/nmea0183/fields.hpp"

namespace twincert::nmea0183 {

struct Dor {
  static constexpr std::string_view kFormatter = "DOR";
  static constexpr std::string_view kTitle = "door status detection";
  static constexpr char kStart = '$';

  std::optional<char> message_type;
  std::optional<UtcTime> time;
  std::optional<std::string> system_type;
  std::optional<std::string> division1;
  std::optional<std::int32_t> division2;
  std::optional<std::int32_t> door_number_or_count;
  std::optional<char> door_status;
  std::optional<char> switch_setting;
  std::optional<std::string> description;

  static void fields(auto& s, auto& c) {
    c.letter(s.message_type, "message_type", "SEF");
    c.time(s.time, "time");
    c.word(s.system_type, "system_type", 2);
    c.word(s.division1, "division1", 2);
    c.integer(s.division2, "division2", 0, 999, 3);
    c.integer(s.door_number_or_count, "door_number_or_count", 0, 999, 3);
    c.letter(s.door_status, "door_status", "OCSFX");
    c.letter(s.switch_setting, "switch_setting", "OC");
    c.text(s.description, "description");
  }
  friend bool operator==(const Dor&, const Dor&) = default;
};

}  // namespace twincert::nmea0183

// ARC — alert command refused.
//
//   $--ARC,hhmmss.ss,aaa,x.x,x.x,c*hh
//    1 release time (may be null)   2 manufacturer mnemonic (null: standardized alert)
//    3 alert identifier   4 alert instance   5 refused command A/Q/O/S
//
// Layout: NSR NVR-3000 OM p.97, Icom GM600 (docs/sources.md). Confidence: verified (two
// manuals). A plain value: thread-compatible.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "twincert/protocols/nmea0183/fields.hpp"

namespace twincert::nmea0183 {

struct Arc {
  static constexpr std::string_view kFormatter = "ARC";
  static constexpr std::string_view kTitle = "alert command refused";
  static constexpr char kStart = '$';

  std::optional<UtcTime> time;
  std::optional<std::string> manufacturer;
  std::optional<std::int32_t> alert_id;
  std::optional<std::int32_t> instance;
  std::optional<char> refused_command;

  static void fields(auto& s, auto& c) {
    c.time(s.time, "time");
    c.word(s.manufacturer, "manufacturer", 3);
    c.integer(s.alert_id, "alert_id", 0, 9999999);
    c.integer(s.instance, "instance", 1, 999999);
    c.letter(s.refused_command, "refused_command", "AQOS");
  }
  friend bool operator==(const Arc&, const Arc&) = default;
};

}  // namespace twincert::nmea0183

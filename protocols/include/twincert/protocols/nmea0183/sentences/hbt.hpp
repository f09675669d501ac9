// HBT — heartbeat supervision.
//
//   $--HBT,x.x,A,x*hh
//    1 configured repeat interval, s (1..999, null)   2 equipment status A normal / V system fail
//    3 sequential sequence identifier 0..9
//
// Layout: Furuno BR-500, FM-8900S p.134, FAR-1518 AP-7 (docs/sources.md). Confidence:
// verified. A plain value: thread-compatible.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "twincert/protocols/nmea0183/fields.hpp"

namespace twincert::nmea0183 {

struct Hbt {
  static constexpr std::string_view kFormatter = "HBT";
  static constexpr std::string_view kTitle = "heartbeat supervision";
  static constexpr char kStart = '$';

  std::optional<Decimal> interval_s;
  std::optional<char> status;
  std::optional<std::int32_t> sequence;

  static void fields(auto& s, auto& c) {
    c.decimal(s.interval_s, "interval_s", 1, 999);
    c.letter(s.status, "status", "AV");
    c.integer(s.sequence, "sequence", 0, 9);
  }
  friend bool operator==(const Hbt&, const Hbt&) = default;
};

}  // namespace twincert::nmea0183

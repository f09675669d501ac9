// ROT — rate of turn.
//
//   $--ROT,x.x,A*hh
//    1 rate of turn, degrees per minute ('-' = bow turns to port)   2 status A valid / V invalid
//
// Layout: IEC 61162-1 as published by gpsd "NMEA Revealed" and Furuno VR-7000 manuals; see
// docs/sources.md. Confidence: verified against several sources. A plain value: thread-compatible.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "twincert/protocols/nmea0183/fields.hpp"

namespace twincert::nmea0183 {

struct Rot {
  static constexpr std::string_view kFormatter = "ROT";
  static constexpr std::string_view kTitle = "rate of turn";
  static constexpr char kStart = '$';

  std::optional<Decimal> rate_deg_per_min;
  std::optional<char> status;

  static void fields(auto& s, auto& c) {
    c.decimal(s.rate_deg_per_min, "rate_deg_per_min", -9999.9, 9999.9);
    c.letter(s.status, "status", "AV");
  }
  friend bool operator==(const Rot&, const Rot&) = default;
};

}  // namespace twincert::nmea0183

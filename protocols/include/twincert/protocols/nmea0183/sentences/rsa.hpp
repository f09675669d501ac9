// RSA — rudder sensor angle.
//
//   $--RSA,x.x,A,x.x,A*hh
//    1 starboard (or single) rudder sensor, degrees (- = turn to port)   2 status A/V
//    3 port rudder sensor, degrees   4 status A/V
//
// Layout: gpsd, Furuno VR-3000S p.43, Navis (docs/sources.md). The value is relative:
// proportional to the rudder angle but not necessarily 1:1. Confidence: verified.
// A plain value: thread-compatible.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "twincert/protocols/nmea0183/fields.hpp"

namespace twincert::nmea0183 {

struct Rsa {
  static constexpr std::string_view kFormatter = "RSA";
  static constexpr std::string_view kTitle = "rudder sensor angle";
  static constexpr char kStart = '$';

  std::optional<Decimal> starboard_deg;
  std::optional<char> starboard_status;
  std::optional<Decimal> port_deg;
  std::optional<char> port_status;

  static void fields(auto& s, auto& c) {
    c.decimal(s.starboard_deg, "starboard_deg", -180, 180);
    c.letter(s.starboard_status, "starboard_status", "AV");
    c.decimal(s.port_deg, "port_deg", -180, 180);
    c.letter(s.port_status, "port_status", "AV");
  }
  friend bool operator==(const Rsa&, const Rsa&) = default;
};

}  // namespace twincert::nmea0183

// RPM — revolutions.
//
//   $--RPM,a,x,x.x,x.x,A*hh
//    1 source S shaft / E engine   2 engine or shaft number (0 single/centre, odd starboard, even
//    port) 3 speed, rev/min (- counter-clockwise)   4 propeller pitch, % of maximum (- astern)   5
//    status A/V
//
// Layout: gpsd, Furuno VR-3000S p.43 (docs/sources.md; Furuno's VR-7000 appendix has A/V
// inverted, a typo). Confidence: verified. A plain value: thread-compatible.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "twincert/protocols/nmea0183/fields.hpp"

namespace twincert::nmea0183 {

struct Rpm {
  static constexpr std::string_view kFormatter = "RPM";
  static constexpr std::string_view kTitle = "revolutions";
  static constexpr char kStart = '$';

  std::optional<char> source;
  std::optional<std::int32_t> number;
  std::optional<Decimal> speed_rpm;
  std::optional<Decimal> pitch_percent;
  std::optional<char> status;

  static void fields(auto& s, auto& c) {
    c.letter(s.source, "source", "SE");
    c.integer(s.number, "number", 0, 99);
    c.decimal(s.speed_rpm, "speed_rpm", -9999.99, 9999.99);
    c.decimal(s.pitch_percent, "pitch_percent", -100, 100);
    c.letter(s.status, "status", "AV");
  }
  friend bool operator==(const Rpm&, const Rpm&) = default;
};

}  // namespace twincert::nmea0183

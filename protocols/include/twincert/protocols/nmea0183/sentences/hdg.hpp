// HDG — heading, deviation and variation.
//
//   $--HDG,x.x,x.x,a,x.x,a*hh
//    1 magnetic sensor heading, degrees   2-3 magnetic deviation, E/W   4-5 magnetic variation, E/W
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

struct Hdg {
  static constexpr std::string_view kFormatter = "HDG";
  static constexpr std::string_view kTitle = "heading, deviation and variation";
  static constexpr char kStart = '$';

  std::optional<Decimal> heading_magnetic_deg;
  std::optional<Decimal> deviation_deg;
  std::optional<char> deviation_direction;
  std::optional<Decimal> variation_deg;
  std::optional<char> variation_direction;

  static void fields(auto& s, auto& c) {
    c.decimal(s.heading_magnetic_deg, "heading_magnetic_deg", 0, 360);
    c.decimal(s.deviation_deg, "deviation_deg", 0, 180);
    c.letter(s.deviation_direction, "deviation_direction", "EW");
    c.decimal(s.variation_deg, "variation_deg", 0, 180);
    c.letter(s.variation_direction, "variation_direction", "EW");
  }
  friend bool operator==(const Hdg&, const Hdg&) = default;
};

}  // namespace twincert::nmea0183

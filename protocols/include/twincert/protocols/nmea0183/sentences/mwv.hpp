// MWV — wind speed and angle.
//
//   $--MWV,x.x,a,x.x,a,A*hh
//    1 wind angle 0..359 degrees   2 reference R relative / T true (theoretical)
//    3 wind speed   4 speed unit K km/h / M m/s / N knots (Furuno also S statute mph)   5 status
//    A/V
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

struct Mwv {
  static constexpr std::string_view kFormatter = "MWV";
  static constexpr std::string_view kTitle = "wind speed and angle";
  static constexpr char kStart = '$';

  std::optional<Decimal> angle_deg;
  std::optional<char> reference;
  std::optional<Decimal> speed;
  std::optional<char> speed_unit;
  std::optional<char> status;

  static void fields(auto& s, auto& c) {
    c.decimal(s.angle_deg, "angle_deg", 0, 360);
    c.letter(s.reference, "reference", "RT");
    c.decimal(s.speed, "speed", 0, 9999);
    c.letter(s.speed_unit, "speed_unit", "KMNS");
    c.letter(s.status, "status", "AV");
  }
  friend bool operator==(const Mwv&, const Mwv&) = default;
};

}  // namespace twincert::nmea0183

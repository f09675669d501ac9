// MWD — wind direction and speed.
//
//   $--MWD,x.x,T,x.x,M,x.x,N,x.x,M*hh
//    1-2 wind direction, degrees true, 'T'   3-4 wind direction, degrees magnetic, 'M'
//    5-6 wind speed, kn, 'N'                 7-8 wind speed, m/s, 'M'
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

struct Mwd {
  static constexpr std::string_view kFormatter = "MWD";
  static constexpr std::string_view kTitle = "wind direction and speed";
  static constexpr char kStart = '$';

  std::optional<Decimal> direction_true_deg;
  std::optional<Decimal> direction_magnetic_deg;
  std::optional<Decimal> speed_kn;
  std::optional<Decimal> speed_ms;

  static void fields(auto& s, auto& c) {
    c.decimal(s.direction_true_deg, "direction_true_deg", 0, 360);
    c.unit('T', "direction_true_reference");
    c.decimal(s.direction_magnetic_deg, "direction_magnetic_deg", 0, 360);
    c.unit('M', "direction_magnetic_reference");
    c.decimal(s.speed_kn, "speed_kn", 0, 9999);
    c.unit('N', "speed_kn_unit");
    c.decimal(s.speed_ms, "speed_ms", 0, 9999);
    c.unit('M', "speed_ms_unit");
  }
  friend bool operator==(const Mwd&, const Mwd&) = default;
};

}  // namespace twincert::nmea0183

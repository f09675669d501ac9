// VLW — dual ground/water distance.
//
//   $--VLW,x.x,N,x.x,N,x.x,N,x.x,N*hh
//    1-2 total cumulative water distance, nm, 'N'   3-4 water distance since reset, nm, 'N'
//    5-6 total cumulative ground distance, nm, 'N'  7-8 ground distance since reset, nm, 'N'
//
// Layout: gpsd "NMEA Revealed"; fields 5-8 were added in NMEA 3.0/IEC 61162-1 ed.3 and are
// optional. Confidence: medium (gpsd only; see docs/sources.md). A plain value: thread-compatible.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "twincert/protocols/nmea0183/fields.hpp"

namespace twincert::nmea0183 {

struct Vlw {
  static constexpr std::string_view kFormatter = "VLW";
  static constexpr std::string_view kTitle = "dual ground/water distance";
  static constexpr char kStart = '$';

  std::optional<Decimal> total_water_nm;
  std::optional<Decimal> water_since_reset_nm;
  std::optional<Decimal> total_ground_nm;
  std::optional<Decimal> ground_since_reset_nm;

  static void fields(auto& s, auto& c) {
    c.decimal(s.total_water_nm, "total_water_nm", 0, 9999999);
    c.unit('N', "total_water_unit");
    c.decimal(s.water_since_reset_nm, "water_since_reset_nm", 0, 9999999);
    c.unit('N', "water_since_reset_unit");
    c.decimal(s.total_ground_nm, "total_ground_nm", 0, 9999999);
    c.unit('N', "total_ground_unit");
    c.decimal(s.ground_since_reset_nm, "ground_since_reset_nm", 0, 9999999);
    c.unit('N', "ground_since_reset_unit");
  }
  friend bool operator==(const Vlw&, const Vlw&) = default;
};

}  // namespace twincert::nmea0183

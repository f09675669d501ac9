// GGA — global positioning system fix data.
//
//   $--GGA,hhmmss.ss,llll.ll,a,yyyyy.yy,a,x,xx,x.x,x.x,M,x.x,M,x.x,xxxx*hh
//    1 UTC time            2-3 latitude, N/S        4-5 longitude, E/W
//    6 quality 0..8 (0 no fix, 1 GPS, 2 DGPS, 4 RTK, 5 float RTK, 6 DR, 7 manual, 8 sim)
//    7 satellites in use   8 HDOP                   9-10 altitude above MSL, 'M'
//   11-12 geoidal separation, 'M'                   13 age of DGPS data (s)   14 DGPS station
//   0000..1023
//
// Layout: IEC 61162-1 as published by gpsd "NMEA Revealed" and equipment manuals; see
// docs/sources.md (confidence: verified against several sources). A plain value: thread-compatible.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "twincert/protocols/nmea0183/fields.hpp"

namespace twincert::nmea0183 {

struct Gga {
  static constexpr std::string_view kFormatter = "GGA";
  static constexpr std::string_view kTitle = "global positioning system fix data";
  static constexpr char kStart = '$';

  std::optional<UtcTime> time;
  std::optional<GeoAngle> latitude;
  std::optional<GeoAngle> longitude;
  std::optional<std::int32_t> quality;
  std::optional<std::int32_t> satellites_in_use;
  std::optional<Decimal> hdop;
  std::optional<Decimal> altitude_msl_m;
  std::optional<Decimal> geoid_separation_m;
  std::optional<Decimal> dgps_age_s;
  std::optional<std::int32_t> dgps_station;

  static void fields(auto& s, auto& c) {
    c.time(s.time, "time");
    c.latitude(s.latitude, "latitude");
    c.longitude(s.longitude, "longitude");
    c.integer(s.quality, "quality", 0, 8);
    c.integer(s.satellites_in_use, "satellites_in_use", 0, 99, 2);
    c.decimal(s.hdop, "hdop", 0, 99.99);
    c.decimal(s.altitude_msl_m, "altitude_msl_m", -99999, 999999);
    c.unit('M', "altitude_unit");
    c.decimal(s.geoid_separation_m, "geoid_separation_m", -9999, 9999);
    c.unit('M', "geoid_separation_unit");
    c.decimal(s.dgps_age_s, "dgps_age_s", 0, 9999);
    c.integer(s.dgps_station, "dgps_station", 0, 1023, 4);
  }
  friend bool operator==(const Gga&, const Gga&) = default;
};

}  // namespace twincert::nmea0183

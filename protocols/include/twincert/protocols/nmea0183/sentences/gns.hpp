// GNS — GNSS fix data.
//
//   $--GNS,hhmmss.ss,llll.ll,a,yyyyy.yy,a,c--c,xx,x.x,x.x,x.x,x.x,x.x,a*hh
//    1 UTC time   2-3 latitude, N/S   4-5 longitude, E/W
//    6 mode indicator, one letter per constellation (GPS, GLONASS, Galileo, ...)
//    7 satellites in use   8 HDOP   9 altitude above MSL (m)   10 geoidal separation (m)
//   11 age of differential data (s)   12 differential station ID   13 navigational status (4.1+)
//
// Layout: gpsd "NMEA Revealed" and the Furuno navigational-status note (docs/sources.md);
// field 13 optional. Confidence: medium (not in the §1.7 table). A plain value: thread-compatible.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "twincert/protocols/nmea0183/fields.hpp"

namespace twincert::nmea0183 {

struct Gns {
  static constexpr std::string_view kFormatter = "GNS";
  static constexpr std::string_view kTitle = "GNSS fix data";
  static constexpr char kStart = '$';

  std::optional<UtcTime> time;
  std::optional<GeoAngle> latitude;
  std::optional<GeoAngle> longitude;
  std::optional<std::string> mode;
  std::optional<std::int32_t> satellites_in_use;
  std::optional<Decimal> hdop;
  std::optional<Decimal> altitude_msl_m;
  std::optional<Decimal> geoid_separation_m;
  std::optional<Decimal> differential_age_s;
  std::optional<std::int32_t> differential_station;
  std::optional<char> navigational_status;

  static void fields(auto& s, auto& c) {
    c.time(s.time, "time");
    c.latitude(s.latitude, "latitude");
    c.longitude(s.longitude, "longitude");
    c.word(s.mode, "mode", 8);
    c.integer(s.satellites_in_use, "satellites_in_use", 0, 99, 2);
    c.decimal(s.hdop, "hdop", 0, 99.99);
    c.decimal(s.altitude_msl_m, "altitude_msl_m", -99999, 999999);
    c.decimal(s.geoid_separation_m, "geoid_separation_m", -9999, 9999);
    c.decimal(s.differential_age_s, "differential_age_s", 0, 9999);
    c.integer(s.differential_station, "differential_station", 0, 1023);
    c.letter(s.navigational_status, "navigational_status", "SCUV");
  }
  friend bool operator==(const Gns&, const Gns&) = default;
};

}  // namespace twincert::nmea0183

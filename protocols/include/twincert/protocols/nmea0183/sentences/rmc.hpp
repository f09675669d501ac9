// RMC — recommended minimum specific GNSS data.
//
//   $--RMC,hhmmss.ss,A,llll.ll,a,yyyyy.yy,a,x.x,x.x,ddmmyy,x.x,a,a,a*hh
//    1 UTC time     2 status A valid / V warning     3-4 latitude, N/S     5-6 longitude, E/W
//    7 SOG knots    8 COG degrees true               9 date ddmmyy
//   10-11 magnetic variation, E/W                   12 mode indicator (NMEA 2.3+)
//   13 navigational status S/C/U/V (IEC 61162-1 ed.4 / NMEA 4.1+)
//
// Layout: IEC 61162-1 as published by gpsd "NMEA Revealed" and equipment manuals; see
// docs/sources.md (confidence: verified against several sources). Fields 12-13 are
// optional (older editions omit them). A plain value: thread-compatible.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "twincert/protocols/nmea0183/fields.hpp"

namespace twincert::nmea0183 {

struct Rmc {
  static constexpr std::string_view kFormatter = "RMC";
  static constexpr std::string_view kTitle = "recommended minimum specific GNSS data";
  static constexpr char kStart = '$';

  std::optional<UtcTime> time;
  std::optional<char> status;
  std::optional<GeoAngle> latitude;
  std::optional<GeoAngle> longitude;
  std::optional<Decimal> sog_kn;
  std::optional<Decimal> cog_true_deg;
  std::optional<DayMonthYear> date;
  std::optional<Decimal> magnetic_variation_deg;
  std::optional<char> magnetic_variation_direction;
  std::optional<char> mode;
  std::optional<char> navigational_status;

  static void fields(auto& s, auto& c) {
    c.time(s.time, "time");
    c.letter(s.status, "status", "AV");
    c.latitude(s.latitude, "latitude");
    c.longitude(s.longitude, "longitude");
    c.decimal(s.sog_kn, "sog_kn", 0, 9999.9);
    c.decimal(s.cog_true_deg, "cog_true_deg", 0, 360);
    c.date(s.date, "date");
    c.decimal(s.magnetic_variation_deg, "magnetic_variation_deg", 0, 180);
    c.letter(s.magnetic_variation_direction, "magnetic_variation_direction", "EW");
    c.letter(s.mode, "mode", "ADEFMNPRS");
    c.letter(s.navigational_status, "navigational_status", "SCUV");
  }
  friend bool operator==(const Rmc&, const Rmc&) = default;
};

}  // namespace twincert::nmea0183

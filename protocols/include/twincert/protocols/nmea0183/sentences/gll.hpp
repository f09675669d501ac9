// GLL — geographic position, latitude and longitude.
//
//   $--GLL,llll.ll,a,yyyyy.yy,a,hhmmss.ss,A,a*hh
//    1-2 latitude, N/S   3-4 longitude, E/W   5 UTC time   6 status A/V   7 mode indicator (2.3+)
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

struct Gll {
  static constexpr std::string_view kFormatter = "GLL";
  static constexpr std::string_view kTitle = "geographic position, latitude and longitude";
  static constexpr char kStart = '$';

  std::optional<GeoAngle> latitude;
  std::optional<GeoAngle> longitude;
  std::optional<UtcTime> time;
  std::optional<char> status;
  std::optional<char> mode;

  static void fields(auto& s, auto& c) {
    c.latitude(s.latitude, "latitude");
    c.longitude(s.longitude, "longitude");
    c.time(s.time, "time");
    c.letter(s.status, "status", "AV");
    c.letter(s.mode, "mode", "ADEFMNPRS");
  }
  friend bool operator==(const Gll&, const Gll&) = default;
};

}  // namespace twincert::nmea0183

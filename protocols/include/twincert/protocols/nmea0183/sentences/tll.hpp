// TLL — target latitude and longitude.
//
//   $--TLL,xx,llll.ll,a,yyyyy.yy,a,c--c,hhmmss.ss,a,a*hh
//    1 target number   2-3 latitude, N/S   4-5 longitude, E/W   6 target name   7 UTC of data
//    8 status L lost / Q acquiring / T tracking   9 reference target R or null
//
// Layout: gpsd, Furuno GP-80 (docs/sources.md). Confidence: verified.
// A plain value: thread-compatible.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "twincert/protocols/nmea0183/fields.hpp"

namespace twincert::nmea0183 {

struct Tll {
  static constexpr std::string_view kFormatter = "TLL";
  static constexpr std::string_view kTitle = "target latitude and longitude";
  static constexpr char kStart = '$';

  std::optional<std::int32_t> number;
  std::optional<GeoAngle> latitude;
  std::optional<GeoAngle> longitude;
  std::optional<std::string> name;
  std::optional<UtcTime> time;
  std::optional<char> status;
  std::optional<char> reference_target;

  static void fields(auto& s, auto& c) {
    c.integer(s.number, "number", 0, 999);
    c.latitude(s.latitude, "latitude");
    c.longitude(s.longitude, "longitude");
    c.text(s.name, "name");
    c.time(s.time, "time");
    c.letter(s.status, "status", "LQT");
    c.letter(s.reference_target, "reference_target", "R");
  }
  friend bool operator==(const Tll&, const Tll&) = default;
};

}  // namespace twincert::nmea0183

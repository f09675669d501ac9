// TTM — tracked target message.
//
//   $--TTM,xx,x.x,x.x,a,x.x,x.x,a,x.x,x.x,a,c--c,a,a,hhmmss.ss,a*hh
//    1 target number   2 distance   3 bearing   4 T true / R relative   5 target speed
//    6 target course   7 T/R   8 CPA distance   9 TCPA, minutes ('-' increasing)
//   10 units K km / N nm / S statute   11 target name   12 status L lost / Q acquiring / T tracking
//   13 reference target R or null   14 UTC of data   15 acquisition A auto / M manual / R reported
//
// Layout: gpsd, Furuno VR-7000 p.109, FCR-21x9 p.409 (docs/sources.md). Fields 14-15
// optional (older editions). Confidence: verified. A plain value: thread-compatible.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "twincert/protocols/nmea0183/fields.hpp"

namespace twincert::nmea0183 {

struct Ttm {
  static constexpr std::string_view kFormatter = "TTM";
  static constexpr std::string_view kTitle = "tracked target message";
  static constexpr char kStart = '$';

  std::optional<std::int32_t> number;
  std::optional<Decimal> distance;
  std::optional<Decimal> bearing_deg;
  std::optional<char> bearing_reference;
  std::optional<Decimal> speed;
  std::optional<Decimal> course_deg;
  std::optional<char> course_reference;
  std::optional<Decimal> cpa_distance;
  std::optional<Decimal> tcpa_min;
  std::optional<char> units;
  std::optional<std::string> name;
  std::optional<char> status;
  std::optional<char> reference_target;
  std::optional<UtcTime> time;
  std::optional<char> acquisition;

  static void fields(auto& s, auto& c) {
    c.integer(s.number, "number", 0, 999);
    c.decimal(s.distance, "distance", 0, 9999);
    c.decimal(s.bearing_deg, "bearing_deg", 0, 360);
    c.letter(s.bearing_reference, "bearing_reference", "TR");
    c.decimal(s.speed, "speed", 0, 9999);
    c.decimal(s.course_deg, "course_deg", 0, 360);
    c.letter(s.course_reference, "course_reference", "TR");
    c.decimal(s.cpa_distance, "cpa_distance", 0, 9999);
    c.decimal(s.tcpa_min, "tcpa_min", -9999, 9999);
    c.letter(s.units, "units", "KNS");
    c.text(s.name, "name");
    c.letter(s.status, "status", "LQT");
    c.letter(s.reference_target, "reference_target", "R");
    c.time(s.time, "time");
    c.letter(s.acquisition, "acquisition", "AMR");
  }
  friend bool operator==(const Ttm&, const Ttm&) = default;
};

}  // namespace twincert::nmea0183

// OSD — own ship data.
//
//   $--OSD,x.x,A,x.x,a,x.x,a,x.x,x.x,a*hh
//    1 heading, degrees true   2 heading status A/V   3 course, degrees true   4 course reference
//    5 speed   6 speed reference   7 set, degrees true   8 drift   9 speed units K/N/S
//    references: B bottom-tracking log, M manual, W water-referenced, R radar, P positioning system
//
// Layout: gpsd (docs/sources.md); the meanings of the reference letters are UNVERIFIED.
// Confidence: verified for the field order. A plain value: thread-compatible.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "twincert/protocols/nmea0183/fields.hpp"

namespace twincert::nmea0183 {

struct Osd {
  static constexpr std::string_view kFormatter = "OSD";
  static constexpr std::string_view kTitle = "own ship data";
  static constexpr char kStart = '$';

  std::optional<Decimal> heading_true_deg;
  std::optional<char> heading_status;
  std::optional<Decimal> course_true_deg;
  std::optional<char> course_reference;
  std::optional<Decimal> speed;
  std::optional<char> speed_reference;
  std::optional<Decimal> set_true_deg;
  std::optional<Decimal> drift;
  std::optional<char> speed_units;

  static void fields(auto& s, auto& c) {
    c.decimal(s.heading_true_deg, "heading_true_deg", 0, 360);
    c.letter(s.heading_status, "heading_status", "AV");
    c.decimal(s.course_true_deg, "course_true_deg", 0, 360);
    c.letter(s.course_reference, "course_reference", "BMWRP");
    c.decimal(s.speed, "speed", 0, 9999);
    c.letter(s.speed_reference, "speed_reference", "BMWRP");
    c.decimal(s.set_true_deg, "set_true_deg", 0, 360);
    c.decimal(s.drift, "drift", 0, 9999);
    c.letter(s.speed_units, "speed_units", "KNS");
  }
  friend bool operator==(const Osd&, const Osd&) = default;
};

}  // namespace twincert::nmea0183

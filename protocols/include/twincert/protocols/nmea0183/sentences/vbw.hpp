// VBW — dual ground/water speed.
//
//   $--VBW,x.x,x.x,A,x.x,x.x,A,x.x,A,x.x,A*hh
//    1 longitudinal water speed, kn (- astern)   2 transverse water speed, kn (- port)   3 status
//    4 longitudinal ground speed, kn   5 transverse ground speed, kn   6 status
//    7 stern transverse water speed, kn   8 status   9 stern transverse ground speed, kn   10
//    status
//
// Layout: IEC 61162-1 as published by gpsd "NMEA Revealed" and Furuno VR-7000 manuals; see
// docs/sources.md. Confidence: verified against several sources. Fields 7-10 are optional
// (older editions). A plain value: thread-compatible.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "twincert/protocols/nmea0183/fields.hpp"

namespace twincert::nmea0183 {

struct Vbw {
  static constexpr std::string_view kFormatter = "VBW";
  static constexpr std::string_view kTitle = "dual ground/water speed";
  static constexpr char kStart = '$';

  std::optional<Decimal> water_longitudinal_kn;
  std::optional<Decimal> water_transverse_kn;
  std::optional<char> water_status;
  std::optional<Decimal> ground_longitudinal_kn;
  std::optional<Decimal> ground_transverse_kn;
  std::optional<char> ground_status;
  std::optional<Decimal> stern_water_transverse_kn;
  std::optional<char> stern_water_status;
  std::optional<Decimal> stern_ground_transverse_kn;
  std::optional<char> stern_ground_status;

  static void fields(auto& s, auto& c) {
    c.decimal(s.water_longitudinal_kn, "water_longitudinal_kn", -9999.99, 9999.99);
    c.decimal(s.water_transverse_kn, "water_transverse_kn", -9999.99, 9999.99);
    c.letter(s.water_status, "water_status", "AV");
    c.decimal(s.ground_longitudinal_kn, "ground_longitudinal_kn", -9999.99, 9999.99);
    c.decimal(s.ground_transverse_kn, "ground_transverse_kn", -9999.99, 9999.99);
    c.letter(s.ground_status, "ground_status", "AV");
    c.decimal(s.stern_water_transverse_kn, "stern_water_transverse_kn", -9999.99, 9999.99);
    c.letter(s.stern_water_status, "stern_water_status", "AV");
    c.decimal(s.stern_ground_transverse_kn, "stern_ground_transverse_kn", -9999.99, 9999.99);
    c.letter(s.stern_ground_status, "stern_ground_status", "AV");
  }
  friend bool operator==(const Vbw&, const Vbw&) = default;
};

}  // namespace twincert::nmea0183

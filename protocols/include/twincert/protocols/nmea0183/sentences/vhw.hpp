// VHW — water speed and heading.
//
//   $--VHW,x.x,T,x.x,M,x.x,N,x.x,K*hh
//    1-2 heading, degrees true, 'T'   3-4 heading, degrees magnetic, 'M'
//    5-6 speed through water, kn, 'N'   7-8 speed through water, km/h, 'K'
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

struct Vhw {
  static constexpr std::string_view kFormatter = "VHW";
  static constexpr std::string_view kTitle = "water speed and heading";
  static constexpr char kStart = '$';

  std::optional<Decimal> heading_true_deg;
  std::optional<Decimal> heading_magnetic_deg;
  std::optional<Decimal> stw_kn;
  std::optional<Decimal> stw_kmh;

  static void fields(auto& s, auto& c) {
    c.decimal(s.heading_true_deg, "heading_true_deg", 0, 360);
    c.unit('T', "heading_true_reference");
    c.decimal(s.heading_magnetic_deg, "heading_magnetic_deg", 0, 360);
    c.unit('M', "heading_magnetic_reference");
    c.decimal(s.stw_kn, "stw_kn", -9999.9, 9999.9);
    c.unit('N', "stw_kn_unit");
    c.decimal(s.stw_kmh, "stw_kmh", -99999.9, 99999.9);
    c.unit('K', "stw_kmh_unit");
  }
  friend bool operator==(const Vhw&, const Vhw&) = default;
};

}  // namespace twincert::nmea0183

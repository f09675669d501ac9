// DBT — depth below transducer.
//
//   $--DBT,x.x,f,x.x,M,x.x,F*hh
//    1-2 depth, feet, 'f'   3-4 depth, metres, 'M'   5-6 depth, fathoms, 'F'
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

struct Dbt {
  static constexpr std::string_view kFormatter = "DBT";
  static constexpr std::string_view kTitle = "depth below transducer";
  static constexpr char kStart = '$';

  std::optional<Decimal> depth_ft;
  std::optional<Decimal> depth_m;
  std::optional<Decimal> depth_fathoms;

  static void fields(auto& s, auto& c) {
    c.decimal(s.depth_ft, "depth_ft", 0, 99999);
    c.unit('f', "feet_unit");
    c.decimal(s.depth_m, "depth_m", 0, 99999);
    c.unit('M', "metres_unit");
    c.decimal(s.depth_fathoms, "depth_fathoms", 0, 99999);
    c.unit('F', "fathoms_unit");
  }
  friend bool operator==(const Dbt&, const Dbt&) = default;
};

}  // namespace twincert::nmea0183

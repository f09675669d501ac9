// DPT — depth.
//
//   $--DPT,x.x,x.x,x.x*hh
//    1 water depth relative to the transducer, m
//    2 transducer offset, m (+ transducer to waterline, - transducer to keel)
//    3 maximum range scale in use, m (NMEA 3.0+, optional)
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

struct Dpt {
  static constexpr std::string_view kFormatter = "DPT";
  static constexpr std::string_view kTitle = "depth";
  static constexpr char kStart = '$';

  std::optional<Decimal> depth_m;
  std::optional<Decimal> offset_m;
  std::optional<Decimal> max_range_m;

  static void fields(auto& s, auto& c) {
    c.decimal(s.depth_m, "depth_m", 0, 99999);
    c.decimal(s.offset_m, "offset_m", -999, 999);
    c.decimal(s.max_range_m, "max_range_m", 0, 99999);
  }
  friend bool operator==(const Dpt&, const Dpt&) = default;
};

}  // namespace twincert::nmea0183

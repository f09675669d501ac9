// HDT — heading, true.
//
//   $--HDT,x.x,T*hh
//    1 heading, degrees true   2 'T'
//
// Layout: IEC 61162-1 as published by gpsd "NMEA Revealed" and Furuno VR-7000 manuals; see
// docs/sources.md. Confidence: verified against several sources. Deprecated in favour of
// THS, still common. A plain value: thread-compatible.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "twincert/protocols/nmea0183/fields.hpp"

namespace twincert::nmea0183 {

struct Hdt {
  static constexpr std::string_view kFormatter = "HDT";
  static constexpr std::string_view kTitle = "heading, true";
  static constexpr char kStart = '$';

  std::optional<Decimal> heading_true_deg;

  static void fields(auto& s, auto& c) {
    c.decimal(s.heading_true_deg, "heading_true_deg", 0, 360);
    c.unit('T', "reference");
  }
  friend bool operator==(const Hdt&, const Hdt&) = default;
};

}  // namespace twincert::nmea0183

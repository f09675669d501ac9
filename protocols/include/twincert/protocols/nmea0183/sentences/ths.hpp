// THS — true heading and status.
//
//   $--THS,x.x,a*hh
//    1 heading, degrees true 0.00..360.00   2 mode A autonomous / E estimated / M manual /
//                                              S simulator / V not valid
//
// Layout: JRC JLN-720, Navis NavDP 4000, Furuno FAR-2107 (docs/sources.md).
// Confidence: verified. A plain value: thread-compatible.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "twincert/protocols/nmea0183/fields.hpp"

namespace twincert::nmea0183 {

struct Ths {
  static constexpr std::string_view kFormatter = "THS";
  static constexpr std::string_view kTitle = "true heading and status";
  static constexpr char kStart = '$';

  std::optional<Decimal> heading_true_deg;
  std::optional<char> mode;

  static void fields(auto& s, auto& c) {
    c.decimal(s.heading_true_deg, "heading_true_deg", 0, 360);
    c.letter(s.mode, "mode", "AEMSV");
  }
  friend bool operator==(const Ths&, const Ths&) = default;
};

}  // namespace twincert::nmea0183

// MTW — water temperature.
//
//   $--MTW,x.x,C*hh
//    1 water temperature   2 'C' (degrees Celsius)
//
// Layout: gpsd "NMEA Revealed". Confidence: verified (corpus SDMTW/INMTW decode).
// A plain value: thread-compatible.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "twincert/protocols/nmea0183/fields.hpp"

namespace twincert::nmea0183 {

struct Mtw {
  static constexpr std::string_view kFormatter = "MTW";
  static constexpr std::string_view kTitle = "water temperature";
  static constexpr char kStart = '$';

  std::optional<Decimal> temperature_c;

  static void fields(auto& s, auto& c) {
    c.decimal(s.temperature_c, "temperature_c", -50, 100);
    c.unit('C', "unit");
  }
  friend bool operator==(const Mtw&, const Mtw&) = default;
};

}  // namespace twincert::nmea0183

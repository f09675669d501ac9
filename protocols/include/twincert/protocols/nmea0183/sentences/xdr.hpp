// XDR — transducer measurements.
//
//   $--XDR,a,x.x,a,c--c, ... ,a,x.x,a,c--c*hh
//    repeated quadruplets {transducer type, value, unit, transducer name}
//    types/units (Furuno FMD-3100): C temperature/C, A angle/D degrees, D displacement/M,
//    F frequency/H, N force/N, P pressure/B bar or P pascal, R flow/I, T tachometer/R rpm,
//    H humidity/P percent, V volume/M, G generic/none
//
// Layout: gpsd "NMEA Revealed", Furuno FMD-3100 AP-17 (docs/sources.md). Confidence:
// verified. A plain value: thread-compatible.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "twincert/protocols/nmea0183/fields.hpp"

namespace twincert::nmea0183 {

struct Xdr {
  static constexpr std::string_view kFormatter = "XDR";
  static constexpr std::string_view kTitle = "transducer measurements";
  static constexpr char kStart = '$';

  struct Measurement {
    std::optional<char> type;
    std::optional<Decimal> value;
    std::optional<char> unit;
    std::optional<std::string> name;
    friend bool operator==(const Measurement&, const Measurement&) = default;
  };
  std::vector<Measurement> measurements;

  static void fields(auto& s, auto& c) {
    c.repeated(s.measurements, "measurement", 4, 20, [](auto& e, auto& f) {
      f.letter(e.type, "type", "ABCDEFGHIJKLMNOPQRSTUVWXYZ");
      f.decimal(e.value, "value");
      f.letter(e.unit, "unit", "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");
      f.text(e.name, "name");
    });
  }
  friend bool operator==(const Xdr&, const Xdr&) = default;
};

}  // namespace twincert::nmea0183

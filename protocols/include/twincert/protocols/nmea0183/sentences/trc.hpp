// TRC — thruster control data.
//
//   $--TRC,x,x.x,a,x.x,a,x.x,a,a*hh
//    1 thruster number (odd bow, even stern)   2 RPM demand   3 RPM mode P percent / R rpm / V
//    invalid 4 pitch demand (- port)   5 pitch mode P percent / D degrees / V invalid 6 azimuth
//    demand 0..359.9 (may be null)   7 operating location   8 R status report / C command
//
// Layout: Furuno VR-7000 p.108, FMD-3100 AP-15, Navis (docs/sources.md). Confidence:
// verified. A plain value: thread-compatible.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "twincert/protocols/nmea0183/fields.hpp"

namespace twincert::nmea0183 {

struct Trc {
  static constexpr std::string_view kFormatter = "TRC";
  static constexpr std::string_view kTitle = "thruster control data";
  static constexpr char kStart = '$';

  std::optional<std::int32_t> number;
  std::optional<Decimal> rpm_demand;
  std::optional<char> rpm_mode;
  std::optional<Decimal> pitch_demand;
  std::optional<char> pitch_mode;
  std::optional<Decimal> azimuth_demand_deg;
  std::optional<char> location;
  std::optional<char> sentence_status;

  static void fields(auto& s, auto& c) {
    c.integer(s.number, "number", 1, 99);
    c.decimal(s.rpm_demand, "rpm_demand", -999.9, 999.9);
    c.letter(s.rpm_mode, "rpm_mode", "PRV");
    c.decimal(s.pitch_demand, "pitch_demand", -999.9, 999.9);
    c.letter(s.pitch_mode, "pitch_mode", "PDV");
    c.decimal(s.azimuth_demand_deg, "azimuth_demand_deg", 0, 360);
    c.letter(s.location, "location", "BPSCEW");
    c.letter(s.sentence_status, "sentence_status", "RC");
  }
  friend bool operator==(const Trc&, const Trc&) = default;
};

}  // namespace twincert::nmea0183

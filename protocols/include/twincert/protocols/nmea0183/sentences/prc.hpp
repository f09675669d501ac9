// PRC — propulsion remote control status.
//
//   $--PRC,x.x,A,x.x,a,x.x,a,a,x*hh
//    1 lever demand position, % (-100 crash astern .. 100 navigation full)   2 status A/V
//    3 RPM demand   4 RPM mode P percent / R rpm / T / V invalid
//    5 pitch demand   6 pitch mode P percent / D degrees / V invalid
//    7 operating location (ed.4+)   8 engine or shaft number
//
// Layout: Furuno VR-3000 OM p.42 and pynmeagps PRC. CONFLICT: the older text has 7 fields and
// other mode letters; the mode letters are UNVERIFIED, so decoding accepts them leniently.
// A plain value: thread-compatible.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "twincert/protocols/nmea0183/fields.hpp"

namespace twincert::nmea0183 {

struct Prc {
  static constexpr std::string_view kFormatter = "PRC";
  static constexpr std::string_view kTitle = "propulsion remote control status";
  static constexpr char kStart = '$';

  std::optional<Decimal> lever_demand_percent;
  std::optional<char> lever_status;
  std::optional<Decimal> rpm_demand;
  std::optional<char> rpm_mode;
  std::optional<Decimal> pitch_demand;
  std::optional<char> pitch_mode;
  std::optional<char> location;
  std::optional<std::int32_t> engine_number;

  static void fields(auto& s, auto& c) {
    c.decimal(s.lever_demand_percent, "lever_demand_percent", -100, 100);
    c.letter(s.lever_status, "lever_status", "AV");
    c.decimal(s.rpm_demand, "rpm_demand", -9999.9, 9999.9);
    c.letter(s.rpm_mode, "rpm_mode", "PRTV");
    c.decimal(s.pitch_demand, "pitch_demand", -999.9, 999.9);
    c.letter(s.pitch_mode, "pitch_mode", "PDV");
    c.letter(s.location, "location", "BPSCEW");
    c.integer(s.engine_number, "engine_number", 0, 99);
  }
  friend bool operator==(const Prc&, const Prc&) = default;
};

}  // namespace twincert::nmea0183

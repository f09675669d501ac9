// HRM — heel angle, roll period and roll amplitude.
//
//   $--HRM,x.x,x.x,x.x,x.x,A,x.x,x.x,hhmmss,xx,xx*hh
//    1 actual heel angle, degrees (+ starboard, - port)   2 roll period, s
//    3 roll amplitude port, degrees   4 roll amplitude starboard, degrees   5 status A/V
//    6 roll peak-hold port, degrees   7 roll peak-hold starboard, degrees
//    8 peak-hold reset time UTC   9 reset day 01..31   10 reset month 01..12
//
// Layout: field names from Furuno VR-7000 IM p.104 and pynmeagps HRM; the exact format string is
// UNVERIFIED (docs/sources.md), so decoding stays lenient about it.
// A plain value: thread-compatible.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "twincert/protocols/nmea0183/fields.hpp"

namespace twincert::nmea0183 {

struct Hrm {
  static constexpr std::string_view kFormatter = "HRM";
  static constexpr std::string_view kTitle = "heel angle, roll period and roll amplitude";
  static constexpr char kStart = '$';

  std::optional<Decimal> heel_deg;
  std::optional<Decimal> roll_period_s;
  std::optional<Decimal> roll_amplitude_port_deg;
  std::optional<Decimal> roll_amplitude_starboard_deg;
  std::optional<char> status;
  std::optional<Decimal> roll_peak_port_deg;
  std::optional<Decimal> roll_peak_starboard_deg;
  std::optional<UtcTime> peak_reset_time;
  std::optional<std::int32_t> peak_reset_day;
  std::optional<std::int32_t> peak_reset_month;

  static void fields(auto& s, auto& c) {
    c.decimal(s.heel_deg, "heel_deg", -90, 90);
    c.decimal(s.roll_period_s, "roll_period_s", 0, 999);
    c.decimal(s.roll_amplitude_port_deg, "roll_amplitude_port_deg", 0, 90);
    c.decimal(s.roll_amplitude_starboard_deg, "roll_amplitude_starboard_deg", 0, 90);
    c.letter(s.status, "status", "AV");
    c.decimal(s.roll_peak_port_deg, "roll_peak_port_deg", 0, 90);
    c.decimal(s.roll_peak_starboard_deg, "roll_peak_starboard_deg", 0, 90);
    c.time(s.peak_reset_time, "peak_reset_time");
    c.integer(s.peak_reset_day, "peak_reset_day", 1, 31, 2);
    c.integer(s.peak_reset_month, "peak_reset_month", 1, 12, 2);
  }
  friend bool operator==(const Hrm&, const Hrm&) = default;
};

}  // namespace twincert::nmea0183

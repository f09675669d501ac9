// ZDA — time and date.
//
//   $--ZDA,hhmmss.ss,xx,xx,xxxx,xx,xx*hh
//    1 UTC time   2 day 01..31   3 month 01..12   4 year
//    5 local zone hours -13..+13   6 local zone minutes 00..59 (same sign as hours)
//
// Layout: IEC 61162-1 as published by gpsd "NMEA Revealed" and equipment manuals; see
// docs/sources.md (confidence: verified against several sources). A plain value: thread-compatible.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "twincert/protocols/nmea0183/fields.hpp"

namespace twincert::nmea0183 {

struct Zda {
  static constexpr std::string_view kFormatter = "ZDA";
  static constexpr std::string_view kTitle = "time and date";
  static constexpr char kStart = '$';

  std::optional<UtcTime> time;
  std::optional<std::int32_t> day;
  std::optional<std::int32_t> month;
  std::optional<std::int32_t> year;
  std::optional<std::int32_t> zone_hours;
  std::optional<std::int32_t> zone_minutes;

  static void fields(auto& s, auto& c) {
    c.time(s.time, "time");
    c.integer(s.day, "day", 1, 31, 2);
    c.integer(s.month, "month", 1, 12, 2);
    c.integer(s.year, "year", 0, 9999, 4);
    c.integer(s.zone_hours, "zone_hours", -13, 13);
    c.integer(s.zone_minutes, "zone_minutes", -59, 59);
  }
  friend bool operator==(const Zda&, const Zda&) = default;
};

}  // namespace twincert::nmea0183

// ETL — engine telegraph operation status.
//
//   $--ETL,hhmmss.ss,a,xx,xx,a,x*hh
//    1 event time   2 O order / A answer-back
//    3 telegraph position: 00 stop, 01-05 ahead dead slow..navigation full, 11-15 astern dead
//    slow..crash 4 sub-telegraph: 20 stand-by, 30 full away, 40 finished with engine 5 operating
//    location B bridge / P port wing / S starboard wing / C control room / E engine side / W wing
//    6 engine or shaft number (0 single, odd starboard, even port)
//
// Layout: Furuno VR-3000 OM p.37 (docs/sources.md). Confidence: single source (manual).
// A plain value: thread-compatible.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "twincert/protocols/nmea0183/fields.hpp"

namespace twincert::nmea0183 {

struct Etl {
  static constexpr std::string_view kFormatter = "ETL";
  static constexpr std::string_view kTitle = "engine telegraph operation status";
  static constexpr char kStart = '$';

  std::optional<UtcTime> time;
  std::optional<char> indicator;
  std::optional<std::int32_t> telegraph_position;
  std::optional<std::int32_t> sub_telegraph;
  std::optional<char> location;
  std::optional<std::int32_t> engine_number;

  static void fields(auto& s, auto& c) {
    c.time(s.time, "time");
    c.letter(s.indicator, "indicator", "OA");
    c.integer(s.telegraph_position, "telegraph_position", 0, 15, 2);
    c.integer(s.sub_telegraph, "sub_telegraph", 20, 40, 2);
    c.letter(s.location, "location", "BPSCEW");
    c.integer(s.engine_number, "engine_number", 0, 99);
  }
  friend bool operator==(const Etl&, const Etl&) = default;
};

}  // namespace twincert::nmea0183

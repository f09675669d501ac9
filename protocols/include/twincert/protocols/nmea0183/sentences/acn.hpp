// ACN — alert command.
//
//   $--ACN,hhmmss.ss,aaa,x.x,x.x,c,a*hh
//    1 time   2 manufacturer mnemonic   3 alert identifier   4 alert instance
//    5 command A acknowledge / Q request repeat information / O responsibility transfer / S silence
//    6 sentence status flag 'C' (without it the sentence is not a command)
//
// Layout: JRC JFE-400 §10, Furuno FMD-3300 AP-18, FAR-2228 IM p.173, Koden MDC-7000P, Icom GM600
// (BAM, IEC 62923; docs/sources.md). Confidence: verified (majority of manuals; Icom's shuffled
// state letters not followed). A plain value: thread-compatible.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "twincert/protocols/nmea0183/fields.hpp"

namespace twincert::nmea0183 {

struct Acn {
  static constexpr std::string_view kFormatter = "ACN";
  static constexpr std::string_view kTitle = "alert command";
  static constexpr char kStart = '$';

  std::optional<UtcTime> time;
  std::optional<std::string> manufacturer;
  std::optional<std::int32_t> alert_id;
  std::optional<std::int32_t> instance;
  std::optional<char> command;
  std::optional<char> sentence_status;

  static void fields(auto& s, auto& c) {
    c.time(s.time, "time");
    c.word(s.manufacturer, "manufacturer", 3);
    c.integer(s.alert_id, "alert_id", 0, 9999999);
    c.integer(s.instance, "instance", 1, 999999);
    c.letter(s.command, "command", "AQOS");
    c.letter(s.sentence_status, "sentence_status", "C");
  }
  friend bool operator==(const Acn&, const Acn&) = default;
};

}  // namespace twincert::nmea0183

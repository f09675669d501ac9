// ALF — alert sentence (bridge alert management).
//
//   $--ALF,x,x,x,hhmmss.ss,a,a,a,aaa,x.x,x.x,x.x,x,c--c*hh
//    1 total ALF sentences for this message 1..2   2 sentence number 1..2   3 sequential message ID
//    0..9 4 time of last change   5 category A/B/C   6 priority E emergency alarm / A alarm / W
//    warning / C caution   7 state V active-unacknowledged / S silenced / A acknowledged / O
//    responsibility transferred / U rectified-unacknowledged / N normal   8 manufacturer mnemonic
//    (null: standard) 9 alert identifier   10 alert instance 1..999999   11 revision counter 1..99
//   12 escalation counter 0..9   13 alert text (title in sentence 1, description in sentence 2)
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

struct Alf {
  static constexpr std::string_view kFormatter = "ALF";
  static constexpr std::string_view kTitle = "alert sentence (bridge alert management)";
  static constexpr char kStart = '$';

  std::optional<std::int32_t> total_sentences;
  std::optional<std::int32_t> sentence_number;
  std::optional<std::int32_t> sequential_id;
  std::optional<UtcTime> time;
  std::optional<char> category;
  std::optional<char> priority;
  std::optional<char> state;
  std::optional<std::string> manufacturer;
  std::optional<std::int32_t> alert_id;
  std::optional<std::int32_t> instance;
  std::optional<std::int32_t> revision;
  std::optional<std::int32_t> escalation;
  std::optional<std::string> text;

  static void fields(auto& s, auto& c) {
    c.integer(s.total_sentences, "total_sentences", 1, 2);
    c.integer(s.sentence_number, "sentence_number", 1, 2);
    c.integer(s.sequential_id, "sequential_id", 0, 9);
    c.time(s.time, "time");
    c.letter(s.category, "category", "ABC");
    c.letter(s.priority, "priority", "EAWC");
    c.letter(s.state, "state", "VSAOUN");
    c.word(s.manufacturer, "manufacturer", 3);
    c.integer(s.alert_id, "alert_id", 0, 9999999);
    c.integer(s.instance, "instance", 1, 999999);
    c.integer(s.revision, "revision", 1, 99);
    c.integer(s.escalation, "escalation", 0, 9);
    c.text(s.text, "text");
  }
  friend bool operator==(const Alf&, const Alf&) = default;
};

}  // namespace twincert::nmea0183

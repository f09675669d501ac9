// ALC — cyclic alert list.
//
//   $--ALC,xx,xx,xx,x.x,aaa,x.x,x.x,x.x, ... *hh
//    1 total sentences 01..99   2 sentence number 01..99   3 sequential message ID 00..99
//    4 number of alert entries in this sentence
//    then per entry {manufacturer mnemonic, alert identifier, alert instance, revision counter};
//    an entry is never split between sentences. Sent every 30 s.
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

struct Alc {
  static constexpr std::string_view kFormatter = "ALC";
  static constexpr std::string_view kTitle = "cyclic alert list";
  static constexpr char kStart = '$';

  struct Entry {
    std::optional<std::string> manufacturer;
    std::optional<std::int32_t> alert_id;
    std::optional<std::int32_t> instance;
    std::optional<std::int32_t> revision;
    friend bool operator==(const Entry&, const Entry&) = default;
  };
  std::optional<std::int32_t> total_sentences;
  std::optional<std::int32_t> sentence_number;
  std::optional<std::int32_t> sequential_id;
  std::optional<std::int32_t> entry_count;
  std::vector<Entry> entries;

  static void fields(auto& s, auto& c) {
    c.integer(s.total_sentences, "total_sentences", 1, 99, 2);
    c.integer(s.sentence_number, "sentence_number", 1, 99, 2);
    c.integer(s.sequential_id, "sequential_id", 0, 99, 2);
    c.integer(s.entry_count, "entry_count", 0, 99);
    c.repeated(s.entries, "entry", 4, 16, [](auto& e, auto& f) {
      f.word(e.manufacturer, "manufacturer", 3);
      f.integer(e.alert_id, "alert_id", 0, 9999999);
      f.integer(e.instance, "instance", 1, 999999);
      f.integer(e.revision, "revision", 1, 99);
    });
  }
  friend bool operator==(const Alc&, const Alc&) = default;
};

}  // namespace twincert::nmea0183

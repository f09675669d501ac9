// TXT — text transmission.
//
//   $--TXT,xx,xx,xx,c--c*hh
//    1 total number of sentences 01..99   2 sentence number 01..99   3 text identifier 01..99
//    4 text message (^hh escapes decoded)
//
// Layout: Furuno FA-50 AP-16, Simrad V5035, pynmeagps (docs/sources.md). Confidence:
// verified. A plain value: thread-compatible.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "twincert/protocols/nmea0183/fields.hpp"

namespace twincert::nmea0183 {

struct Txt {
  static constexpr std::string_view kFormatter = "TXT";
  static constexpr std::string_view kTitle = "text transmission";
  static constexpr char kStart = '$';

  std::optional<std::int32_t> total_sentences;
  std::optional<std::int32_t> sentence_number;
  std::optional<std::int32_t> text_id;
  std::optional<std::string> text;

  static void fields(auto& s, auto& c) {
    c.integer(s.total_sentences, "total_sentences", 1, 99, 2);
    c.integer(s.sentence_number, "sentence_number", 1, 99, 2);
    c.integer(s.text_id, "text_id", 0, 99, 2);
    c.text(s.text, "text");
  }
  friend bool operator==(const Txt&, const Txt&) = default;
};

}  // namespace twincert::nmea0183

// The envelope shared by VDM (other ships) and VDO (own vessel): the same six fields.
//
//   !--VDM,x,x,x,a,s--s,x*hh   (VDO identical)
//    1 total sentences 1..9   2 sentence number 1..9   3 sequential message ID 0..9 (null if
//    single) 4 AIS channel A/B ('1'/'2' seen in the wild; may be null)   5 encapsulated ITU-R
//    M.1371 payload, 6-bit armoured   6 fill bits 0..5
//   Decoding the payload and joining fragments: twincert/protocols/ais/.
//
// Layout: gpsd AIVDM.adoc, Furuno VR-7000 IM p.95 (docs/sources.md). Confidence:
// verified. A plain value: thread-compatible.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "twincert/protocols/nmea0183/fields.hpp"

namespace twincert::nmea0183 {

struct AisEnvelope {
  static constexpr char kStart = '!';

  std::optional<std::int32_t> total_fragments;
  std::optional<std::int32_t> fragment_number;
  std::optional<std::int32_t> sequential_id;
  std::optional<char> channel;
  std::optional<std::string> payload;
  std::optional<std::int32_t> fill_bits;

  static void fields(auto& s, auto& c) {
    c.integer(s.total_fragments, "total_fragments", 1, 9);
    c.integer(s.fragment_number, "fragment_number", 1, 9);
    c.integer(s.sequential_id, "sequential_id", 0, 9);
    c.letter(s.channel, "channel", "AB12");
    c.word(s.payload, "payload", 82);
    c.integer(s.fill_bits, "fill_bits", 0, 5);
  }
  friend bool operator==(const AisEnvelope&, const AisEnvelope&) = default;
};

}  // namespace twincert::nmea0183

// GSA — GNSS DOP and active satellites.
//
//   $--GSA,a,x,xx,xx,xx,xx,xx,xx,xx,xx,xx,xx,xx,xx,x.x,x.x,x.x,h*hh
//    1 selection mode M manual / A automatic   2 fix 1 none / 2 2D / 3 3D
//    3-14 IDs of satellites used (12 slots, null when unused)
//   15 PDOP   16 HDOP   17 VDOP   18 GNSS system ID (NMEA 4.11, optional)
//
// Layout: gpsd "NMEA Revealed" (docs/sources.md). Confidence: verified for fields 1-17;
// field 18 from NMEA 4.11 descriptions. A plain value: thread-compatible.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "twincert/protocols/nmea0183/fields.hpp"

namespace twincert::nmea0183 {

struct Gsa {
  static constexpr std::string_view kFormatter = "GSA";
  static constexpr std::string_view kTitle = "GNSS DOP and active satellites";
  static constexpr char kStart = '$';

  static constexpr std::size_t kSlots = 12;
  std::optional<char> selection_mode;
  std::optional<std::int32_t> fix_type;
  std::array<std::optional<std::int32_t>, kSlots> satellites{};
  std::optional<Decimal> pdop;
  std::optional<Decimal> hdop;
  std::optional<Decimal> vdop;
  std::optional<std::int32_t> system_id;

  static void fields(auto& s, auto& c) {
    c.letter(s.selection_mode, "selection_mode", "MA");
    c.integer(s.fix_type, "fix_type", 1, 3);
    for (auto& id : s.satellites) c.integer(id, "satellite", 1, 999);
    c.decimal(s.pdop, "pdop", 0, 99.99);
    c.decimal(s.hdop, "hdop", 0, 99.99);
    c.decimal(s.vdop, "vdop", 0, 99.99);
    c.integer(s.system_id, "system_id", 0, 15);
  }
  friend bool operator==(const Gsa&, const Gsa&) = default;
};

}  // namespace twincert::nmea0183

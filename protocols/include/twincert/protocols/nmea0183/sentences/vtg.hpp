// VTG — course over ground and ground speed.
//
//   $--VTG,x.x,T,x.x,M,x.x,N,x.x,K,a*hh
//    1-2 COG degrees true, 'T'   3-4 COG degrees magnetic, 'M'
//    5-6 SOG knots, 'N'          7-8 SOG km/h, 'K'              9 mode indicator (2.3+)
//
// Layout: IEC 61162-1 as published by gpsd "NMEA Revealed" and equipment manuals; see
// docs/sources.md (confidence: verified against several sources). The pre-3.01 form
// without unit letters is not decoded (its field 2 is not 'T': BadUnit).
// A plain value: thread-compatible.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "twincert/protocols/nmea0183/fields.hpp"

namespace twincert::nmea0183 {

struct Vtg {
  static constexpr std::string_view kFormatter = "VTG";
  static constexpr std::string_view kTitle = "course over ground and ground speed";
  static constexpr char kStart = '$';

  std::optional<Decimal> cog_true_deg;
  std::optional<Decimal> cog_magnetic_deg;
  std::optional<Decimal> sog_kn;
  std::optional<Decimal> sog_kmh;
  std::optional<char> mode;

  static void fields(auto& s, auto& c) {
    c.decimal(s.cog_true_deg, "cog_true_deg", 0, 360);
    c.unit('T', "cog_true_reference");
    c.decimal(s.cog_magnetic_deg, "cog_magnetic_deg", 0, 360);
    c.unit('M', "cog_magnetic_reference");
    c.decimal(s.sog_kn, "sog_kn", 0, 9999.9);
    c.unit('N', "sog_kn_unit");
    c.decimal(s.sog_kmh, "sog_kmh", 0, 99999.9);
    c.unit('K', "sog_kmh_unit");
    c.letter(s.mode, "mode", "ADEFMNPRS");
  }
  friend bool operator==(const Vtg&, const Vtg&) = default;
};

}  // namespace twincert::nmea0183

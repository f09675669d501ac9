// VDM — AIS VHF data-link message (other ships). Layout and sources: ais_envelope.hpp.
// A plain value: thread-compatible.
#pragma once

#include <string_view>

#include "twincert/protocols/nmea0183/sentences/ais_envelope.hpp"

namespace twincert::nmea0183 {

struct Vdm : AisEnvelope {
  static constexpr std::string_view kFormatter = "VDM";
  static constexpr std::string_view kTitle = "AIS VHF data-link message (other ships)";
  friend bool operator==(const Vdm&, const Vdm&) = default;
};

}  // namespace twincert::nmea0183

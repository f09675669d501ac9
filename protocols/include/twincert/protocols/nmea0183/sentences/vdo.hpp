// VDO — AIS VHF data-link own-vessel report. Layout and sources: ais_envelope.hpp.
// A plain value: thread-compatible.
#pragma once

#include <string_view>

#include "twincert/protocols/nmea0183/sentences/ais_envelope.hpp"

namespace twincert::nmea0183 {

struct Vdo : AisEnvelope {
  static constexpr std::string_view kFormatter = "VDO";
  static constexpr std::string_view kTitle = "AIS VHF data-link own-vessel report";
  friend bool operator==(const Vdo&, const Vdo&) = default;
};

}  // namespace twincert::nmea0183

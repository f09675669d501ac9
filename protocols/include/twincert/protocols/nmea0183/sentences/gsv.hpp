// GSV — GNSS satellites in view.
//
//   $--GSV,x,x,xx,xx,xx,xxx,xx,...,h*hh
//    1 total sentences   2 sentence number   3 satellites in view
//    then up to four entries {satellite ID, elevation deg, azimuth deg true, SNR dB-Hz}
//    last: signal ID (NMEA 4.11, optional)
//
// Layout: gpsd "NMEA Revealed". Confidence: verified for the entries; signal ID from NMEA 4.11
// descriptions. A plain value: thread-compatible.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "twincert/protocols/nmea0183/fields.hpp"

namespace twincert::nmea0183 {

struct Gsv {
  static constexpr std::string_view kFormatter = "GSV";
  static constexpr std::string_view kTitle = "GNSS satellites in view";
  static constexpr char kStart = '$';

  struct Satellite {
    std::optional<std::int32_t> id;
    std::optional<std::int32_t> elevation_deg;
    std::optional<std::int32_t> azimuth_deg;
    std::optional<std::int32_t> snr_dbhz;
    friend bool operator==(const Satellite&, const Satellite&) = default;
  };
  std::optional<std::int32_t> total_sentences;
  std::optional<std::int32_t> sentence_number;
  std::optional<std::int32_t> satellites_in_view;
  std::vector<Satellite> satellites;
  std::optional<std::string> signal_id;

  static void fields(auto& s, auto& c) {
    c.integer(s.total_sentences, "total_sentences", 1, 99);
    c.integer(s.sentence_number, "sentence_number", 1, 99);
    c.integer(s.satellites_in_view, "satellites_in_view", 0, 999);
    c.repeated(s.satellites, "satellite", 4, 4, [](auto& e, auto& f) {
      f.integer(e.id, "id", 1, 999);
      f.integer(e.elevation_deg, "elevation_deg", -90, 90);
      f.integer(e.azimuth_deg, "azimuth_deg", 0, 359);
      f.integer(e.snr_dbhz, "snr_dbhz", 0, 99);
    });
    c.word(s.signal_id, "signal_id", 1);
  }
  friend bool operator==(const Gsv&, const Gsv&) = default;
};

}  // namespace twincert::nmea0183

#include "sentences.hpp"

#include <cmath>

#include "twincert/protocols/ais/messages.hpp"
#include "twincert/protocols/ais/sixbit.hpp"
#include "twincert/protocols/nmea0183/fields.hpp"
#include "twincert/protocols/nmea0183/sentences/gga.hpp"
#include "twincert/protocols/nmea0183/sentences/hdt.hpp"
#include "twincert/protocols/nmea0183/sentences/rmc.hpp"
#include "twincert/protocols/nmea0183/sentences/rot.hpp"
#include "twincert/protocols/nmea0183/sentences/vtg.hpp"

#include "twin_process.hpp"

namespace twincert::testing {

namespace {

using nmea0183::Decimal;

nmea0183::UtcTime utc(double sod) {
  nmea0183::UtcTime u;
  u.hour = static_cast<std::uint8_t>(sod / 3600);
  u.minute = static_cast<std::uint8_t>(std::fmod(sod, 3600) / 60);
  u.second = Decimal::from_double(std::fmod(sod, 60), 2);
  return u;
}

std::string vdm(int total, int number, const std::string& sequence, const std::string& payload,
                int fill) {
  return with_checksum("AIVDM," + std::to_string(total) + "," + std::to_string(number) + "," +
                           sequence + ",A," + payload + "," + std::to_string(fill),
                       '!');
}

}  // namespace

std::string gga(double lat, double lon, double sod, int quality) {
  nmea0183::Gga g;
  g.time = utc(sod);
  g.latitude = nmea0183::GeoAngle::latitude(lat);
  g.longitude = nmea0183::GeoAngle::longitude(lon);
  g.quality = quality;
  g.satellites_in_use = 9;
  g.hdop = Decimal::from_double(0.9, 1);
  g.altitude_msl_m = Decimal::from_double(25.0, 1);
  g.geoid_separation_m = Decimal::from_double(45.0, 1);
  return nmea0183::encode(g, "GP");
}

std::string rmc(double lat, double lon, double sog_kn, double cog_deg, double sod) {
  nmea0183::Rmc r;
  r.time = utc(sod);
  r.status = 'A';
  r.latitude = nmea0183::GeoAngle::latitude(lat);
  r.longitude = nmea0183::GeoAngle::longitude(lon);
  r.sog_kn = Decimal::from_double(sog_kn, 1);
  r.cog_true_deg = Decimal::from_double(cog_deg, 1);
  r.date = nmea0183::DayMonthYear{15, 6, 25};
  r.mode = 'A';
  return nmea0183::encode(r, "GP");
}

std::string vtg(double cog_deg, double sog_kn, double sog_kmh) {
  nmea0183::Vtg v;
  v.cog_true_deg = Decimal::from_double(cog_deg, 1);
  v.sog_kn = Decimal::from_double(sog_kn, 1);
  v.sog_kmh = Decimal::from_double(sog_kmh, 1);
  v.mode = 'A';
  return nmea0183::encode(v, "GP");
}

std::string hdt(double heading_deg) {
  nmea0183::Hdt h;
  h.heading_true_deg = Decimal::from_double(heading_deg, 2);
  return nmea0183::encode(h, "HE");
}

std::string rot(double deg_per_min, char status) {
  nmea0183::Rot r;
  r.rate_deg_per_min = Decimal::from_double(deg_per_min, 1);
  r.status = status;
  return nmea0183::encode(r, "TI");
}

std::string ais_position(std::uint32_t mmsi, double lat, double lon, double sog_kn,
                         double cog_deg) {
  ais::PositionReportClassA m;
  m.mmsi = mmsi;
  m.navigation_status = 0;
  m.sog = static_cast<std::uint32_t>(std::lround(sog_kn * 10));
  m.latitude = ais::to_position_raw(lat);
  m.longitude = ais::to_position_raw(lon);
  m.cog = static_cast<std::uint32_t>(std::lround(cog_deg * 10));
  m.true_heading = static_cast<std::uint32_t>(std::lround(cog_deg)) % 360;
  const auto [payload, fill] = ais::armor(ais::encode_message(ais::Message{m}));
  return vdm(1, 1, "", payload, fill);
}

std::vector<std::string> ais_static(std::uint32_t mmsi, const std::string& name, int sequence_id) {
  ais::StaticAndVoyageData m;
  m.mmsi = mmsi;
  m.name = name;
  m.call_sign = "PBZP";
  m.destination = "ROTTERDAM";
  m.ship_type = 70;
  const auto [payload, fill] = ais::armor(ais::encode_message(ais::Message{m}));
  constexpr std::size_t kFirst = 60;  // characters in the first fragment
  const std::string sequence = std::to_string(sequence_id);
  return {vdm(2, 1, sequence, payload.substr(0, kFirst), 0),
          vdm(2, 2, sequence, payload.substr(kFirst), fill)};
}

}  // namespace twincert::testing

// Sentences for the reference-twin tests, built with twincert::protocols' encoders so that
// only the value under test is unusual.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace twincert::testing {

std::string gga(double lat, double lon, double seconds_of_day, int quality = 1);
std::string rmc(double lat, double lon, double sog_kn, double cog_deg, double seconds_of_day);
std::string vtg(double cog_deg, double sog_kn, double sog_kmh);
std::string hdt(double heading_deg);
std::string rot(double deg_per_min, char status = 'A');
// An AIS class A position report and the two fragments of a type 5 message, as !AIVDM lines.
std::string ais_position(std::uint32_t mmsi, double lat, double lon, double sog_kn, double cog_deg);
std::vector<std::string> ais_static(std::uint32_t mmsi, const std::string& name, int sequence_id);

}  // namespace twincert::testing

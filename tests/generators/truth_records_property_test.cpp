// The truth records written without a JSON document are byte for byte what nlohmann::json
// would dump for the same record (the reference below is how bundles wrote them before), for any
// values: negative zero, whole numbers, huge and tiny magnitudes, NaN and infinities, names
// that need escaping.
#include <cmath>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <rapidcheck/gtest.h>

#include "twincert/generators/truth_records.hpp"

#include <rapidcheck.h>

namespace twincert::generators {
namespace {

double round_to(double v, double unit) {
  return std::round(v / unit) * unit;
}

nlohmann::json reference_state(const ShipState& s) {
  return {{"kind", "state"},
          {"t", s.t_s},
          {"lat", round_to(s.position.lat_deg, 1e-8)},
          {"lon", round_to(s.position.lon_deg, 1e-8)},
          {"heading_deg", round_to(s.heading_deg, 1e-4)},
          {"cog_deg", round_to(s.cog_deg, 1e-4)},
          {"sog_kn", round_to(s.sog_kn, 1e-4)},
          {"stw_kn", round_to(s.stw_kn, 1e-4)},
          {"rot_deg_min", round_to(s.rot_deg_s * 60.0, 1e-4)},
          {"rudder_deg", round_to(s.rudder_deg, 1e-4)},
          {"rpm", round_to(s.rpm, 1e-3)},
          {"depth_m", round_to(s.depth_m, 1e-3)},
          {"wind_speed_kn", round_to(s.wind.speed_kn, 1e-3)},
          {"wind_from_deg", round_to(s.wind.from_deg, 1e-3)},
          {"roll_deg", round_to(s.roll_deg, 1e-4)},
          {"pitch_deg", round_to(s.pitch_deg, 1e-4)},
          {"distance_nm", round_to(s.distance_nm, 1e-6)}};
}

nlohmann::json reference_target(double t_s, const Target& target, GeoPoint p, const Approach& a) {
  return {{"kind", "target"},
          {"t", t_s},
          {"mmsi", target.mmsi},
          {"name", target.name},
          {"class", target.class_b ? "B" : "A"},
          {"lat", round_to(p.lat_deg, 1e-8)},
          {"lon", round_to(p.lon_deg, 1e-8)},
          {"sog_kn", target.speed_kn},
          {"cog_deg", target.course_deg},
          {"range_nm", round_to(a.range_nm, 1e-4)},
          {"bearing_deg", round_to(a.bearing_deg, 1e-3)},
          {"cpa_nm", round_to(a.cpa_nm, 1e-4)},
          {"tcpa_min", round_to(a.tcpa_min, 1e-3)}};
}

// Plausible values most of the time, any double now and then.
rc::Gen<double> value() {
  return rc::gen::weightedOneOf<double>(
      {{3, rc::gen::map(rc::gen::inRange(-36000000, 36000000),
                        [](int v) { return static_cast<double>(v) / 100000.0; })},
       {1, rc::gen::element(0.0, -0.0, 1.0, 600.0, 1e-9, 1e21, -1e-7, std::nan(""), HUGE_VAL,
                            -HUGE_VAL)},
       {1, rc::gen::arbitrary<double>()}});
}

RC_GTEST_PROP(TruthRecords, StateLineIsWhatTheJsonLibraryDumps, ()) {
  ShipState s;
  s.t_s = *value();
  s.position = GeoPoint{*value(), *value()};
  s.heading_deg = *value();
  s.cog_deg = *value();
  s.sog_kn = *value();
  s.stw_kn = *value();
  s.rot_deg_s = *value();
  s.rudder_deg = *value();
  s.rpm = *value();
  s.depth_m = *value();
  s.wind = Wind{*value(), *value()};
  s.roll_deg = *value();
  s.pitch_deg = *value();
  s.distance_nm = *value();
  std::string line = "kept|";
  append_state_record(s, line);
  RC_ASSERT(line == "kept|" + reference_state(s).dump());
}

RC_GTEST_PROP(TruthRecords, TargetLineIsWhatTheJsonLibraryDumps, ()) {
  Target target;
  target.mmsi = *rc::gen::arbitrary<std::uint32_t>();
  target.name = *rc::gen::container<std::string>(rc::gen::inRange<char>(0, 127));
  target.class_b = *rc::gen::arbitrary<bool>();
  target.speed_kn = *value();
  target.course_deg = *value();
  const GeoPoint p{*value(), *value()};
  const Approach a{*value(), *value(), *value(), *value()};
  const double t = *value();
  std::string line;
  append_target_record(t, target, p, a, line);
  RC_ASSERT(line == reference_target(t, target, p, a).dump());
}

TEST(TruthRecords, AStateLineReadsBackAsTheRecord) {
  ShipState s;
  s.t_s = 12.0;
  s.position = GeoPoint{54.123456789, -6.5};
  s.sog_kn = 14.25;
  std::string line;
  append_state_record(s, line);
  const auto j = nlohmann::json::parse(line);
  EXPECT_EQ(j.at("kind"), "state");
  EXPECT_DOUBLE_EQ(j.at("t").get<double>(), 12.0);
  EXPECT_DOUBLE_EQ(j.at("lat").get<double>(), 54.12345679);
  EXPECT_DOUBLE_EQ(j.at("lon").get<double>(), -6.5);
  EXPECT_DOUBLE_EQ(j.at("sog_kn").get<double>(), 14.25);
  EXPECT_EQ(j.size(), 17U);
}

}  // namespace
}  // namespace twincert::generators

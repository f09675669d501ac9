// The truth records written without a JSON document hold what the record holds, for any values:
// negative zero, whole numbers, huge and tiny magnitudes, NaN and infinities, names that need
// escaping. Rounded fields are written as the decimal they were rounded to (the value a reader
// parses back is the double nearest that decimal), keys in sorted order, non-finite as null.
#include <algorithm>
#include <array>
#include <cmath>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <rapidcheck/gtest.h>

#include "twincert/generators/truth_records.hpp"

#include <rapidcheck.h>

namespace twincert::generators {
namespace {

// What a reader must parse back for `v` rounded to `decimals` places: the double nearest the
// decimal (an exact integer divided by an exact power of ten rounds to just that), or null.
nlohmann::json rounded(double v, std::size_t decimals) {
  constexpr std::array<double, 9> kUnits = {1.0, 1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6, 1e-7, 1e-8};
  const double units = std::round(v / kUnits.at(decimals));
  if (!std::isfinite(units)) return nullptr;
  if (std::abs(units) >= 0x1p53) return units * kUnits.at(decimals);
  return units / std::pow(10.0, static_cast<double>(decimals));  // 10^d is exact
}

nlohmann::json plain(double v) {
  return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr);
}

nlohmann::json reference_state(const ShipState& s) {
  return {{"kind", "state"},
          {"t", plain(s.t_s)},
          {"lat", rounded(s.position.lat_deg, 8)},
          {"lon", rounded(s.position.lon_deg, 8)},
          {"heading_deg", rounded(s.heading_deg, 4)},
          {"cog_deg", rounded(s.cog_deg, 4)},
          {"sog_kn", rounded(s.sog_kn, 4)},
          {"stw_kn", rounded(s.stw_kn, 4)},
          {"rot_deg_min", rounded(s.rot_deg_s * 60.0, 4)},
          {"rudder_deg", rounded(s.rudder_deg, 4)},
          {"rpm", rounded(s.rpm, 3)},
          {"depth_m", rounded(s.depth_m, 3)},
          {"wind_speed_kn", rounded(s.wind.speed_kn, 3)},
          {"wind_from_deg", rounded(s.wind.from_deg, 3)},
          {"roll_deg", rounded(s.roll_deg, 4)},
          {"pitch_deg", rounded(s.pitch_deg, 4)},
          {"distance_nm", rounded(s.distance_nm, 6)}};
}

nlohmann::json reference_target(double t_s, const Target& target, GeoPoint p, const Approach& a) {
  return {{"kind", "target"},
          {"t", plain(t_s)},
          {"mmsi", target.mmsi},
          {"name", target.name},
          {"class", target.class_b ? "B" : "A"},
          {"lat", rounded(p.lat_deg, 8)},
          {"lon", rounded(p.lon_deg, 8)},
          {"sog_kn", plain(target.speed_kn)},
          {"cog_deg", plain(target.course_deg)},
          {"range_nm", rounded(a.range_nm, 4)},
          {"bearing_deg", rounded(a.bearing_deg, 3)},
          {"cpa_nm", rounded(a.cpa_nm, 4)},
          {"tcpa_min", rounded(a.tcpa_min, 3)}};
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

// The line is one JSON object equal to `reference`, its keys in sorted order.
void check_line(const std::string& line, const nlohmann::json& reference) {
  const auto parsed = nlohmann::ordered_json::parse(line);
  std::vector<std::string> keys;
  for (const auto& item : parsed.items()) keys.push_back(item.key());
  RC_ASSERT(std::is_sorted(keys.begin(), keys.end()));
  RC_ASSERT(nlohmann::json::parse(line) == reference);
}

RC_GTEST_PROP(TruthRecords, StateLineHoldsTheRoundedState, ()) {
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
  RC_ASSERT(line.starts_with("kept|"));
  check_line(line.substr(5), reference_state(s));
}

RC_GTEST_PROP(TruthRecords, TargetLineHoldsTheRoundedTarget, ()) {
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
  check_line(line, reference_target(t, target, p, a));
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

TEST(TruthRecords, RoundedValuesAreWrittenAsTheirDecimals) {
  Target target;
  target.name = "T";
  target.speed_kn = 11.0;
  target.course_deg = 20.0;
  // 7.2417 rounded to 1e-4 is the double 7.241700000000001, whose shortest form is that long.
  const Approach a{9.0, -0.0004, 7.2417, -0.00001};
  std::string line;
  append_target_record(600.0, target, GeoPoint{52.25, -4.000000006}, a, line);
  EXPECT_NE(line.find(R"("cpa_nm":7.2417,)"), std::string::npos) << line;
  EXPECT_NE(line.find(R"("range_nm":9.0,)"), std::string::npos) << line;
  EXPECT_NE(line.find(R"("bearing_deg":0.0,)"), std::string::npos) << line;  // not -0.0
  EXPECT_NE(line.find(R"("tcpa_min":0.0})"), std::string::npos) << line;
  EXPECT_NE(line.find(R"("lon":-4.00000001,)"), std::string::npos) << line;
  EXPECT_NE(line.find(R"("sog_kn":11.0,)"), std::string::npos) << line;
}

}  // namespace
}  // namespace twincert::generators

// Each sensor kind, sampled on a known true state, sends strict-valid sentences whose decoded
// values are that state in the sentence's own units, within the sensor's noise.
#include "twincert/generators/sensors.hpp"

#include <cmath>
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "twincert/base/config_error.hpp"
#include "twincert/generators/scenario.hpp"
#include "twincert/protocols/nmea0183/registry.hpp"
#include "twincert/protocols/nmea0183/sentences/dbt.hpp"
#include "twincert/protocols/nmea0183/sentences/dpt.hpp"
#include "twincert/protocols/nmea0183/sentences/etl.hpp"
#include "twincert/protocols/nmea0183/sentences/gga.hpp"
#include "twincert/protocols/nmea0183/sentences/gsv.hpp"
#include "twincert/protocols/nmea0183/sentences/hdt.hpp"
#include "twincert/protocols/nmea0183/sentences/hrm.hpp"
#include "twincert/protocols/nmea0183/sentences/mwd.hpp"
#include "twincert/protocols/nmea0183/sentences/prc.hpp"
#include "twincert/protocols/nmea0183/sentences/rmc.hpp"
#include "twincert/protocols/nmea0183/sentences/rot.hpp"
#include "twincert/protocols/nmea0183/sentences/rpm.hpp"
#include "twincert/protocols/nmea0183/sentences/rsa.hpp"
#include "twincert/protocols/nmea0183/sentences/vhw.hpp"
#include "twincert/protocols/nmea0183/sentences/vtg.hpp"
#include "twincert/protocols/nmea0183/sentences/xdr.hpp"
#include "twincert/protocols/nmea0183/sentences/zda.hpp"

namespace twincert::generators {
namespace {

namespace nmea = twincert::nmea0183;

constexpr std::int64_t kEpoch = 1763802000;  // 2025-11-22T09:00:00Z

ShipState known_state() {
  ShipState s;
  s.t_s = 30.0;  // a multiple of 10 s: periodic sentences (VLW, GSV, status) are due
  s.position = GeoPoint{-33.85, -151.2};  // south and west: hemisphere letters matter
  s.heading_deg = 123.4;
  s.cog_deg = 125.0;
  s.sog_kn = 12.3;
  s.stw_kn = 11.8;
  s.rot_deg_s = 0.25;
  s.rudder_deg = -7.5;
  s.rpm = 82.0;
  s.roll_deg = 4.2;
  s.pitch_deg = -1.1;
  s.depth_m = 23.4;
  s.wind = Wind{18.0, 250.0};
  s.systems.rpm_order = 82.0;
  return s;
}

// Samples the kind from the standard suite (with `params` set) and returns its sentences, each
// checked strictly.
std::vector<std::string> sample(const std::string& kind, const ShipState& state,
                                const std::map<std::string, double, std::less<>>& params = {}) {
  for (SensorSpec spec : standard_sensor_suite()) {
    if (spec.kind != kind) continue;
    spec.params = params;
    auto sensor = make_sensor(spec, CounterRng(11));
    SentenceBatch batch;
    sensor->sample(state, kEpoch, batch);
    const std::vector<std::string> out = batch.strings();
    for (const std::string& s : out) {
      const auto raw = nmea::parse_sentence(s, nmea::Mode::kStrict);
      EXPECT_TRUE(raw.has_value()) << s;
      if (!raw) continue;
      const auto* type = nmea::find_sentence_type(raw->formatter());
      EXPECT_NE(type, nullptr) << s;
      if (type != nullptr) {
        EXPECT_TRUE(type->validate(*raw, nmea::Mode::kStrict, nullptr)) << s;
      }
    }
    return out;
  }
  ADD_FAILURE() << "no " << kind << " in the standard suite";
  return {};
}

template <class T>
T first(const std::vector<std::string>& sentences) {
  for (const std::string& s : sentences) {
    const auto raw = nmea::parse_sentence(s, nmea::Mode::kStrict);
    if (raw && raw->formatter() == T::kFormatter) return nmea::decode<T>(*raw).value();
  }
  ADD_FAILURE() << "no " << T::kFormatter;
  return T{};
}

TEST(SensorsTest, GnssReportsPositionSpeedCourseAndTime) {
  const ShipState s = known_state();
  const auto out = sample("gnss", s);
  const auto gga = first<nmea::Gga>(out);
  EXPECT_NEAR(gga.latitude->degrees(), s.position.lat_deg, 1e-4);  // 2 m sigma
  EXPECT_NEAR(gga.longitude->degrees(), s.position.lon_deg, 1e-4);
  EXPECT_EQ(gga.quality, 1);
  EXPECT_EQ(gga.time->hour, 9);
  EXPECT_DOUBLE_EQ(gga.time->second.value(), 30.0);
  const auto rmc = first<nmea::Rmc>(out);
  EXPECT_NEAR(rmc.sog_kn->value(), s.sog_kn, 0.3);
  EXPECT_NEAR(rmc.cog_true_deg->value(), s.cog_deg, 1.5);
  EXPECT_EQ(rmc.status, 'A');
  const auto vtg = first<nmea::Vtg>(out);
  EXPECT_NEAR(vtg.sog_kmh->value(), vtg.sog_kn->value() * 1.852, 0.15);  // each to 0.1
  const auto zda = first<nmea::Zda>(out);
  EXPECT_EQ(zda.year, 2025);
  EXPECT_EQ(zda.month, 11);
  EXPECT_EQ(zda.day, 22);
  const auto gsv = first<nmea::Gsv>(out);
  EXPECT_EQ(gsv.satellites_in_view, 11);
  // An invalid receiver says so in every sentence that can.
  auto spec = standard_sensor_suite().front();
  auto gnss = make_sensor(spec, CounterRng(11));
  gnss->set_invalid(true);
  SentenceBatch invalid;
  gnss->sample(s, kEpoch, invalid);
  EXPECT_EQ(first<nmea::Gga>(invalid.strings()).quality, 0);
  EXPECT_EQ(first<nmea::Rmc>(invalid.strings()).status, 'V');
}

// A GNSS fix's error wanders over minutes with a small jitter per fix, as real receivers' do:
// consecutive fixes of a ship lying still differ by decimetres, not by the metres of the error
// itself (which white noise of the same spread would give, and a track would zig-zag).
TEST(SensorsTest, GnssFixErrorWandersSlowly) {
  ShipState s = known_state();
  auto spec = standard_sensor_suite().front();
  ASSERT_EQ(spec.kind, "gnss");
  auto gnss = make_sensor(spec, CounterRng(4));
  std::vector<double> north_m;
  constexpr int kFixes = 7200;
  for (int i = 0; i < kFixes; ++i) {
    s.t_s = i;
    SentenceBatch out;
    gnss->sample(s, kEpoch, out);
    const auto gga = first<nmea::Gga>(out.strings());
    north_m.push_back((gga.latitude->degrees() - s.position.lat_deg) * 60.0 * 1852.0);
  }
  double sum_sq = 0.0;
  double step_sq = 0.0;
  for (std::size_t i = 0; i < north_m.size(); ++i) {
    sum_sq += north_m[i] * north_m[i];
    if (i > 0) step_sq += (north_m[i] - north_m[i - 1]) * (north_m[i] - north_m[i - 1]);
  }
  const double sigma = std::sqrt(sum_sq / kFixes);
  const double step_rms = std::sqrt(step_sq / (kFixes - 1));
  // 2 m wander (120 s) and 0.3 m jitter: a fix-to-fix change of sqrt(2 * (0.26^2 + 0.3^2)) =
  // 0.56 m RMS, plus the 0.19 m steps of GGA's 4 decimals of a minute. White noise: 2.8 m.
  EXPECT_NEAR(sigma, 2.0, 0.6);  // 2 h hold about 30 correlation times: a loose estimate
  EXPECT_LT(step_rms, 0.8);
  EXPECT_GT(step_rms, 0.3);
}

// Every parameter a scenario may set, at either end of what it accepts, still gives sentences
// that pass strict checking (VLW caught an odometer beyond its 7 digits); and every kind
// declares some (the scenario reader relies on it).
TEST(SensorsTest, EveryAcceptedParameterValueGivesValidSentences) {
  const ShipState s = known_state();
  for (const auto& [kind, sentences] : sensor_kinds()) {
    const auto params = sensor_parameters(kind);
    EXPECT_FALSE(params.empty()) << kind;
    for (const SensorParameter& p : params) {
      for (const double value : {p.min, p.max}) {
        SCOPED_TRACE(kind + " " + p.name + "=" + std::to_string(value));
        (void)sample(kind, s, {{p.name, value}});  // checks each sentence strictly
      }
    }
  }
  EXPECT_TRUE(sensor_parameters("sonar").empty());
}

TEST(SensorsTest, GyroRateOfTurnRudderAndEngineReportTheirQuantities) {
  const ShipState s = known_state();
  EXPECT_NEAR(first<nmea::Hdt>(sample("gyro", s)).heading_true_deg->value(), s.heading_deg, 0.3);
  EXPECT_NEAR(first<nmea::Rot>(sample("rate_of_turn", s)).rate_deg_per_min->value(),
              s.rot_deg_s * 60.0, 1.0);
  EXPECT_NEAR(first<nmea::Rsa>(sample("rudder", s)).starboard_deg->value(), s.rudder_deg, 0.5);
  const auto engine = sample("engine", s);
  EXPECT_NEAR(first<nmea::Rpm>(engine).speed_rpm->value(), s.rpm, 1.5);
  EXPECT_NEAR(first<nmea::Prc>(engine).rpm_demand->value(), s.systems.rpm_order, 1e-9);
  EXPECT_EQ(first<nmea::Etl>(engine).telegraph_position, 4);  // 82 of 95 rpm: full ahead
}

TEST(SensorsTest, LogSounderAndAnemometerUseTheirUnits) {
  const ShipState s = known_state();
  const auto vhw = first<nmea::Vhw>(sample("speed_log", s));
  EXPECT_NEAR(vhw.stw_kn->value(), s.stw_kn, 0.3);
  EXPECT_NEAR(vhw.stw_kmh->value(), vhw.stw_kn->value() * 1.852, 0.15);
  const auto sounder = sample("echo_sounder", s);
  const auto dpt = first<nmea::Dpt>(sounder);
  // Depth below the transducer plus its (negative) offset is the depth under the keel.
  EXPECT_NEAR(dpt.depth_m->value() + dpt.offset_m->value(), s.depth_m, 0.5);
  const auto dbt = first<nmea::Dbt>(sounder);
  EXPECT_NEAR(dbt.depth_ft->value(), dbt.depth_m->value() * 3.2808, 0.1);
  const auto mwd = first<nmea::Mwd>(sample("anemometer", s));
  EXPECT_NEAR(mwd.direction_true_deg->value(), s.wind.from_deg, 8.0);
  EXPECT_NEAR(mwd.speed_ms->value(), mwd.speed_kn->value() * 1852.0 / 3600.0, 0.1);
}

TEST(SensorsTest, InclinometerReportsRollInHrmAndHullMotionInXdr) {
  const ShipState s = known_state();
  const auto out = sample("inclinometer", s);
  EXPECT_NEAR(first<nmea::Hrm>(out).heel_deg->value(), s.roll_deg, 0.5);
  const auto xdr = first<nmea::Xdr>(out);
  ASSERT_EQ(xdr.measurements.size(), 3U);
  EXPECT_EQ(xdr.measurements[0].name, "PITCH");
  EXPECT_NEAR(xdr.measurements[0].value->value(), s.pitch_deg, 0.3);
  EXPECT_EQ(xdr.measurements[1].name, "ROLL");
  EXPECT_NEAR(xdr.measurements[1].value->value(), s.roll_deg, 0.3);
}

TEST(SensorsTest, ShipSystemSourcesSendTheirStatusAndHeartbeat) {
  const ShipState s = known_state();  // nothing wrong on board
  for (const char* kind : {"fire_detection", "door_monitoring", "water_level"}) {
    const auto out = sample(kind, s);
    ASSERT_FALSE(out.empty()) << kind;
    EXPECT_NE(out[0].find(",S,"), std::string::npos) << out[0];  // the 10-s section status
  }
  ShipState minute = s;
  minute.t_s = 60.0;
  for (const char* kind : {"steering_gear", "alert_management", "engine"}) {
    const auto out = sample(kind, minute);
    EXPECT_TRUE(std::any_of(out.begin(), out.end(), [](const std::string& l) {
      return l.find("HBT,60,A,") != std::string::npos;
    })) << kind;
  }
}

TEST(SensorsTest, UnknownKindsAndSentencesAreRefusedWithTheKnownOnes) {
  SensorSpec spec{"radar", "RA0001", "RA", 1.0, {}, {}};
  EXPECT_THROW((void)make_sensor(spec, CounterRng(1)), ConfigError);
  SensorSpec gyro{"gyro", "HE0001", "HE", 1.0, {"GGA"}, {}};
  EXPECT_THROW((void)make_sensor(gyro, CounterRng(1)), ConfigError);
}

}  // namespace
}  // namespace twincert::generators

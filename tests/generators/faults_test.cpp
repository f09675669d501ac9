#include "twincert/generators/faults.hpp"

#include <set>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "twincert/base/config_error.hpp"
#include "twincert/generators/geodesy.hpp"
#include "twincert/generators/scenario.hpp"
#include "twincert/generators/simulation.hpp"
#include "twincert/protocols/nmea0183/registry.hpp"
#include "twincert/protocols/nmea0183/sentence.hpp"

#include "config_error_message.hpp"

namespace twincert::generators {
namespace {

using ::testing::HasSubstr;

TEST(FaultSpecTest, ParsesKindSourceSpanAndParameters) {
  const FaultSpec f = parse_fault("bias:HE0001@10m+90s,heading_deg=5,rot_deg_s=-0.1");
  EXPECT_EQ(f.kind, "bias");
  EXPECT_EQ(f.source, "HE0001");
  EXPECT_DOUBLE_EQ(f.start_s, 600.0);
  EXPECT_DOUBLE_EQ(f.duration_s, 90.0);
  EXPECT_DOUBLE_EQ(f.params.at("heading_deg"), 5.0);
  EXPECT_DOUBLE_EQ(f.params.at("rot_deg_s"), -0.1);
  EXPECT_TRUE(f.active(600.0));
  EXPECT_TRUE(f.active(689.9));
  EXPECT_FALSE(f.active(690.0));
  EXPECT_DOUBLE_EQ(parse_fault("dropout:GP0001@0+1h").start_s, 0.0);
}

TEST(FaultSpecTest, RejectsMalformedSpecsWithAReason) {
  EXPECT_THAT(config_error([] { (void)parse_fault("dropout HE0001"); }),
              HasSubstr("expected KIND:SOURCE@START+DURATION"));
  EXPECT_THAT(config_error([] { (void)parse_fault("melt:HE0001@1+1"); }),
              HasSubstr("unknown fault kind \"melt\""));
  EXPECT_THAT(config_error([] { (void)parse_fault("dropout:HE1@1+1"); }),
              HasSubstr("is not a system function ID"));
  EXPECT_THAT(config_error([] { (void)parse_fault("bias:HE0001@1+1,colour=3"); }),
              HasSubstr("bias takes no parameter \"colour\""));
  EXPECT_THAT(config_error([] { (void)parse_fault("delay:HE0001@1+1,depth=3"); }),
              HasSubstr("delay takes no parameter \"depth\" (it takes: delay_ms jitter_ms)"));
  EXPECT_THAT(config_error([] { (void)parse_fault("checksum:HE0001@1+1,probability=2"); }),
              HasSubstr("probability must be from 0 to 1"));
  EXPECT_THAT(config_error([] { (void)parse_fault("bias:HE0001@1+1,heading_deg=x"); }),
              HasSubstr("is not a number"));
  EXPECT_THAT(config_error([] { (void)parse_fault("bias:HE0001@1+1,probability=0.5"); }),
              HasSubstr("bias takes no parameter \"probability\""));
  EXPECT_THAT(config_error([] { (void)parse_fault("dropout:HE0001@1+soon"); }),
              HasSubstr("duration"));
}

TEST(FaultSpecTest, ExpectedConclusions) {
  EXPECT_EQ(expected_conclusion(parse_fault("dropout:HE0001@1+1")), "input_lost");
  EXPECT_EQ(expected_conclusion(parse_fault("checksum:HE0001@1+1")), "input_invalid");
  EXPECT_EQ(expected_conclusion(parse_fault("frozen:HE0001@1+1")), "input_frozen");
  EXPECT_EQ(expected_conclusion(parse_fault("bias:HE0001@1+1,heading_deg=3")), "");
  EXPECT_EQ(expected_conclusion(parse_fault("spike:GP0001@1+1,north_m=800")), "position_jump");
  EXPECT_EQ(expected_conclusion(parse_fault("spike:GP0001@1+1,north_m=20")), "");
  EXPECT_EQ(expected_conclusion(parse_fault("time_jump:GP0001@1+1")), "time_inconsistent");
  EXPECT_EQ(expected_conclusion(parse_fault("loss:GP0001@1+1")), "input_lost");
  EXPECT_EQ(expected_conclusion(parse_fault("loss:GP0001@1+1,probability=0.2")), "");
  EXPECT_EQ(expected_conclusion(parse_fault("bad_header:GP0001@1+1")), "input_invalid");
}

TEST(FaultSpecTest, EveryKindHasALevelHealthAndEffect) {
  int network = 0;
  for (const FaultKindInfo& k : fault_kinds()) {
    EXPECT_FALSE(k.health.empty()) << k.name;
    EXPECT_FALSE(k.effect.empty()) << k.name;
    EXPECT_EQ(parse_fault(std::string(k.name) + ":GP0001@1+1").level, k.level) << k.name;
    if (k.level == FaultLevel::kNetwork) ++network;
  }
  EXPECT_EQ(network, 8);
  EXPECT_EQ(level_name(FaultLevel::kNetwork), "network");
}

ShipState at(double t, double heading) {
  ShipState s;
  s.t_s = t;
  s.heading_deg = heading;
  s.position = GeoPoint{54.0, 6.0};
  return s;
}

TEST(SensorFaultsTest, SensorLevelFaultsChangeWhatTheSensorSeesOnlyInTheirSpan) {
  SensorFaults faults(
      {parse_fault("bias:HE0001@10+10,heading_deg=5"),
       parse_fault("drift:HE0001@30+10,heading_deg=10"), parse_fault("frozen:HE0001@50+10"),
       parse_fault("dropout:HE0001@70+10"), parse_fault("spike:HE0001@90+10,north_m=100")},
      CounterRng(1), "HE0001");
  ShipState seen;
  EXPECT_TRUE(faults.distort(at(5, 100), seen));
  EXPECT_DOUBLE_EQ(seen.heading_deg, 100);
  EXPECT_TRUE(faults.distort(at(12, 100), seen));
  EXPECT_DOUBLE_EQ(seen.heading_deg, 105);
  EXPECT_TRUE(faults.distort(at(35, 100), seen));
  EXPECT_DOUBLE_EQ(seen.heading_deg, 105);  // half way through the drift
  EXPECT_TRUE(faults.distort(at(50, 120), seen));
  EXPECT_TRUE(faults.distort(at(55, 150), seen));
  EXPECT_DOUBLE_EQ(seen.heading_deg, 120);  // frozen at the value of the fault start
  EXPECT_DOUBLE_EQ(seen.t_s, 55);
  EXPECT_FALSE(faults.distort(at(75, 100), seen));
  EXPECT_TRUE(faults.distort(at(90, 100), seen));
  EXPECT_NEAR(distance_m(seen.position, GeoPoint{54.0, 6.0}), 100.0, 1e-3);
  EXPECT_TRUE(faults.distort(at(91, 100), seen));
  EXPECT_DOUBLE_EQ(seen.position.lat_deg, 54.0);  // a spike is one sample
  EXPECT_TRUE(faults.distort(at(100, 100), seen));
  EXPECT_DOUBLE_EQ(seen.heading_deg, 100);
}

// A stuck sensor repeats its last output to the digit (noise included): otherwise a twin could
// not tell it from a live one, and the truth's input_frozen would be unknowable.
TEST(SensorFaultsTest, AFrozenSensorRepeatsItsOutputExactly) {
  Scenario scenario = load_scenario("coastal-transit");
  add_fault(scenario, parse_fault("frozen:SD0001@20+30"));
  Simulation simulation(scenario, 9);
  std::vector<std::string> before;
  std::vector<std::string> during;
  simulation.run(
      60.0,
      [&](double t, std::size_t /*sensor_index*/, const SensorSpec& sensor,
          std::string_view sentence) {
        if (sensor.source != "SD0001" || !sentence.starts_with("$SDDPT")) return;
        if (t < 20.0) before.emplace_back(sentence);
        if (t >= 20.0 && t < 50.0) during.emplace_back(sentence);
      },
      nullptr);
  ASSERT_GE(during.size(), 25U);
  for (const auto& s : during) EXPECT_EQ(s, during.front());
  EXPECT_GT(std::set<std::string>(before.begin(), before.end()).size(), 3U);  // live: it varies
}

// The GNSS error wanders (it has a memory): frozen, the fix repeats the fault start's error;
// after the fault the receiver's error is where it would have wandered to without the fault,
// so its sentences are byte-identical to the stream without it.
TEST(SensorFaultsTest, AFrozenGnssRepeatsItsFixAndWandersOnAfterwards) {
  const auto gnss_lines = [](const Scenario& scenario) {
    std::vector<std::pair<double, std::string>> lines;
    Simulation simulation(scenario, 9);
    simulation.run(
        90.0,
        [&](double t, std::size_t /*sensor_index*/, const SensorSpec& sensor,
            std::string_view sentence) {
          if (sensor.source == "GP0001") lines.emplace_back(t, sentence);
        },
        nullptr);
    return lines;
  };
  Scenario scenario = load_scenario("open-sea-transit");
  const auto clean = gnss_lines(scenario);
  add_fault(scenario, parse_fault("frozen:GP0001@20+30"));
  const auto frozen = gnss_lines(scenario);
  ASSERT_EQ(clean.size(), frozen.size());
  std::set<std::string> clean_fixes;
  std::set<std::string> frozen_fixes;
  for (std::size_t i = 0; i < clean.size(); ++i) {
    const auto& [t, line] = frozen[i];
    if (t < 20.0 || t >= 50.0) {
      EXPECT_EQ(line, clean[i].second) << "at t=" << t;
      continue;
    }
    if (!line.starts_with("$GPGLL")) continue;  // GLL: latitude and longitude, then the time
    frozen_fixes.insert(line.substr(0, line.find(',', 30)));
    clean_fixes.insert(clean[i].second.substr(0, clean[i].second.find(',', 30)));
  }
  EXPECT_EQ(frozen_fixes.size(), 1U);
  EXPECT_GT(clean_fixes.size(), 10U);
}

TEST(SensorFaultsTest, TimeAndUnitFaultsChangeTheClockAndTheScale) {
  SensorFaults faults(
      {parse_fault("time_jump:GP0001@10+10,offset_s=-600"), parse_fault("stale_time:GP0001@30+10"),
       parse_fault("wrong_unit:GP0001@50+10")},
      CounterRng(1), "GP0001");
  ShipState seen;
  faults.distort(at(15, 0), seen);
  EXPECT_DOUBLE_EQ(seen.clock_offset_s, -600);
  faults.distort(at(30, 0), seen);
  EXPECT_DOUBLE_EQ(seen.clock_offset_s, 0);
  faults.distort(at(37, 0), seen);
  EXPECT_DOUBLE_EQ(seen.t_s + seen.clock_offset_s, 30);  // the clock stays at the fault start
  ShipState truth = at(55, 0);
  truth.sog_kn = 10;
  truth.depth_m = 20;
  faults.distort(truth, seen);
  EXPECT_NEAR(seen.sog_kn, 18.52, 1e-9);
  EXPECT_NEAR(seen.depth_m, 65.617, 1e-3);
  faults.distort(at(60, 0), seen);
  EXPECT_DOUBLE_EQ(seen.clock_offset_s, 0);
}

TEST(SensorFaultsTest, RangeLengthAndCharacterFaultsBreakWhatStrictCheckingNames) {
  const auto corrupt = [](const std::string& sentence, const char* spec) {
    SensorFaults f({parse_fault(spec)}, CounterRng(1), "GP0001");
    SentenceBatch out;
    f.corrupt(1.0, sentence, out);
    return out.strings().at(0);
  };
  const std::string rmc =
      "$GPRMC,092751.00,A,5321.6802,N,00630.3372,W,0.1,42.0,221125,,,A,S*02\r\n";
  const auto checked = [](const std::string& s) {
    const auto raw = nmea0183::parse_sentence(s, nmea0183::Mode::kStrict);
    if (!raw) return raw.error().code;
    const auto valid = nmea0183::find_sentence_type(raw->formatter())
                           ->validate(raw.value(), nmea0183::Mode::kStrict, nullptr);
    return valid ? ErrorCode::kEmpty : valid.error().code;
  };
  ASSERT_EQ(checked(rmc), ErrorCode::kEmpty) << "the test's own sentence must be valid";
  EXPECT_EQ(checked(corrupt(rmc, "range:GP0001@0+10")), ErrorCode::kFieldOutOfRange);
  const std::string long_one = corrupt(rmc, "overlength:GP0001@0+10");
  EXPECT_GT(long_one.size(), 84U);
  EXPECT_EQ(checked(long_one), ErrorCode::kTooLong);
  EXPECT_EQ(checked(corrupt(rmc, "illegal_char:GP0001@0+10")), ErrorCode::kIllegalCharacter);
  // Network faults are for the replay: the sentence passes untouched.
  EXPECT_EQ(corrupt(rmc, "bad_header:GP0001@0+10"), rmc);
}

TEST(SensorFaultsTest, SentenceLevelFaultsBreakTheSentenceAsNamed) {
  nmea0183::SentenceWriter writer("HEHDT");
  writer.field("274.1").field("T");
  const std::string good = std::move(writer).finish();
  ASSERT_TRUE(nmea0183::parse_sentence(good, nmea0183::Mode::kStrict).has_value());
  const auto corrupt = [&](const char* spec) {
    SensorFaults f({parse_fault(spec)}, CounterRng(1), "HE0001");
    SentenceBatch out;
    f.corrupt(1.0, good, out);
    return out.strings();
  };
  const auto checksum = corrupt("checksum:HE0001@0+10");
  ASSERT_EQ(checksum.size(), 1U);
  EXPECT_EQ(nmea0183::parse_sentence(checksum[0], nmea0183::Mode::kLenient).error().code,
            ErrorCode::kBadChecksum);
  const auto truncated = corrupt("truncate:HE0001@0+10");
  EXPECT_LT(truncated[0].size(), good.size());
  // Cut before its checksum it looks like a sentence sent without one: strict rejects it,
  // lenient (which tolerates missing checksums from old devices) records the violation.
  EXPECT_FALSE(nmea0183::parse_sentence(truncated[0], nmea0183::Mode::kStrict).has_value());
  const auto garbage = corrupt("garbage:HE0001@0+10");
  EXPECT_TRUE(garbage[0].ends_with(good));
  EXPECT_GT(garbage[0].size(), good.size());
  const auto talker = corrupt("talker:HE0001@0+10");
  const auto parsed = nmea0183::parse_sentence(talker[0], nmea0183::Mode::kStrict);
  ASSERT_TRUE(parsed.has_value());  // well formed, only the talker is wrong
  EXPECT_NE(parsed->talker(), "HE");
  EXPECT_EQ(parsed->formatter(), "HDT");
  EXPECT_EQ(corrupt("duplicate:HE0001@0+10"), (std::vector<std::string>{good, good}));
  SensorFaults outside({parse_fault("checksum:HE0001@5+1")}, CounterRng(1), "HE0001");
  SentenceBatch out;
  outside.corrupt(1.0, good, out);
  EXPECT_EQ(out.strings(), std::vector<std::string>{good});
}

}  // namespace
}  // namespace twincert::generators

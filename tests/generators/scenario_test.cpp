#include "twincert/generators/scenario.hpp"

#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "twincert/base/config_error.hpp"

#include "config_error_message.hpp"

namespace twincert::generators {
namespace {

using ::testing::HasSubstr;

const char* const kMinimal = R"({
  "name": "t", "start_utc": "2025-11-22T09:00:00Z", "vessel": "container-feeder",
  "route": [{"lat": 54.0, "lon": 6.0}, {"lat": 54.1, "lon": 6.1}],
  "rpm_order": 80, "sensors": "standard"})";

TEST(ScenarioTest, EveryBuiltinScenarioLoads) {
  const auto all = builtin_scenarios();
  ASSERT_GE(all.size(), 4U);
  for (const auto& b : all) {
    const Scenario s = load_scenario(b.name);
    EXPECT_EQ(s.name, b.name);
    EXPECT_FALSE(s.description.empty()) << b.name;
    EXPECT_GE(s.route.size(), 2U) << b.name;
    EXPECT_FALSE(s.sensors.empty()) << b.name;
  }
}

TEST(ScenarioTest, MinimalScenarioGetsDefaults) {
  const Scenario s = parse_scenario(kMinimal, "min.json");
  EXPECT_EQ(s.start_unix_s, 1763802000);
  EXPECT_EQ(s.vessel.name, "container-feeder");
  EXPECT_EQ(s.sensors.size(), standard_sensor_suite().size());
  EXPECT_DOUBLE_EQ(s.duration_s, 3600.0);
}

TEST(ScenarioTest, ErrorsNameTheFileThePathAndWhatWasExpected) {
  std::string text = kMinimal;
  text.replace(text.find("\"lat\": 54.1"), 11, "\"lat\": \"x\"");
  EXPECT_EQ(config_error([&] { (void)parse_scenario(text, "bad.json"); }),
            "bad.json: /route/1/lat: expected a number, got a string");

  std::string missing = kMinimal;
  missing.replace(missing.find("\"rpm_order\": 80,"), 16, "");
  EXPECT_EQ(config_error([&] { (void)parse_scenario(missing, "m.json"); }),
            "m.json: /: missing required key \"rpm_order\"");

  std::string range = kMinimal;
  range.replace(range.find("\"lat\": 54.0"), 11, "\"lat\": 91");
  EXPECT_THAT(config_error([&] { (void)parse_scenario(range, "r.json"); }),
              HasSubstr("r.json: /route/0/lat: expected a number from -85 to 85, got 91"));
}

TEST(ScenarioTest, RejectsUnknownVesselSensorAndBadJson) {
  std::string vessel = kMinimal;
  vessel.replace(vessel.find("container-feeder"), 16, "titanic");
  EXPECT_THAT(config_error([&] { (void)parse_scenario(vessel, "v.json"); }),
              HasSubstr("v.json: /vessel: unknown vessel class \"titanic\" (built in: "));
  EXPECT_THAT(config_error([&] { (void)parse_scenario("{\"name\": ", "j.json"); }),
              HasSubstr("j.json: not valid JSON"));
  EXPECT_THAT(config_error([&] { (void)load_scenario("no-such-scenario"); }),
              HasSubstr("neither a built-in scenario nor a file"));
  SensorSpec bogus{"sonar", "XX0001", "XX", 1.0, {}, {}};
  EXPECT_THAT(config_error([&] { (void)make_sensor(bogus, CounterRng(1)); }),
              HasSubstr("unknown kind \"sonar\""));
  SensorSpec wrong{"gyro", "HE0001", "HE", 1.0, {"GGA"}, {}};
  EXPECT_THAT(config_error([&] { (void)make_sensor(wrong, CounterRng(1)); }),
              HasSubstr("kind gyro cannot send GGA"));
}

// A misspelt parameter would silently be the default; an impossible one (a negative correlation
// time) would write NaN into the stream.
TEST(ScenarioTest, RejectsUnknownOrImpossibleSensorParameters) {
  const auto with_params = [](const std::string& params) {
    std::string text = kMinimal;
    text.replace(text.find(R"("sensors": "standard")"), 21,
                 R"("sensors": [{"kind": "gnss", "source": "GP0001", "params": )" + params + "}]");
    return text;
  };
  EXPECT_THAT(config_error(
                  [&] { (void)parse_scenario(with_params(R"({"position_sigma": 3})"), "p.json"); }),
              HasSubstr("p.json: /sensors/0/params/position_sigma: not a parameter of a gnss "
                        "sensor (it takes position_sigma_m, position_error_tau_s, "));
  EXPECT_EQ(config_error([&] {
              (void)parse_scenario(with_params(R"({"position_error_tau_s": -5})"), "t.json");
            }),
            "t.json: /sensors/0/params/position_error_tau_s: expected a number from 0.001 to "
            "86400, got -5");
  EXPECT_EQ(config_error([&] {
              (void)parse_scenario(with_params(R"({"position_sigma_m": "2"})"), "s.json");
            }),
            "s.json: /sensors/0/params/position_sigma_m: expected a number, got a string");
  const Scenario ok = parse_scenario(with_params(R"({"position_sigma_m": 5})"), "ok.json");
  EXPECT_DOUBLE_EQ(ok.sensors.at(0).params.at("position_sigma_m"), 5.0);
}

TEST(ScenarioTest, RejectsTwoSensorsWithOneSource) {
  std::string text = kMinimal;
  text.replace(text.find(R"("sensors": "standard")"), 21,
               R"("sensors": [
                   {"kind": "gyro", "source": "HE0001", "talker": "HE", "rate_hz": 10},
                   {"kind": "gnss", "source": "GP0001", "talker": "GP"},
                   {"kind": "rate_of_turn", "source": "HE0001", "talker": "TI"}])");
  EXPECT_EQ(config_error([&] { (void)parse_scenario(text, "s.json"); }),
            "s.json: /sensors/2/source: source HE0001 is already used by sensors[0]");
}

TEST(ScenarioTest, ParsesUtc) {
  EXPECT_EQ(parse_utc("1970-01-01T00:00:00Z", "t"), 0);
  EXPECT_EQ(parse_utc("2000-03-01T12:30:15Z", "t"), 951913815);
  EXPECT_THAT(config_error([] { (void)parse_utc("2025-13-01T00:00:00Z", "x"); }),
              HasSubstr("x: expected UTC"));
}

}  // namespace
}  // namespace twincert::generators

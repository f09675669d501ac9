// The reference twin's model fed whole generated voyages (stream time, in-process), its alerts
// compared with the truth's `expect` records: every expected conclusion raised in time and
// cleared in time, and no alert the truth has no cause for. This is what certifies the
// reference twin as correct before the harness uses it to catch defects.
#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "twincert/generators/bundle.hpp"
#include "twincert/generators/faults.hpp"
#include "twincert/generators/scenario.hpp"

#include "twin.hpp"

namespace twincert::reference_twin {
namespace {

using nlohmann::json;

constexpr double kRaiseWithinS = 15.0;  // timeout (3 s at 1 Hz) + hold, with room
constexpr double kClearWithinS = 15.0;

struct Voyage {
  std::vector<json> expects;
  double start_unix_s = 0;
  double duration_s = 0;
  json alerts;
};

// Generates the scenario (with faults) and replays its stream through a Twin in stream time.
Voyage replay(const std::string& scenario_name, const std::vector<std::string>& faults,
              std::uint64_t seed) {
  generators::Scenario scenario = generators::load_scenario(scenario_name);
  for (const auto& f : faults) generators::add_fault(scenario, generators::parse_fault(f));
  static std::mt19937_64 names(std::random_device{}());
  const auto dir =
      std::filesystem::temp_directory_path() / ("twincert-truth-" + std::to_string(names()));
  generators::BundleOptions options;
  options.out_dir = dir;
  options.seed = seed;
  options.tool = "twin_against_truth_test";
  generators::write_bundle(scenario, options);

  Voyage v;
  std::ifstream truth(dir / "truth.jsonl");
  for (std::string line; std::getline(truth, line);) {
    json r = json::parse(line);
    if (r["kind"] == "header") {
      v.start_unix_s = r["start_unix_s"].get<double>();
      v.duration_s = r["duration_s"].get<double>();
    }
    if (r["kind"] == "expect") v.expects.push_back(std::move(r));
  }
  TwinConfig config;
  config.clock = ClockMode::kStream;
  config.shallow_water_m = scenario.limits.shallow_water_m;
  config.cpa_nm = scenario.limits.cpa_nm;
  config.tcpa_min = scenario.limits.tcpa_min;
  Twin twin(config);
  std::ifstream stream(dir / "stream.nmea", std::ios::binary);
  constexpr double kWall = 1.0e9;  // a fixed wall clock: only stream time moves
  for (std::string line; std::getline(stream, line);) twin.on_line(line, kWall);
  v.alerts = twin.alerts_json(kWall);
  std::filesystem::remove_all(dir);
  return v;
}

std::string subject_of(const json& expect) {
  if (expect["source"] != "ship") return expect["source"].get<std::string>();
  if (expect["condition"] == "close_quarters")
    return "mmsi:" + std::to_string(expect["mmsi"].get<long>());
  return "ship";
}

// Checks alerts against expectations; `late_ok` lists conditions that may be raised late by
// `late_by` seconds (a source alert announced during a blackout reaches the twin after it).
void expect_matches_truth(const Voyage& v, const std::map<std::string, double>& late_by = {}) {
  std::vector<json> alerts;
  for (const auto& a : v.alerts["active"]) alerts.push_back(a);
  for (const auto& a : v.alerts["history"]) alerts.push_back(a);
  std::vector<bool> explained(alerts.size(), false);
  for (const json& e : v.expects) {
    const std::string condition = e["condition"];
    const std::string subject = subject_of(e);
    const double from = e["from_s"].get<double>();
    const double until = e["until_s"].get<double>();
    const double late = late_by.contains(condition) ? late_by.at(condition) : 0.0;
    bool found = false;
    for (std::size_t i = 0; i < alerts.size(); ++i) {
      const json& a = alerts[i];
      if (a["condition"] != condition || a["subject"] != subject) continue;
      explained[i] = true;
      const double raised = a["raised_unix_s"].get<double>() - v.start_unix_s;
      if (raised < from - 1.0 || raised > from + kRaiseWithinS + late) continue;
      found = true;
      if (until < v.duration_s) {
        ASSERT_FALSE(a["cleared_unix_s"].is_null())
            << condition << " " << subject << " never cleared";
        const double cleared = a["cleared_unix_s"].get<double>() - v.start_unix_s;
        EXPECT_GE(cleared, until - 1.0) << condition << " " << subject;
        EXPECT_LE(cleared, until + kClearWithinS) << condition << " " << subject;
      }
    }
    EXPECT_TRUE(found) << "expected " << condition << " about " << subject << " from " << from
                       << " s; alerts: " << json(alerts).dump();
  }
  for (std::size_t i = 0; i < alerts.size(); ++i) {
    EXPECT_TRUE(explained[i]) << "false alarm: " << alerts[i].dump() << " (start "
                              << static_cast<long>(v.start_unix_s) << ")";
  }
}

class EveryScenario : public ::testing::TestWithParam<std::string> {};

TEST_P(EveryScenario, AlertsMatchTheTruth) {
  const Voyage v = replay(GetParam(), {}, 11);
  expect_matches_truth(v, {{"engine_failure", 220.0}});  // blackout-recovery: heard after it
}

INSTANTIATE_TEST_SUITE_P(Builtin, EveryScenario,
                         ::testing::Values("open-sea-transit", "coastal-transit", "heavy-weather",
                                           "shallow-water-approach", "port-approach", "at-anchor",
                                           "close-quarters", "blackout-recovery",
                                           "steering-failure", "engine-failure", "fire-doors-open",
                                           "gnss-outage"),
                         [](const auto& test) {
                           std::string name = test.param;
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

TEST(TwinAgainstTruth, SensorAndSentenceFaultsAreConcludedInTime) {
  const Voyage v = replay(
      "coastal-transit",
      {"dropout:HE0001@300+120", "checksum:GP0001@600+60,probability=0.3", "status:TI0001@900+60",
       "frozen:SD0001@1000+120", "spike:GP0001@1200+1s,north_m=800", "time_jump:GP0001@1300+60",
       "stale_time:FR0001@1500+60", "truncate:WI0001@1700+30", "garbage:RI0001@1800+30",
       "talker:VW0001@1900+30", "range:HS0001@2000+30", "overlength:SD0001@2100+30",
       "illegal_char:TI0001@2200+30", "bias:GP0001@2400+300,north_m=500",
       "wrong_unit:VW0001@2800+60", "duplicate:HE0001@2900+60",
       "noise:HE0001@3000+60,heading_deg=2", "frozen:GP0001@3200+120", "status:FR0001@4000+60"},
      5);
  // Frozen needs 30 s without change to be told from a steady value; stale time, 3 s of drift
  // on a 10 s status period.
  expect_matches_truth(v, {{"input_frozen", 20.0}, {"time_inconsistent", 10.0}});
}

}  // namespace
}  // namespace twincert::reference_twin

#include "twincert/harness/evidence_files.hpp"

#include <filesystem>
#include <fstream>
#include <random>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "twincert/base/config_error.hpp"
#include "twincert/generators/bundle.hpp"
#include "twincert/generators/faults.hpp"
#include "twincert/generators/scenario.hpp"

namespace twincert::harness {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

std::filesystem::path temp(const std::string& name) {
  return std::filesystem::temp_directory_path() / (name + std::to_string(std::random_device{}()));
}

std::string rule_error(const json& j) {
  try {
    rule_from_json(j, "rules.json: rules[0]");
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "no error";
}

TEST(EvidenceFilesTest, TheShippedRuleSetLoadsAndCoversItsRequirements) {
  const auto rules = load_rules(TWINCERT_SOURCE_DIR "/fixtures/rules/vdr-twin.json");
  EXPECT_GE(rules.size(), 20U);
  std::ifstream in(TWINCERT_SOURCE_DIR "/fixtures/requirements/vdr-twin.json");
  const json requirements = json::parse(in);
  std::ifstream rule_file(TWINCERT_SOURCE_DIR "/fixtures/rules/vdr-twin.json");
  const json gaps =  // each with its reason
      json::parse(rule_file).value("not_yet_verified", json::object());
  for (const auto& req : requirements["requirements"]) {
    const std::string id = req["id"];
    if (gaps.contains(id)) {
      EXPECT_FALSE(gaps[id].get<std::string>().empty()) << id;
      continue;
    }
    const bool verified = std::any_of(rules.begin(), rules.end(), [&](const rules::Rule& r) {
      return std::find(r.requirements.begin(), r.requirements.end(), id) != r.requirements.end();
    });
    EXPECT_TRUE(verified) << id << " has no rule";
  }
}

TEST(EvidenceFilesTest, RuleErrorsNameTheRuleAndTheProblem) {
  EXPECT_THAT(rule_error({{"id", "a"}, {"kind", "fast"}}),
              HasSubstr("rules[0] (rule a): unknown kind \"fast\""));
  EXPECT_THAT(rule_error({{"id", "a"}, {"kind", "deadline"}, {"within", 3}}),
              HasSubstr("unknown key \"within\""));
  EXPECT_THAT(rule_error({{"kind", "deadline"}}), HasSubstr("missing \"id\""));
  EXPECT_THAT(rule_error({{"id", "a"}, {"kind", "deadline"}, {"within_s", "10"}}),
              HasSubstr("\"within_s\" has the wrong type"));
  EXPECT_THAT(rule_error({{"id", "a"}, {"kind", "accuracy"}, {"quantity", "speed"}}),
              HasSubstr("needs a \"quantity\" the truth records"));
  EXPECT_THAT(rule_error({{"id", "a"}, {"kind", "heartbeat"}, {"period", "told"}}),
              HasSubstr(R"("period" is "announced" (what each HBT announces) or "fixed")"));
}

TEST(EvidenceFilesTest, RulesReadTheAnnouncedPeriodAndTheEvidenceMinimums) {
  const auto hb = rule_from_json({{"id", "hb"},
                                  {"kind", "heartbeat"},
                                  {"period", "announced"},
                                  {"tolerance_s", 0},
                                  {"tolerance_fraction", 0.1}},
                                 "test");
  EXPECT_TRUE(hb.period_announced);
  EXPECT_EQ(hb.tolerance_fraction, 0.1);
  const auto acc = rule_from_json({{"id", "acc"},
                                   {"kind", "accuracy"},
                                   {"quantity", "lat"},
                                   {"min_values_per_s", 0.5},
                                   {"min_coverage", 0.8}},
                                  "test");
  EXPECT_FALSE(acc.period_announced);
  EXPECT_EQ(acc.min_values_per_s, 0.5);
  EXPECT_EQ(acc.min_coverage, 0.8);
  // A verdict's coverage goes into the journal and comes back.
  const rules::Coverage c{17, 600, 17, 598, 3};
  rules::RuleResult r;
  r.coverage = c;
  EXPECT_EQ(coverage_from_json(to_json(r).at("coverage"), "test"), c);
  EXPECT_EQ(to_json(r).at("coverage").at("fraction"), 17.0 / 598.0);
}

TEST(EvidenceFilesTest, TruthOfABundleHasItsExpectationsAndStateSeries) {
  auto scenario = generators::load_scenario("close-quarters");
  generators::add_fault(scenario, generators::parse_fault("dropout:HE0001@30+20"));
  generators::BundleOptions options;
  options.out_dir = temp("twincert-truth-");
  options.duration_s = 120;
  options.tool = "test";
  generators::write_bundle(scenario, options);
  const rules::Truth truth = load_truth(options.out_dir);
  EXPECT_EQ(truth.duration_s, 120.0);
  ASSERT_FALSE(truth.expectations.empty());
  EXPECT_EQ(truth.expectations[0].condition, "input_lost");
  EXPECT_EQ(truth.expectations[0].subject, "HE0001");
  EXPECT_EQ(truth.state.t_s.size(), 121U);
  EXPECT_EQ(truth.state.values.at("heading_deg").size(), 121U);
  // close-quarters has AIS targets, recorded every 10 s each with a name and an encounter.
  ASSERT_FALSE(truth.targets.empty());
  EXPECT_GT(truth.targets[0].mmsi, 0U);
  EXPECT_FALSE(truth.targets[0].name.empty());
  EXPECT_GT(truth.targets[0].lat, 0.0);
  std::filesystem::remove_all(options.out_dir);
}

TEST(EvidenceFilesTest, FailuresGetTheFramesSentAroundTheirMoment) {
  std::vector<Frame> frames;
  for (int i = 0; i < 100; ++i) {
    Frame f;
    f.at_s = i * 0.5;
    f.line = "$HEHDT," + std::to_string(i) + ".0,T*00";
    frames.push_back(f);
  }
  std::vector<rules::RuleResult> results(2);
  results[0].verdict = rules::Verdict::kFail;
  results[0].evidence.push_back({20.0, "x", "y", {}});
  results[1].verdict = rules::Verdict::kPass;
  results[1].evidence.push_back({20.0, "x", "y", {}});
  attach_frames(results, frames, 4);
  ASSERT_EQ(results[0].evidence[0].frames.size(), 4U);
  EXPECT_EQ(results[0].evidence[0].frames[0], "t=19.000 $HEHDT,38.0,T*00");  // centred on t=20
  EXPECT_EQ(results[0].evidence[0].frames[3], "t=20.500 $HEHDT,41.0,T*00");
  EXPECT_TRUE(results[1].evidence[0].frames.empty());  // a pass needs no context
  const json j = to_json(results[0]);
  EXPECT_EQ(j["evidence"][0]["frames"].size(), 4U);
}

// Acknowledgements read from alert sentences (observe.sentences) survive observations.jsonl.
TEST(EvidenceFilesTest, AnAcknowledgedAlertIsWrittenAndReadBack) {
  const auto path = temp("twincert-ack-");
  rules::Observations o;
  o.alerts.push_back({5.0, "input_lost", "HE0001", rules::AlertChange::kRaised});
  o.alerts.push_back({9.0, "input_lost", "HE0001", rules::AlertChange::kAcknowledged});
  o.alerts.push_back({20.0, "input_lost", "HE0001", rules::AlertChange::kCleared});
  write_observations(path, o);
  const auto back = load_observations(path);
  ASSERT_EQ(back.alerts.size(), 3U);
  EXPECT_EQ(back.alerts[0].change, rules::AlertChange::kRaised);
  EXPECT_EQ(back.alerts[1].change, rules::AlertChange::kAcknowledged);
  EXPECT_EQ(back.alerts[2].change, rules::AlertChange::kCleared);
  std::filesystem::remove(path);
}

TEST(EvidenceFilesTest, ObservationsAreReadAndBadLinesNamed) {
  const auto path = temp("twincert-obs-");
  {
    std::ofstream out(path);
    out << R"({"kind":"alert","t":64,"condition":"input_lost","subject":"HE0001","change":"raised"})"
        << '\n'
        << R"({"kind":"value","t":65,"name":"heading_deg","value":41.5})" << '\n'
        << R"({"kind":"heartbeat","t":60})" << '\n'
        << R"({"kind":"probe","t":61,"answered":false})" << '\n'
        << R"({"kind":"target","t":62,"mmsi":244000001,"lat":54.1,"lon":7.2,"name":"ALPHA",)"
        << R"("cpa_nm":0.4,"tcpa_min":12.5,"encounter_t":63})" << '\n'
        << R"({"kind":"datagram","t":66,"hex":"5564506243000d0a","size":8})" << '\n';
  }
  const auto o = load_observations(path);
  ASSERT_EQ(o.datagrams.size(), 1U);
  EXPECT_EQ(o.datagrams[0].bytes, std::string("UdPbC\0\r\n", 8));
  ASSERT_EQ(o.targets.size(), 1U);
  EXPECT_EQ(o.targets[0].mmsi, 244000001U);
  EXPECT_EQ(o.targets[0].name, "ALPHA");
  EXPECT_EQ(o.targets[0].cpa_nm, 0.4);
  EXPECT_EQ(o.targets[0].encounter_t_s, 63.0);
  // What is written reads back the same.
  const auto copy = temp("twincert-obs-copy-");
  write_observations(copy, o);
  const auto again = load_observations(copy);
  ASSERT_EQ(again.targets.size(), 1U);
  EXPECT_EQ(again.targets[0].tcpa_min, 12.5);
  EXPECT_EQ(again.targets[0].lat, 54.1);
  ASSERT_EQ(again.datagrams.size(), 1U);
  EXPECT_EQ(again.datagrams[0].bytes, o.datagrams[0].bytes);
  std::filesystem::remove(copy);
  EXPECT_EQ(o.alerts.size(), 1U);
  EXPECT_EQ(o.values.at(0).value, 41.5);
  EXPECT_EQ(o.heartbeats_s, std::vector<double>{60});
  EXPECT_FALSE(o.probes.at(0).answered);
  {
    std::ofstream out(path, std::ios::app);
    out << R"({"kind":"alert","t":70,"condition":"x","subject":"y","change":"maybe"})" << '\n';
  }
  try {
    load_observations(path);
    ADD_FAILURE() << "no error";
  } catch (const ConfigError& e) {
    EXPECT_THAT(e.what(), HasSubstr(":7: change is raised, cleared or acknowledged"));
  }
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace twincert::harness

// What shrink_case writes for a candidate: the whole candidate regenerates the case's own
// stream, a reduced one regenerates the truth of what it keeps (faults moved by the head cut,
// only the kept sources in the stream); and what counts as the same failure.
#include "twincert/harness/shrink/shrink_case.hpp"

#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "twincert/harness/evidence_files.hpp"

#include <unistd.h>

namespace twincert::harness::shrink {
namespace {

std::string read(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

// A fresh folder under the test's temporary directory.
std::filesystem::path fresh(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("twincert-shrink-" + std::to_string(::getpid()) + "-" + name);
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

CaseSpec dropout_case() {
  CaseSpec spec;
  spec.id = "open-sea-transit/dropout-HE0001/s3";
  spec.scenario = "open-sea-transit";
  spec.faults = {"dropout:HE0001@120+60"};
  spec.seed = 3;
  spec.duration_s = 600;
  return spec;
}

generators::BundleSummary bundle_of(const CaseSubject& cs, const Candidate& c,
                                    const std::filesystem::path& dir, std::uint64_t seed) {
  std::ofstream(dir / "scenario.json") << scenario_json(cs, c).dump(2);
  CaseSpec spec;
  spec.scenario = (dir / "scenario.json").string();
  spec.seed = seed;
  return write_case_bundle(spec, dir / "bundle", "test");
}

TEST(ShrinkCaseTest, TheWholeCandidateRegeneratesTheCasesOwnStream) {
  const auto dir = fresh("whole");
  // A scenario with random AIS targets, its own faults and the case's.
  CaseSpec spec;
  spec.scenario = "gnss-outage";
  spec.faults = {"dropout:HE0001@120+60"};
  spec.seed = 2;
  spec.duration_s = 900;
  write_case_bundle(spec, dir / "original", "test");
  const CaseSubject cs = case_subject(spec);
  EXPECT_EQ(cs.subject.faults.size(), 3U);
  EXPECT_GT(cs.subject.targets.size(), 0U);  // the scenario's random targets, made explicit
  bundle_of(cs, whole(cs.subject), dir, spec.seed);
  EXPECT_EQ(read(dir / "original" / "stream.nmea"), read(dir / "bundle" / "stream.nmea"));
  const auto a = load_truth(dir / "original");
  const auto b = load_truth(dir / "bundle");
  // The scenario's own bias fault at 1200 s lies beyond this 900 s case: the original truth
  // still carries its expectation (from 1200 s until 900 s, judged by no rule); the shrink
  // writes only what happens within the run.
  std::size_t within = 0;
  for (const auto& e : a.expectations) within += e.from_s < a.duration_s ? 1U : 0U;
  EXPECT_EQ(within, 2U);
  EXPECT_EQ(b.expectations.size(), within);
  EXPECT_EQ(a.health.size(), b.health.size());
  EXPECT_EQ(a.state.t_s, b.state.t_s);
  std::filesystem::remove_all(dir);
}

TEST(ShrinkCaseTest, AReducedCandidateRegeneratesTheTruthOfWhatItKeeps) {
  const auto dir = fresh("reduced");
  const CaseSpec spec = dropout_case();
  const CaseSubject cs = case_subject(spec);
  Candidate c = whole(cs.subject);
  c.from_s = 100;
  c.to_s = 300;
  std::size_t heading = 0;
  for (std::size_t i = 0; i < cs.subject.sensors.size(); ++i) {
    if (cs.subject.sensors[i] == "HE0001") heading = i;
  }
  c.sensors = {heading};
  c.targets.clear();
  c.silenced = {{heading, 250, 260}};
  const auto summary = bundle_of(cs, c, dir, spec.seed);
  ASSERT_EQ(summary.sentences_by_source.size(), 1U);
  EXPECT_EQ(summary.sentences_by_source.begin()->first, "HE0001");
  const auto truth = load_truth(dir / "bundle");
  EXPECT_DOUBLE_EQ(truth.duration_s, 200.0);
  // The fault at 120 s and the silenced window at 250 s, moved by the 100 s head cut: both
  // dropouts, each with the conclusion a correct twin must reach.
  ASSERT_EQ(truth.expectations.size(), 2U);
  EXPECT_EQ(truth.expectations[0].condition, "input_lost");
  EXPECT_EQ(truth.expectations[0].subject, "HE0001");
  EXPECT_NEAR(truth.expectations[0].from_s, 20.0, 1.0);
  EXPECT_NEAR(truth.expectations[1].from_s, 150.0, 1.0);
  EXPECT_TRUE(truth.targets.empty());
  std::filesystem::remove_all(dir);
}

TEST(ShrinkCaseTest, ValueSimplificationsAreOfferedWhereTheyChangeSomething) {
  const CaseSubject cs = case_subject(dropout_case());
  EXPECT_THAT(cs.simplifications, testing::Contains("calm_sea"));
  Candidate c = whole(cs.subject);
  c.simplifications = {0};
  const auto doc = scenario_json(cs, c);
  EXPECT_EQ(doc["environment"]["wind_speed_kn"], 0.0);
  EXPECT_EQ(doc["environment"]["current_drift_kn"], 0.0);
}

TEST(ShrinkCaseTest, ShapesKeepWordsAndDropNumbers) {
  EXPECT_EQ(shape_of("input_lost about HE0001 raised by 130.5 s / never raised"),
            "input_lost about HE0001 raised by # s / never raised");
  EXPECT_EQ(shape_of("raised at -3e-2 s, 12 late"), "raised at # s, # late");
  EXPECT_EQ(shape_of("mmsi:244123456 at t=12"), "mmsi:# at t=#");
}

TEST(ShrinkCaseTest, TheSameFailureIsTheSameRuleWithAnEvidenceShapeInCommon) {
  CaseResult r;
  rules::RuleResult pass;
  pass.rule_id = "heartbeat-period";
  pass.verdict = rules::Verdict::kPass;
  rules::RuleResult fail;
  fail.rule_id = "input-lost-alert";
  fail.verdict = rules::Verdict::kFail;
  fail.evidence.push_back({120, "input_lost about HE0001 raised by 130 s", "never raised", {}});
  r.rules = {pass, fail};
  const auto original = failure_of(r, "");
  ASSERT_TRUE(original.has_value());
  EXPECT_EQ(original->rule_id, "input-lost-alert");
  EXPECT_FALSE(failure_of(r, "heartbeat-period").has_value());

  r.rules[1].evidence[0] = {20, "input_lost about HE0001 raised by 30 s", "never raised", {}};
  EXPECT_TRUE(same_failure(*original, *failure_of(r, "")));
  r.rules[1].evidence[0].observed = "raised at 45 s";  // late, not never
  EXPECT_FALSE(same_failure(*original, *failure_of(r, "")));
  r.rules[1].evidence[0] = {20, "input_lost about GP0001 raised by 30 s", "never raised", {}};
  EXPECT_FALSE(same_failure(*original, *failure_of(r, "")));  // another sensor
}

}  // namespace
}  // namespace twincert::harness::shrink

// Campaigns against real twins on loopback: the reference twin passes and is judged on real
// observations; the journal makes a run resumable; hostile twins (never ready, crashing,
// hanging, answering garbage or gigabytes) each end as an error with a reason, in bounded time,
// and the campaign goes on.
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "twincert/base/config_error.hpp"
#include "twincert/harness/campaign.hpp"

namespace twincert::harness {
namespace {

using ::testing::HasSubstr;
using Clock = std::chrono::steady_clock;

const std::filesystem::path kFixtures = TWINCERT_FIXTURES_DIR;

class CampaignIntegrationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    static std::mt19937_64 names(std::random_device{}());
    dir_ = std::filesystem::temp_directory_path() /
           ("twincert-campaign-it-" + std::to_string(names()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override {
    if (!HasFailure()) std::filesystem::remove_all(dir_);
  }

  std::filesystem::path write(const std::string& name, const std::string& text) const {
    std::ofstream(dir_ / name) << text;
    return dir_ / name;
  }

  // A campaign of `matrix` against `adapter`, with the VDR rules.
  Campaign campaign(const std::string& adapter, const std::string& matrix,
                    double timeout_s = 30) const {
    return load_campaign(write("campaign.json", R"({"schema": "twincert.campaign/1", "id": "it",
        "adapter": ")" + adapter + R"(", "rules": ")" +
                                                    (kFixtures / "rules/vdr-twin.json").string() +
                                                    R"(", "jobs": 2, "case_timeout_s": )" +
                                                    std::to_string(timeout_s) + R"(, "matrix": )" +
                                                    matrix + "}"));
  }

  // A hostile twin adapter: hostile_twin.py MODE on an HTTP port, ready when the port accepts.
  std::string hostile(const std::string& mode) const {
    return write("hostile-" + mode + ".json", R"({"schema": "twincert.adapter/1", "name": "hostile",
        "start": {"command": ["python3", ")" + std::string(TWINCERT_HOSTILE_TWIN) +
                                                  R"(", ")" + mode + R"(", "${port.http}",
                              "${port.alerts}"],
                  "ready": {"port": "127.0.0.1:${port.http}", "timeout_s": 5}, "stop_grace_s": 1},
        "send": "udp://127.0.0.1:${port.input}?format=450",
        "observe": {"nmea": ["udp://127.0.0.1:${port.alerts}"],
                    "http": [{"get": "http://127.0.0.1:${port.http}/state", "every_ms": 50,
                              "values": {"lat": "/lat"}}],
                    "alerts": {"get": "http://127.0.0.1:${port.http}/alerts"},
                    "liveness": {"get": "http://127.0.0.1:${port.http}/ready", "every_ms": 100,
                                 "timeout_ms": 300}},
        "settle": {"get": "http://127.0.0.1:${port.http}/metrics", "pointer": "/lines",
                   "timeout_s": 1}})")
        .string();
  }

  RunOptions options(const std::string& out) const {
    RunOptions o;
    o.out_dir = dir_ / out;
    o.reference_twin = TWINCERT_REFERENCE_TWIN;
    return o;
  }

  std::filesystem::path dir_;
};

const std::string kTwoCases =
    R"([{"scenarios": ["open-sea-transit"], "duration_s": 300,
         "faults": [[], ["dropout:HE0001@60+60"]], "seeds": [1]}])";

TEST_F(CampaignIntegrationTest, TheReferenceTwinPassesAndTheJournalMakesTheRunResumable) {
  const Campaign c = campaign((kFixtures / "adapters/reference-twin.json").string(), kTwoCases);
  std::size_t reported = 0;
  RunOptions o = options("out");
  o.on_case = [&](const CaseResult&, std::size_t, std::size_t) { ++reported; };
  const CampaignRun run = run_campaign(c, o);
  ASSERT_EQ(run.results.size(), 2U);
  EXPECT_EQ(reported, 2U);
  for (const auto& r : run.results) {
    EXPECT_EQ(case_verdict(r), "pass") << r.spec.id << ": " << r.error;
    EXPECT_GT(r.observations, 100U);
    EXPECT_TRUE(std::filesystem::exists(r.dir / "observations.jsonl"));
    EXPECT_TRUE(std::filesystem::exists(r.dir / "bundle/truth.jsonl"));
  }
  // The dropout case was judged on an alert the twin really raised and cleared.
  const auto& dropout = run.results[0];
  ASSERT_EQ(dropout.spec.id, "open-sea-transit/dropout-HE0001/s1");
  const auto lost = std::find_if(dropout.rules.begin(), dropout.rules.end(),
                                 [](const auto& r) { return r.rule_id == "input-lost-alert"; });
  ASSERT_NE(lost, dropout.rules.end());
  EXPECT_EQ(lost->verdict, rules::Verdict::kPass) << lost->message;

  // A torn last line (a kill in the middle of a write) is dropped; finished cases are kept.
  std::ofstream(o.out_dir / "journal.jsonl", std::ios::app) << R"({"id": "open-sea)";
  reported = 0;
  o.resume = true;
  const CampaignRun again = run_campaign(c, o);
  EXPECT_EQ(again.resumed, 2U);
  EXPECT_EQ(reported, 0U);
  ASSERT_EQ(again.results.size(), 2U);
  EXPECT_EQ(again.results[1].spec.id, "open-sea-transit/normal/s1");

  // Another campaign's journal is not resumed.
  const Campaign other = campaign((kFixtures / "adapters/reference-twin.json").string(),
                                  R"([{"scenarios": ["at-anchor"], "duration_s": 120}])");
  EXPECT_THROW(run_campaign(other, o), ConfigError);
}

// The reference adapter, told to reset the twin between cases at `reset_path`.
std::string resetting_adapter(const std::string& reset_path) {
  std::ifstream in(kFixtures / "adapters/reference-twin.json");
  nlohmann::json a = nlohmann::json::parse(in);
  a["between_cases"] = "reset";
  a["reset"] = "http://127.0.0.1:${port.http}" + reset_path;
  return a.dump();
}

TEST_F(CampaignIntegrationTest, AResettingAdapterKeepsOneTwinPerWorkerAcrossCases) {
  const Campaign c = campaign(write("reset.json", resetting_adapter("/reset")).string(), kTwoCases);
  RunOptions o = options("reset");
  o.jobs = 1;
  const CampaignRun run = run_campaign(c, o);
  ASSERT_EQ(run.results.size(), 2U);
  for (const auto& r : run.results) EXPECT_EQ(case_verdict(r), "pass") << r.spec.id << r.error;
  // Case order is by id; one worker ran them in that order, so the second was a reset.
  EXPECT_EQ(run.results[0].twin_start, "started");
  EXPECT_EQ(run.results[0].twin_end, "kept for the next case");
  EXPECT_EQ(run.results[1].twin_start, "reset");
  EXPECT_FALSE(std::filesystem::exists(run.results[1].dir / "twin.log"));

  // A reset the twin refuses: the next case gets a fresh twin and says why.
  const Campaign refused =
      campaign(write("refused.json", resetting_adapter("/no-such-reset")).string(), kTwoCases);
  RunOptions one = options("refused");
  one.jobs = 1;
  const CampaignRun again = run_campaign(refused, one);
  ASSERT_EQ(again.results.size(), 2U);
  EXPECT_THAT(again.results[1].twin_start, HasSubstr("started (the reset was refused: HTTP 40"));
  EXPECT_EQ(case_verdict(again.results[1]), "pass") << again.results[1].error;
}

TEST_F(CampaignIntegrationTest, AMutantOfTheTwinFailsOnTheRuleMeantForIt) {
  const Campaign c = campaign((kFixtures / "adapters/reference-twin.json").string(), kTwoCases);
  RunOptions o = options("late");
  o.mutant = "late-alerts";
  const CampaignRun run = run_campaign(c, o);
  const auto& dropout = run.results.at(0);
  EXPECT_EQ(case_verdict(dropout), "fail");
  const auto lost = std::find_if(dropout.rules.begin(), dropout.rules.end(),
                                 [](const auto& r) { return r.rule_id == "input-lost-alert"; });
  ASSERT_NE(lost, dropout.rules.end());
  EXPECT_EQ(lost->verdict, rules::Verdict::kFail);
  EXPECT_THAT(lost->evidence.at(0).expected, HasSubstr("input_lost about HE0001 raised by 70 s"));
}

TEST_F(CampaignIntegrationTest, ATwinThatCrashesMidCaseIsAnErrorAndFailsLiveness) {
  const Campaign c = campaign(
      (kFixtures / "adapters/reference-twin.json").string(),
      R"([{"scenarios": ["open-sea-transit"], "duration_s": 300, "faults": [["overlength:GP0001@60+30"]]}])");
  RunOptions o = options("crash");
  o.mutant = "crash-on-overlength";
  const auto r = run_campaign(c, o).results.at(0);
  EXPECT_EQ(case_verdict(r), "error");
  EXPECT_THAT(r.error, HasSubstr("the twin ended during the case: killed by signal 6"));
  const auto live = std::find_if(r.rules.begin(), r.rules.end(),
                                 [](const auto& x) { return x.rule_id == "api-liveness"; });
  ASSERT_NE(live, r.rules.end());
  EXPECT_EQ(live->verdict, rules::Verdict::kFail);
}

TEST_F(CampaignIntegrationTest, ATwinThatNeverBecomesReadyIsAnErrorAfterItsReadyTimeout) {
  const auto adapter = write("never.json", R"({"schema": "twincert.adapter/1", "name": "never",
      "start": {"command": ["/bin/sh", "-c", "sleep 30"],
                "ready": {"http": "http://127.0.0.1:${port.http}/ready", "timeout_s": 1},
                "stop_grace_s": 1},
      "send": "udp://127.0.0.1:${port.input}"})");
  const Campaign c =
      campaign(adapter.string(), R"([{"scenarios": ["at-anchor"], "duration_s": 60}])");
  const auto started = Clock::now();
  const auto r = run_campaign(c, options("never")).results.at(0);
  EXPECT_LT(Clock::now() - started, std::chrono::seconds(10));
  EXPECT_EQ(case_verdict(r), "error");
  EXPECT_THAT(r.error, HasSubstr("never became ready: not ready within 1000 ms"));
}

TEST_F(CampaignIntegrationTest, HostileTwinsEachEndAsAnErrorOrFailureWithAReason) {
  struct Expect {
    std::string mode;
    std::string verdict;
    std::string says;  // in the error, or the failing liveness rule's evidence
  };
  for (const Expect& e :
       {Expect{"garbage", "error", "the answer is not JSON"},
        // Cut off at 4 MiB; a poll that meets the 64 MiB answer while the twin is still
        // sending an earlier one reads a broken message instead (timing; an error either way).
        Expect{"huge", "error", "(answer over 4 MiB|partial message)"},
        Expect{"hang", "fail", "no answer"},
        // {} everywhere: no pointer of the adapter finds anything in any answer, which is what
        // an adapter pointing at the wrong keys looks like too. The rules resting on the alerts
        // are errors naming the adapter key; nothing the twin answered is judged.
        Expect{"silent", "error",
               R"(the adapter, not the twin: observe\.alerts\.lists\[0\]: "/active" held a list )"
               R"(in none of [0-9]+ answers \(no such key)"},
        Expect{"reset", "fail", "no answer"}, Expect{"halfopen", "fail", "no answer"},
        // {} for the state: the adapter's pointers find nothing there, an error of the
        // adapter's for those rules; the garbage it floods fails the syntax rule all the same.
        Expect{"flood", "error", "sentences emitted are strict IEC 61162-1"}}) {
    SCOPED_TRACE(e.mode);
    const Campaign c =
        campaign(hostile(e.mode), R"([{"scenarios": ["at-anchor"], "duration_s": 120}])", 20);
    const auto started = Clock::now();
    const auto r = run_campaign(c, options(e.mode)).results.at(0);
    // 20 s case timeout, stop grace and a busy machine: anything near a minute would be a hang.
    EXPECT_LT(Clock::now() - started, std::chrono::seconds(45));
    EXPECT_EQ(case_verdict(r), e.verdict)
        << r.error << (r.rules.empty() ? "" : r.rules.back().message);
    std::string said = r.error;
    for (const auto& rule : r.rules) {
      said += "\n" + rule.message;
      for (const auto& ev : rule.evidence) said += "\n" + ev.observed;
    }
    EXPECT_THAT(said, ::testing::ContainsRegex(e.says));
  }
}

// An adapter whose pointers find nothing in the twin's answers (a key the twin does not have, an
// object where a list is expected) is the adapter's mistake: the verdicts resting on those
// mappings are errors naming the adapter key, never failures of the twin, and the case is not
// "the twin answered wrongly". Verdicts resting on mappings that are right stand.
TEST_F(CampaignIntegrationTest, AMappingThatFindsNothingBlamesTheAdapterNotTheTwin) {
  nlohmann::json adapter =
      nlohmann::json::parse(std::ifstream(kFixtures / "adapters/reference-twin.json"));
  auto& values = adapter["observe"]["http"][0]["values"];
  values["sog_kn"]["value"] = "/speed_over_ground";  // the twin calls it /sog_kn
  adapter["observe"]["targets"]["list"] = "";        // the whole answer: an object, not a list
  // The twin lists its alerts at /active and /history: /alarms is in no answer. /history is
  // often empty, and an empty list is no mistake of anyone's.
  adapter["observe"]["alerts"]["lists"] = {"/alarms", "/history"};
  adapter.erase("mutants");
  const auto path = write("misread.json", adapter.dump());
  const Campaign c = campaign(path.string(), R"([{"scenarios": ["close-quarters"],
                                                  "duration_s": 120, "seeds": [1]}])");
  const auto r = run_campaign(c, options("misread")).results.at(0);
  EXPECT_THAT(r.error, ::testing::Not(HasSubstr("answered wrongly")));
  const auto verdict = [&](const std::string& id) {
    const auto it = std::find_if(r.rules.begin(), r.rules.end(),
                                 [&](const auto& x) { return x.rule_id == id; });
    return it == r.rules.end() ? rules::RuleResult{} : *it;
  };
  const auto sog = verdict("sog-accuracy");
  EXPECT_EQ(sog.verdict, rules::Verdict::kError) << sog.message;
  EXPECT_THAT(sog.message, HasSubstr("the adapter, not the twin: "
                                     "observe.http[0].values.sog_kn.value: "
                                     "\"/speed_over_ground\" held a number in none of"));
  const auto targets = verdict("ais-targets");
  EXPECT_EQ(targets.verdict, rules::Verdict::kError) << targets.message;
  EXPECT_THAT(targets.message, HasSubstr("observe.targets.list:"));
  EXPECT_THAT(targets.message, HasSubstr("an object with keys"));
  // The alert rules rest on a list the adapter never finds: errors, not failures, though the
  // twin's close-quarters alert was never observed.
  for (const char* id : {"close-quarters-alert", "no-false-alarm", "input-lost-alert"}) {
    const auto alert = verdict(id);
    EXPECT_EQ(alert.verdict, rules::Verdict::kError) << id << ": " << alert.message;
    EXPECT_THAT(alert.message, HasSubstr("the adapter, not the twin: observe.alerts.lists[0]: "
                                         "\"/alarms\" held a list in none of"));
  }
  // Mapped right, judged as ever.
  EXPECT_EQ(verdict("position-accuracy").verdict, rules::Verdict::kPass)
      << verdict("position-accuracy").message;
  const auto blamed = std::count_if(r.problems.begin(), r.problems.end(),
                                    [](const auto& p) { return !p.adapter_key.empty(); });
  EXPECT_EQ(blamed, 3);
}

}  // namespace
}  // namespace twincert::harness

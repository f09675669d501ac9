// A twin unlike the reference twin (si_twin/twin.py: SI units, a position as one object, depth
// from two values, AIS targets keyed by URN, alerts in its own words in lists within lists) is
// certified by its adapter alone (issue 19, items 1, 2, 5 and 7): its campaign passes. The same
// twin with the maps taken out of the adapter fails the rules the maps serve, and what the maps
// cannot place is said, not dropped.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "twincert/harness/adapter.hpp"
#include "twincert/harness/campaign.hpp"
#include "twincert/harness/evidence_files.hpp"

namespace twincert::harness {
namespace {

using ::testing::HasSubstr;

const std::filesystem::path kKit = TWINCERT_SI_TWIN_DIR;

class SiTwinTest : public ::testing::Test {
 protected:
  void SetUp() override {
    static std::mt19937_64 names(std::random_device{}());
    dir_ = std::filesystem::temp_directory_path() / ("twincert-si-twin-" + std::to_string(names()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override {
    if (!HasFailure()) std::filesystem::remove_all(dir_);
  }

  CampaignRun run(const std::filesystem::path& campaign, const std::string& out) const {
    RunOptions o;
    o.out_dir = dir_ / out;
    return run_campaign(load_campaign(campaign), o);
  }

  static const rules::RuleResult& rule(const CaseResult& r, const std::string& id) {
    static const rules::RuleResult none;
    const auto it = std::find_if(r.rules.begin(), r.rules.end(),
                                 [&](const auto& x) { return x.rule_id == id; });
    return it == r.rules.end() ? none : *it;
  }

  static const CaseResult& case_of(const CampaignRun& run, const std::string& scenario) {
    const auto it = std::find_if(run.results.begin(), run.results.end(),
                                 [&](const CaseResult& r) { return r.spec.scenario == scenario; });
    EXPECT_NE(it, run.results.end()) << scenario;
    return *it;
  }

  std::filesystem::path dir_;
};

TEST_F(SiTwinTest, ItsAdapterAloneCertifiesIt) {
  const CampaignRun r = run(kKit / "campaign.json", "mapped");
  ASSERT_EQ(r.results.size(), 2U);
  for (const CaseResult& c : r.results) {
    SCOPED_TRACE(c.spec.id);
    EXPECT_EQ(case_verdict(c), "pass") << c.error;
    for (const auto& x : c.rules) {
      EXPECT_NE(x.verdict, rules::Verdict::kFail) << x.rule_id << ": " << x.message;
      EXPECT_NE(x.verdict, rules::Verdict::kError) << x.rule_id << ": " << x.message;
    }
  }
  const CaseResult& normal = case_of(r, "coastal-transit");
  for (const char* id : {"position-accuracy", "sog-accuracy", "cog-accuracy", "heading-accuracy",
                         "depth-accuracy", "ais-targets"}) {
    EXPECT_EQ(rule(normal, id).verdict, rules::Verdict::kPass)
        << id << ": " << rule(normal, id).message;
  }
  EXPECT_THAT(rule(normal, "sog-accuracy").message,
              HasSubstr("; read in m/s (observe.http[0].values.sog_kn)"));
  // The own ship's entry has no MMSI in its key: skipped, and said so.
  EXPECT_THAT(rule(normal, "ais-targets").message,
              HasSubstr("observe.targets.list.key: member names"));
  const CaseResult& lost = case_of(r, "open-sea-transit");
  EXPECT_EQ(rule(lost, "input-lost-alert").verdict, rules::Verdict::kPass)
      << rule(lost, "input-lost-alert").message;
  EXPECT_EQ(rule(lost, "input-lost-recovery").verdict, rules::Verdict::kPass);
  // The gyro and the GNSS went silent together: one alert of the twin's about both.
  const auto o = load_observations(lost.dir / "observations.jsonl");
  double gyro = -1.0;
  double gnss = -2.0;
  for (const auto& a : o.alerts) {
    if (a.change != rules::AlertChange::kRaised || a.condition != "input_lost") continue;
    if (a.subject == "HE0001") gyro = a.t_s;
    if (a.subject == "GP0001") gnss = a.t_s;
  }
  EXPECT_EQ(gyro, gnss);
  EXPECT_GT(gyro, 60.0);
}

TEST_F(SiTwinTest, WithoutTheMapsItFailsTheRulesTheMapsServe) {
  nlohmann::json adapter = nlohmann::json::parse(std::ifstream(kKit / "adapter.json"));
  // The adapter lives elsewhere now: its twin is where the kit is.
  adapter["start"]["command"][1] = (kKit / "twin.py").string();
  for (auto& [name, value] : adapter["observe"]["http"][0]["values"].items()) value.erase("unit");
  auto& subjects = adapter["observe"]["alerts"]["vocabulary"]["subject"];
  subjects.erase(subjects.begin());             // the gyro's word is no longer mapped
  adapter["observe"]["targets"].erase("list");  // the default: a list at /targets
  adapter["observe"]["targets"].erase("mmsi");
  std::ofstream(dir_ / "adapter.json") << adapter.dump();
  nlohmann::json campaign = nlohmann::json::parse(std::ifstream(kKit / "campaign.json"));
  campaign["adapter"] = (dir_ / "adapter.json").string();
  campaign["rules"] = (kKit / "rules.json").string();
  std::ofstream(dir_ / "campaign.json") << campaign.dump();

  const CampaignRun r = run(dir_ / "campaign.json", "unmapped");
  ASSERT_EQ(r.results.size(), 2U);
  const CaseResult& normal = case_of(r, "coastal-transit");
  // Metres per second read as knots, radians as degrees.
  for (const char* id : {"sog-accuracy", "cog-accuracy", "heading-accuracy"}) {
    EXPECT_EQ(rule(normal, id).verdict, rules::Verdict::kFail)
        << id << ": " << rule(normal, id).message;
  }
  // Degrees and metres were right without a unit.
  EXPECT_EQ(rule(normal, "position-accuracy").verdict, rules::Verdict::kPass);
  EXPECT_EQ(rule(normal, "depth-accuracy").verdict, rules::Verdict::kPass);
  // No list at /targets in any answer: the adapter's mistake, not the twin's.
  EXPECT_EQ(rule(normal, "ais-targets").verdict, rules::Verdict::kError);
  EXPECT_THAT(rule(normal, "ais-targets").message,
              HasSubstr("the adapter, not the twin: observe.targets.list: \"/targets\" held a list "
                        "in none of"));

  const CaseResult& lost = case_of(r, "open-sea-transit");
  const auto& alert = rule(lost, "input-lost-alert");
  EXPECT_EQ(alert.verdict, rules::Verdict::kFail) << alert.message;
  EXPECT_THAT(alert.message, HasSubstr("observe.alerts.vocabulary.subject: no entry maps the "
                                       "twin's word \"gyro\" (kept as it is)"));
  EXPECT_EQ(rule(lost, "no-false-alarm").verdict, rules::Verdict::kFail);
  const auto unmapped =
      std::count_if(lost.problems.begin(), lost.problems.end(), [](const auto& p) {
        return p.what.find("\"gyro\"") != std::string::npos && p.affects == "alerts";
      });
  EXPECT_EQ(unmapped, 1);
}

// Pointers into the alerts that find nothing in any answer — an inner list of the nested table,
// the condition of every alert listed — are the adapter's mistake: the alert rules are errors
// naming those keys, never failures of the twin, though no alert was observed at all.
TEST_F(SiTwinTest, AlertPointersThatFindNothingBlameTheAdapter) {
  nlohmann::json adapter = nlohmann::json::parse(std::ifstream(kKit / "adapter.json"));
  adapter["start"]["command"][1] = (kKit / "twin.py").string();
  adapter["observe"]["alerts"]["lists"][0]["each"]["at"] = "/entries";  // the twin says /items
  adapter["observe"]["alerts"]["condition"] = "/kind";                  // the twin says /code
  std::ofstream(dir_ / "adapter.json") << adapter.dump();
  nlohmann::json campaign = nlohmann::json::parse(std::ifstream(kKit / "campaign.json"));
  campaign["adapter"] = (dir_ / "adapter.json").string();
  campaign["rules"] = (kKit / "rules.json").string();
  campaign["matrix"].erase(0);  // the sensors lost: alerts listed in both tables
  std::ofstream(dir_ / "campaign.json") << campaign.dump();

  const CampaignRun r = run(dir_ / "campaign.json", "misread");
  ASSERT_EQ(r.results.size(), 1U);
  const CaseResult& lost = r.results.front();
  EXPECT_EQ(lost.error.find("answered wrongly"), std::string::npos) << lost.error;
  for (const char* id : {"input-lost-alert", "input-lost-recovery", "no-false-alarm"}) {
    const auto& x = rule(lost, id);
    EXPECT_EQ(x.verdict, rules::Verdict::kError) << id << ": " << x.message;
    EXPECT_THAT(x.message, HasSubstr("the adapter, not the twin: observe.alerts."));
  }
  std::string blamed;
  for (const auto& p : lost.problems) {
    if (!p.adapter_key.empty()) blamed += p.what + "\n";
  }
  EXPECT_THAT(blamed, HasSubstr("observe.alerts.condition: \"/kind\" held a text in none of "));
  EXPECT_THAT(blamed, HasSubstr(" alerts listed (no such key in "));
  EXPECT_THAT(blamed, HasSubstr("observe.alerts.lists[0].each: \"/entries\" held a list in none "
                                "of "));
  EXPECT_THAT(blamed, HasSubstr(" entries of observe.alerts.lists[0] (no such key in "));
}

// The same twin observed through the stream it pushes instead of polls: Signal K deltas over a
// WebSocket (after a subscribe message) or as server-sent events, each value mapped by its path.
class SiTwinStreamTest : public SiTwinTest, public ::testing::WithParamInterface<const char*> {
 protected:
  // The kit's adapter observing the stream instead of polling /self (depth stays polled), and
  // its campaign's normal case; with `drop_after` the twin drops a subscriber after that many
  // deltas.
  CaseResult run_streamed(const std::string& transport, int drop_after = 0) {
    nlohmann::json adapter = nlohmann::json::parse(std::ifstream(kKit / "adapter.json"));
    adapter["start"]["command"][1] = (kKit / "twin.py").string();
    if (drop_after > 0) adapter["start"]["command"].push_back(std::to_string(drop_after));
    nlohmann::json& http = adapter["observe"]["http"][0]["values"];
    for (const char* polled : {"lat", "lon", "sog_kn", "cog_deg", "heading_deg"}) {
      http.erase(polled);
    }
    nlohmann::json stream = {
        {"connect", transport == "websocket" ? "ws://127.0.0.1:${port.http}/signalk/v1/stream"
                                             : "http://127.0.0.1:${port.http}/signalk/v1/events"},
        {"deltas", true},
        {"values",
         {{"lat", {{"path", "navigation.position"}, {"value", "/latitude"}}},
          {"lon", {{"path", "navigation.position"}, {"value", "/longitude"}}},
          {"sog_kn", {{"path", "navigation.speedOverGround"}, {"unit", "m/s"}}},
          {"cog_deg", {{"path", "navigation.courseOverGroundTrue"}, {"unit", "rad"}}},
          {"heading_deg", {{"path", "navigation.headingTrue"}, {"unit", "rad"}}}}}};
    if (transport == "websocket") {
      stream["send"] = R"({"context":"vessels.self","subscribe":[{"path":"*"}]})";
    }
    adapter["observe"]["streams"] = nlohmann::json::array({stream});
    std::ofstream(dir_ / "adapter.json") << adapter.dump();
    nlohmann::json campaign = nlohmann::json::parse(std::ifstream(kKit / "campaign.json"));
    campaign["adapter"] = (dir_ / "adapter.json").string();
    campaign["rules"] = (kKit / "rules.json").string();
    campaign["matrix"].erase(1);  // the normal case
    std::ofstream(dir_ / "campaign.json") << campaign.dump();
    const CampaignRun r = run(dir_ / "campaign.json", transport);
    EXPECT_EQ(r.results.size(), 1U);
    return r.results.front();
  }
};

TEST_P(SiTwinStreamTest, DeltasOfItsStreamCertifyItToo) {
  const CaseResult normal = run_streamed(GetParam());
  for (const char* id : {"position-accuracy", "sog-accuracy", "cog-accuracy", "heading-accuracy",
                         "depth-accuracy"}) {
    EXPECT_EQ(rule(normal, id).verdict, rules::Verdict::kPass)
        << id << ": " << rule(normal, id).message;
  }
  EXPECT_THAT(rule(normal, "sog-accuracy").message,
              HasSubstr("; read in m/s (observe.streams[0].values.sog_kn)"));
  for (const auto& p : normal.problems) {
    EXPECT_EQ(p.what.find("the stream"), std::string::npos) << p.what;
  }
}

// A twin that drops its WebSocket subscribers: the observer reconnects and says so, and what it
// missed in the gaps makes the accuracy verdicts inconclusive, never a pass on part of the voyage.
TEST_F(SiTwinStreamTest, AStreamThatBreaksIsReconnectedAndItsGapsCounted) {
  const CaseResult normal = run_streamed("websocket", 500);
  const auto said = [&](const std::string& text) {
    return std::any_of(normal.problems.begin(), normal.problems.end(),
                       [&](const auto& p) { return p.what.find(text) != std::string::npos; });
  };
  EXPECT_TRUE(said("the stream broke")) << "the twin dropped its subscriber unseen";
  EXPECT_TRUE(said("(gap 1), reconnected")) << "no reconnection said";
  for (const char* id : {"position-accuracy", "sog-accuracy", "heading-accuracy"}) {
    EXPECT_NE(rule(normal, id).verdict, rules::Verdict::kFail) << rule(normal, id).message;
  }
}

INSTANTIATE_TEST_SUITE_P(Transports, SiTwinStreamTest,
                         ::testing::Values("websocket", "server-sent-events"));

// The same twin with its alerts only on the wire (--alr): ALR sentences and HBT heartbeats over
// UDP, its heading and speed also as HDT and VTG (km/h). adapter-alr.json reads the alerts, the
// heartbeats and those two values from the sentences (issue 19, items 3 and 10).
TEST_F(SiTwinTest, ItsAlertsOnlyAsAlrSentencesAreCertifiedByConfigurationAlone) {
  const CampaignRun r = run(kKit / "campaign-alr.json", "alr");
  ASSERT_EQ(r.results.size(), 2U);
  for (const CaseResult& c : r.results) {
    SCOPED_TRACE(c.spec.id);
    EXPECT_EQ(case_verdict(c), "pass") << c.error;
    for (const auto& x : c.rules) {
      EXPECT_NE(x.verdict, rules::Verdict::kFail) << x.rule_id << ": " << x.message;
      EXPECT_NE(x.verdict, rules::Verdict::kError) << x.rule_id << ": " << x.message;
    }
  }
  const CaseResult& normal = case_of(r, "coastal-transit");
  for (const char* id : {"sog-accuracy", "heading-accuracy", "heartbeat"}) {
    EXPECT_EQ(rule(normal, id).verdict, rules::Verdict::kPass)
        << id << ": " << rule(normal, id).message;
  }
  EXPECT_THAT(rule(normal, "sog-accuracy").message,
              HasSubstr("; read in km/h (observe.sentences.values.sog_kn)"));
  EXPECT_THAT(rule(normal, "heartbeat").message, HasSubstr("within the announced period"));
  const CaseResult& lost = case_of(r, "open-sea-transit");
  EXPECT_EQ(rule(lost, "input-lost-alert").verdict, rules::Verdict::kPass)
      << rule(lost, "input-lost-alert").message;
  EXPECT_EQ(rule(lost, "input-lost-recovery").verdict, rules::Verdict::kPass)
      << rule(lost, "input-lost-recovery").message;
  // Its API says nothing of alerts: every one observed came from an ALR.
  const auto o = load_observations(lost.dir / "observations.jsonl");
  std::set<std::string> raised;
  for (const auto& a : o.alerts) {
    if (a.change == rules::AlertChange::kRaised) raised.insert(a.condition + " " + a.subject);
  }
  EXPECT_EQ(raised,
            (std::set<std::string>{"input_lost GP0001", "input_lost HE0001", "input_lost SD0001"}));
}

}  // namespace
}  // namespace twincert::harness

// The reference twin's alerts read from the ALF sentences it emits (observe.sentences) instead
// of its HTTP API: the same alerts, in the truth's words by configuration alone, and the alert
// rules judge them alike (issue 19, item 3).
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "twincert/harness/campaign.hpp"
#include "twincert/harness/evidence_files.hpp"

namespace twincert::harness {
namespace {

const std::filesystem::path kFixtures = TWINCERT_FIXTURES_DIR;

std::set<std::string> raised(const CaseResult& c) {
  std::set<std::string> out;
  for (const auto& a : load_observations(c.dir / "observations.jsonl").alerts) {
    if (a.change == rules::AlertChange::kRaised) out.insert(a.condition + " " + a.subject);
  }
  return out;
}

const rules::RuleResult& rule(const CaseResult& r, const std::string& id) {
  static const rules::RuleResult none;
  const auto it =
      std::find_if(r.rules.begin(), r.rules.end(), [&](const auto& x) { return x.rule_id == id; });
  return it == r.rules.end() ? none : *it;
}

TEST(ReferenceTwinAlfTest, ItsAlertsReadFromItsAlfSentencesAreThoseOfItsApi) {
  static std::mt19937_64 names(std::random_device{}());
  const auto dir =
      std::filesystem::temp_directory_path() / ("twincert-alf-" + std::to_string(names()));
  std::filesystem::create_directories(dir);
  nlohmann::json adapter =
      nlohmann::json::parse(std::ifstream(kFixtures / "adapters" / "reference-twin.json"));
  adapter.erase("mutants");
  nlohmann::json wire = adapter;
  wire["observe"].erase("alerts");
  // The titles of its alert book (fixtures/reference_twin/src/alert_book.cpp) in the truth's
  // words, and its descriptions' subjects.
  nlohmann::json conditions = nlohmann::json::array();
  for (const auto& [title, word] :
       std::map<std::string, std::string>{{"INPUT LOST", "input_lost"},
                                          {"INPUT INVALID", "input_invalid"},
                                          {"INPUT FROZEN", "input_frozen"},
                                          {"POSITION JUMP", "position_jump"},
                                          {"TIME MISMATCH", "time_inconsistent"},
                                          {"SHALLOW WATER", "shallow_water"},
                                          {"CLOSE QUARTERS", "close_quarters"},
                                          {"FIRE", "fire"},
                                          {"DOOR OPEN AT SEA", "door_open_at_sea"},
                                          {"WATER INGRESS", "water_ingress"},
                                          {"ENGINE FAILURE", "engine_failure"},
                                          {"STEERING FAILURE", "steering_failure"},
                                          {"BLACKOUT", "blackout"}}) {
    conditions.push_back({{"exact", title}, {"to", word}});
  }
  wire["observe"]["sentences"] = {
      {"alerts",
       {{"from", {"ALF"}},
        {"condition", "title"},
        {"subject", "description"},
        {"vocabulary",
         {{"condition", conditions},
          {"subject", nlohmann::json::parse(R"j([{"regex": "SOURCE (.+)", "to": "$1"},
                                                {"regex": "TARGET (.+)", "to": "mmsi:$1"},
                                                {"exact": "OWN SHIP", "to": "ship"}])j")}}}}}};
  std::ofstream(dir / "api.json") << adapter.dump();
  std::ofstream(dir / "wire.json") << wire.dump();
  std::map<std::string, CaseResult> runs;
  for (const char* how : {"api", "wire"}) {
    const nlohmann::json campaign = {
        {"schema", "twincert.campaign/1"},
        {"id", std::string("alf-") + how},
        {"adapter", (dir / (std::string(how) + ".json")).string()},
        {"rules", (kFixtures / "rules" / "vdr-twin.json").string()},
        {"matrix",
         {{{"scenarios", {"open-sea-transit"}},
           {"duration_s", 200},
           {"seeds", {3}},
           {"faults", nlohmann::json::array({nlohmann::json::array(
                          {"dropout:HE0001@60+40", "dropout:GP0001@120+30"})})}}}}};
    std::ofstream(dir / (std::string(how) + "-campaign.json")) << campaign.dump();
    RunOptions o;
    o.out_dir = dir / how;
    o.reference_twin = TWINCERT_REFERENCE_TWIN;
    const CampaignRun r =
        run_campaign(load_campaign(dir / (std::string(how) + "-campaign.json")), o);
    ASSERT_EQ(r.results.size(), 1U);
    runs[how] = r.results.front();
  }
  EXPECT_EQ(raised(runs["wire"]), raised(runs["api"]));
  EXPECT_TRUE(raised(runs["wire"]).contains("input_lost HE0001"));
  EXPECT_TRUE(raised(runs["wire"]).contains("input_lost GP0001"));
  for (const char* id : {"input-lost-alert", "input-lost-recovery", "no-false-alarm"}) {
    EXPECT_EQ(rule(runs["wire"], id).verdict, rules::Verdict::kPass)
        << id << ": " << rule(runs["wire"], id).message;
    EXPECT_EQ(rule(runs["wire"], id).verdict, rule(runs["api"], id).verdict) << id;
  }
  if (!::testing::Test::HasFailure()) std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace twincert::harness

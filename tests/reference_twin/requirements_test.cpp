// fixtures/requirements/vdr-twin.json: well formed, and every conclusion that the generators'
// truth can demand of a twin, and every alert the reference twin raises, is covered by a
// requirement — so the harness can trace each verdict to a requirement.
#include <fstream>
#include <set>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "twincert/generators/events.hpp"
#include "twincert/generators/faults.hpp"

#include "alert_book.hpp"

namespace twincert::reference_twin {
namespace {

using nlohmann::json;

json load() {
  std::ifstream in(TWINCERT_SOURCE_DIR "/fixtures/requirements/vdr-twin.json");
  return json::parse(in);
}

std::set<std::string> covered_conditions(const json& doc) {
  std::set<std::string> out;
  for (const auto& r : doc["requirements"]) {
    if (r["covers"].contains("conditions")) {
      for (const auto& c : r["covers"]["conditions"]) out.insert(c.get<std::string>());
    }
  }
  return out;
}

TEST(Requirements, AreWellFormed) {
  const json doc = load();
  EXPECT_EQ(doc["schema"], "twincert.requirements/1");
  const std::set<std::string> rule_kinds = {"syntax",   "deadline",  "no_false_alarm",
                                            "accuracy", "heartbeat", "recovery",
                                            "liveness", "resources", "targets"};
  std::set<std::string> ids;
  ASSERT_GE(doc["requirements"].size(), 20U);
  for (const auto& r : doc["requirements"]) {
    const std::string id = r["id"];
    EXPECT_TRUE(ids.insert(id).second) << "duplicate id " << id;
    EXPECT_EQ(id.rfind("VDR-TWIN-", 0), 0U) << id;
    EXPECT_GT(r["text"].get<std::string>().size(), 40U) << id;
    EXPECT_FALSE(r["rationale"].get<std::string>().empty()) << id;
    EXPECT_FALSE(r["source"]["standard"].get<std::string>().empty()) << id;
    ASSERT_FALSE(r["verification"]["rule_kinds"].empty()) << id;
    for (const auto& k : r["verification"]["rule_kinds"]) {
      EXPECT_TRUE(rule_kinds.contains(k.get<std::string>())) << id << ": unknown rule kind " << k;
    }
  }
}

TEST(Requirements, CoverEveryConclusionTheTruthCanDemand) {
  const auto covered = covered_conditions(load());
  for (const auto& f : generators::fault_kinds()) {
    if (f.conclusion.empty()) continue;
    EXPECT_TRUE(covered.contains(std::string(f.conclusion)))
        << "fault " << f.name << " -> " << f.conclusion;
  }
  EXPECT_TRUE(covered.contains("position_jump"));  // bias or spike of 100 m or more
  for (const auto& e : generators::event_kinds()) {
    if (e.conclusion.empty()) continue;
    EXPECT_TRUE(covered.contains(std::string(e.conclusion)))
        << "event " << e.name << " -> " << e.conclusion;
  }
  EXPECT_TRUE(covered.contains("shallow_water"));
  EXPECT_TRUE(covered.contains("close_quarters"));
}

TEST(Requirements, CoverEveryAlertOfTheReferenceTwin) {
  const auto covered = covered_conditions(load());
  for (const auto& c : condition_table()) {
    EXPECT_TRUE(covered.contains(std::string(c.name))) << c.name;
  }
}

}  // namespace
}  // namespace twincert::reference_twin

// Each defect planted in the SI twin with its alerts on the wire (si_twin/twin.py --defect,
// the mutants of si_twin/adapter-alr.json) is caught by the rule that should catch it and by no
// other, by configuration alone (issue 19, item 10): seven runs of the campaign, about 10 s.
#include <algorithm>
#include <filesystem>
#include <random>
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "twincert/harness/adapter.hpp"
#include "twincert/harness/campaign.hpp"

namespace twincert::harness {
namespace {

const std::filesystem::path kKit = TWINCERT_SI_TWIN_DIR;

class SiTwinMutantsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    static std::mt19937_64 names(std::random_device{}());
    dir_ = std::filesystem::temp_directory_path() /
           ("twincert-si-twin-mutants-" + std::to_string(names()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override {
    if (!HasFailure()) std::filesystem::remove_all(dir_);
  }

  static const rules::RuleResult& rule(const CaseResult& r, const std::string& id) {
    static const rules::RuleResult none;
    const auto it = std::find_if(r.rules.begin(), r.rules.end(),
                                 [&](const auto& x) { return x.rule_id == id; });
    return it == r.rules.end() ? none : *it;
  }

  std::filesystem::path dir_;
};

// Each defect planted in the twin (its adapter's mutants) fails exactly the rules its mutant
// names, each in a case where the correct twin passes that rule: a differential check, as the
// mutation score of the reference twin is.
TEST_F(SiTwinMutantsTest, EachPlantedDefectFailsExactlyTheRulesThatShouldCatchIt) {
  const Campaign campaign = load_campaign(kKit / "campaign-alr.json");
  RunOptions o;
  o.out_dir = dir_ / "correct";
  const CampaignRun correct = run_campaign(campaign, o);
  const auto passed = [&](const CaseResult& c, const std::string& id) {
    const auto it = std::find_if(correct.results.begin(), correct.results.end(),
                                 [&](const CaseResult& x) { return x.spec.id == c.spec.id; });
    return it != correct.results.end() && rule(*it, id).verdict == rules::Verdict::kPass;
  };
  const TwinAdapter adapter = load_adapter(kKit / "adapter-alr.json");
  ASSERT_EQ(adapter.mutants.size(), 6U);
  for (const Mutant& m : adapter.mutants) {
    SCOPED_TRACE(m.name);
    o.out_dir = dir_ / m.name;
    o.mutant = m.name;
    const CampaignRun mutant = run_campaign(campaign, o);
    std::set<std::string> killed_by;
    std::string failures;
    for (const CaseResult& c : mutant.results) {
      EXPECT_TRUE(c.error.empty()) << c.spec.id << ": " << c.error;
      for (const auto& x : c.rules) {
        if (x.verdict != rules::Verdict::kFail) continue;
        failures += c.spec.id + " " + x.rule_id + ": " + x.message + "\n";
        if (passed(c, x.rule_id)) killed_by.insert(x.rule_id);
      }
    }
    EXPECT_EQ(killed_by, std::set<std::string>(m.caught_by.begin(), m.caught_by.end())) << failures;
  }
}

}  // namespace
}  // namespace twincert::harness

// results.json and junit.xml from a run whose evidence carries what a hostile twin emits:
// bytes that are not UTF-8, control characters and markup. Both must stay well-formed.
#include "twincert/reports/results.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace twincert::reports {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

harness::CampaignRun run_with_evidence(const std::string& observed) {
  harness::CaseResult c;
  c.spec.id = "open-sea-transit/normal/s1";
  c.spec.scenario = "open-sea-transit";
  rules::RuleResult r;
  r.rule_id = "output-syntax";
  r.requirements = {"VDR-TWIN-001"};
  r.verdict = rules::Verdict::kFail;
  r.message = "1 of 2 sentences emitted are strict IEC 61162-1";
  r.evidence.push_back({12.0, "strict IEC 61162-1", observed, {}});
  c.rules.push_back(r);
  harness::CampaignRun run;
  run.results.push_back(c);
  return run;
}

// True when `text` is UTF-8 with no control character other than tab, LF and CR.
bool clean_utf8(const std::string& text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto b = static_cast<unsigned char>(text[i]);
    if (b < 0x20 && b != '\t' && b != '\n' && b != '\r') return false;
    if (b < 0x80) continue;
    std::size_t n = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC2 ? 2 : 0;
    if (n == 0 || i + n > text.size()) return false;
    for (std::size_t k = 1; k < n; ++k) {
      if ((static_cast<unsigned char>(text[i + k]) & 0xC0U) != 0x80U) return false;
    }
    i += n - 1;
  }
  return true;
}

TEST(ResultsTest, JunitStaysWellFormedWhateverTheTwinEmitted) {
  harness::Campaign campaign;
  campaign.id = "t";
  const std::string hostile = "$VRALF,\xff\xfe\x07<b>&\"bell\" caf\xc3\xa9*00";
  const std::string xml = junit_xml(
      build_results(campaign, run_with_evidence(hostile), {}, {{"VDR-TWIN-001", "x", "", ""}}));
  EXPECT_TRUE(clean_utf8(xml)) << xml;
  EXPECT_THAT(xml, HasSubstr("$VRALF,???&lt;b&gt;&amp;&quot;bell&quot; caf\xc3\xa9*00"));
  EXPECT_THAT(xml, HasSubstr(R"(<failure type="fail")"));
  EXPECT_THAT(xml, Not(HasSubstr("<b>")));
}

TEST(ResultsTest, ResultsJsonReplacesBytesThatAreNotUtf8) {
  harness::Campaign campaign;
  campaign.id = "t";
  const auto j = harness::results_to_json(build_results(campaign,
                                                        run_with_evidence("x\xff"
                                                                          "y"),
                                                        {}, {{"VDR-TWIN-001", "x", "", ""}}));
  EXPECT_THROW((void)j.dump(), nlohmann::json::type_error);  // what the writers must avoid
  const std::string text =
      harness::results_text(build_results(campaign,
                                          run_with_evidence("x\xff"
                                                            "y"),
                                          {}, {{"VDR-TWIN-001", "x", "", ""}}));
  EXPECT_TRUE(clean_utf8(text));
  EXPECT_THAT(text, HasSubstr("x\xef\xbf\xbdy"));  // U+FFFD
  EXPECT_EQ(summarize(run_with_evidence("x")).failed, 1U);
}

harness::CaseResult case_with(const std::string& id, const std::string& rule,
                              rules::Verdict verdict) {
  harness::CaseResult c;
  c.spec.id = id;
  rules::RuleResult r;
  r.rule_id = rule;
  r.verdict = verdict;
  c.rules.push_back(r);
  return c;
}

harness::CampaignRun run_of(std::vector<harness::CaseResult> cases) {
  harness::CampaignRun run;
  run.results = std::move(cases);
  return run;
}

// Issue 20 item 7: a mutant was counted killed when a caught_by rule failed anywhere, even where
// the rule fails the same way on the correct twin.
TEST(MutationTest, AKillIsARuleFailingWhereItPassesOnTheCorrectTwin) {
  using rules::Verdict;
  const auto correct = run_of({case_with("a", "no-false-alarm", Verdict::kFail),
                               case_with("b", "no-false-alarm", Verdict::kPass),
                               case_with("c", "no-false-alarm", Verdict::kInconclusive)});
  // Fails where the correct twin fails too: a false alarm of the rule, no kill.
  const auto same = mutant_outcome("m1", {"no-false-alarm"}, correct,
                                   run_of({case_with("a", "no-false-alarm", Verdict::kFail),
                                           case_with("b", "no-false-alarm", Verdict::kPass)}));
  EXPECT_FALSE(same.killed);
  EXPECT_EQ(same.kills(), 0U);
  EXPECT_EQ(same.false_alarms(), 1U);
  EXPECT_EQ(same.failed_rules, std::vector<std::string>{"no-false-alarm"});
  // Fails where the correct twin passes: a kill.
  const auto differs = mutant_outcome("m2", {"no-false-alarm"}, correct,
                                      run_of({case_with("a", "no-false-alarm", Verdict::kFail),
                                              case_with("b", "no-false-alarm", Verdict::kError)}));
  EXPECT_TRUE(differs.killed);
  EXPECT_EQ(differs.kills(), 1U);
  EXPECT_EQ(differs.false_alarms(), 1U);
  // Where the correct twin was inconclusive, or the case was not run on it: neither.
  const auto unknown = mutant_outcome("m3", {"no-false-alarm"}, correct,
                                      run_of({case_with("c", "no-false-alarm", Verdict::kFail),
                                              case_with("d", "no-false-alarm", Verdict::kFail)}));
  EXPECT_FALSE(unknown.killed);
  EXPECT_EQ(unknown.false_alarms(), 0U);
  ASSERT_EQ(unknown.failures.size(), 2U);
  EXPECT_EQ(unknown.failures[0].correct_verdict, "inconclusive");
  EXPECT_EQ(unknown.failures[1].correct_verdict, "not run");
  // Another rule failing where the correct twin passes kills nothing: it is not the one named.
  const auto other = mutant_outcome("m4", {"no-false-alarm"}, correct,
                                    run_of({case_with("b", "api-liveness", Verdict::kFail)}));
  EXPECT_FALSE(other.killed);
  EXPECT_EQ(other.failed_rules, std::vector<std::string>{"api-liveness"});

  harness::Campaign campaign;
  campaign.id = "t";
  const auto j = harness::results_to_json(
      build_results(campaign, correct, {}, {}, {same, differs, unknown, other}));
  const auto& m = j.at("mutation");
  EXPECT_EQ(m.at("scoring"), "differential");
  EXPECT_EQ(m.at("killed"), 1);
  EXPECT_EQ(m.at("total"), 4);
  EXPECT_EQ(m.at("false_alarms"), 2);
  const auto& first = m.at("mutants").at(0);
  EXPECT_EQ(first.at("killed"), false);
  EXPECT_EQ(first.at("false_alarms"), 1);
  EXPECT_EQ(first.at("failures").at(0), (nlohmann::json{{"case", "a"},
                                                        {"rule", "no-false-alarm"},
                                                        {"correct_verdict", "fail"},
                                                        {"kill", false}}));
}

}  // namespace
}  // namespace twincert::reports

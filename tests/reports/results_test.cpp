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
  const std::string xml =
      junit_xml(campaign, run_with_evidence(hostile), {{"VDR-TWIN-001", "x", "", ""}});
  EXPECT_TRUE(clean_utf8(xml)) << xml;
  EXPECT_THAT(xml, HasSubstr("$VRALF,???&lt;b&gt;&amp;&quot;bell&quot; caf\xc3\xa9*00"));
  EXPECT_THAT(xml, HasSubstr(R"(<failure type="fail")"));
  EXPECT_THAT(xml, Not(HasSubstr("<b>")));
}

TEST(ResultsTest, ResultsJsonReplacesBytesThatAreNotUtf8) {
  harness::Campaign campaign;
  campaign.id = "t";
  const auto j = results_json(campaign,
                              run_with_evidence("x\xff"
                                                "y"),
                              {}, {{"VDR-TWIN-001", "x", "", ""}});
  EXPECT_THROW((void)j.dump(), nlohmann::json::type_error);  // what the writers must avoid
  const std::string text = j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
  EXPECT_TRUE(clean_utf8(text));
  EXPECT_THAT(text, HasSubstr("x\xef\xbf\xbdy"));  // U+FFFD
  EXPECT_EQ(summarize(run_with_evidence("x")).failed, 1U);
}

}  // namespace
}  // namespace twincert::reports

// The readable reports from a results document built here: the Markdown summary, the
// comparison with a baseline, a case's timeline and the HTML page around it.
#include <fstream>
#include <random>
#include <regex>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "twincert/reports/compare.hpp"
#include "twincert/reports/html.hpp"
#include "twincert/reports/markdown.hpp"
#include "twincert/reports/timeline.hpp"

#include "sample_results.hpp"

namespace twincert::reports {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using ::testing::HasSubstr;
using ::testing::Not;

// A case folder as twincert run leaves it: the truth of the bundle and what was observed.
void write_case_folder(const fs::path& dir) {
  fs::create_directories(dir / "bundle");
  std::ofstream truth(dir / "bundle" / "truth.jsonl");
  truth
      << R"({"kind":"header","duration_s":60.0,"start_unix_s":1763802000})"
      << "\n"
      << R"({"kind":"sensor_health","sensor":"gyro","source":"HE0001","status":"ok","from_s":0,"to_s":60})"
      << "\n"
      << R"({"kind":"fault","spec":"frozen:HE0001@20+30","source":"HE0001","from_s":20.0,"to_s":50.0})"
      << "\n"
      << R"({"kind":"expect","condition":"input_invalid","source":"HE0001","from_s":20.0,"until_s":50.0})"
      << "\n"
      << "this line is not JSON\n";
  for (int t = 0; t <= 60; ++t)
    truth << R"({"kind":"state","t":)" << t << R"(,"heading_deg":40.0})"
          << "\n";
  std::ofstream obs(dir / "observations.jsonl");
  for (int t = 0; t <= 60; t += 2) {
    obs << R"({"kind":"value","name":"heading_deg","t":)" << t << R"(,"value":)"
        << (t >= 20 && t < 50 ? 47.5 : 40.0) << "}\n";
  }
  obs << R"({"kind":"alert","change":"raised","condition":"input_invalid","subject":"HE0001","t":25.0})"
      << "\n"
      << R"({"kind":"heartbeat","t":1.0})"
      << "\n";
}

TEST(MarkdownTest, SaysTheVerdictCountsRequirementsAndFailures) {
  const json r = results_with({a_case("c/ok", "pass", 1.0), a_case("c/bad", "fail", 1.0)});
  const std::string md = markdown_summary(document(r));
  EXPECT_THAT(md, HasSubstr("## twincert: unit — **FAIL**"));
  EXPECT_THAT(md, HasSubstr("| 2 | 1 | 1 | 0 | 0 | 3.0 s |"));
  EXPECT_THAT(md, HasSubstr("| VDR-TWIN-003 | Heading | **fail** | 1 / 1 / 0 / 0 |"));
  EXPECT_THAT(md, HasSubstr("| VDR-TWIN-099 | Untested | **not_verified** | 0 / 0 / 0 / 0 |"));
  // Markdown's own characters in a message do not break the table or the list.
  EXPECT_THAT(md, HasSubstr("2 of 40 values off \\| by far"));
  EXPECT_THAT(md, HasSubstr("at t = 30.0 s expected heading\\_deg = 40 +- 1, observed 47.5"));
  EXPECT_THAT(md, Not(HasSubstr("c/ok")));
  EXPECT_THAT(markdown_summary(document(results_with({a_case("c/ok", "pass", 1.0)}))),
              HasSubstr("## twincert: unit — PASS"));
}

// Issue 20 item 7: a rule failing on a mutant and on the correct twin alike is a false alarm,
// shown as one, and no catch.
TEST(MarkdownTest, ShowsTheDifferentialMutationScoreAndFalseAlarms) {
  json r = results_with({a_case("c/ok", "pass", 1.0)});
  r["mutation"] = {{"scoring", "differential"},
                   {"killed", 1},
                   {"total", 2},
                   {"score", 0.5},
                   {"false_alarms", 3},
                   {"mutants",
                    {{{"name", "late-alerts"},
                      {"killed", true},
                      {"caught_by", {"heading-accuracy"}},
                      {"failed_rules", {"heading-accuracy"}},
                      {"failures",
                       {{{"case", "c/ok"},
                         {"rule", "heading-accuracy"},
                         {"correct_verdict", "pass"},
                         {"kill", true}}}}},
                     {{"name", "turn-false-alarm"},
                      {"killed", false},
                      {"caught_by", {"heading-accuracy"}},
                      {"failed_rules", {"heading-accuracy"}},
                      {"failures", json::array()}}}}};
  // Three failures of its rule where the rule fails on the correct twin too: false alarms.
  for (int i = 0; i < 3; ++i) {
    r["mutation"]["mutants"][1]["failures"].push_back({{"case", "c/ok"},
                                                       {"rule", "heading-accuracy"},
                                                       {"correct_verdict", "fail"},
                                                       {"kill", false}});
  }
  const std::string md = markdown_summary(document(r));
  EXPECT_THAT(md, HasSubstr("**Mutation score** 1 / 2 deliberately faulty twins caught"));
  EXPECT_THAT(md, HasSubstr("survived: `turn-false-alarm`"));
  EXPECT_THAT(md,
              HasSubstr("false alarms (failing on the correct twin too): `turn-false-alarm` 3"));
  const std::string html = html_report(document(r), "/nonexistent");
  EXPECT_THAT(html, HasSubstr("<code>turn-false-alarm</code> <span class=\"warn\">3 false alarms"));
  EXPECT_THAT(html, HasSubstr("A rule failing on both is a false alarm"));
}

TEST(CompareTest, NewFailuresFixesAndTiming) {
  const json before = results_with({a_case("a", "pass", 1.0), a_case("b", "fail", 1.0),
                                    a_case("c", "pass", 10.0), a_case("gone", "pass", 1.0)});
  const json after = results_with({a_case("a", "fail", 1.0), a_case("b", "pass", 1.2),
                                   a_case("c", "pass", 30.0), a_case("new", "pass", 1.0)});
  const Comparison c = compare_results(document(before), document(after));
  ASSERT_EQ(c.new_failures.size(), 1U);
  EXPECT_EQ(c.new_failures[0].id, "a");
  ASSERT_EQ(c.fixes.size(), 1U);
  EXPECT_EQ(c.fixes[0].id, "b");
  ASSERT_EQ(c.timing.size(), 1U);  // b's 0.2 s is noise; c tripled
  EXPECT_EQ(c.timing[0].id, "c");
  ASSERT_EQ(c.added.size(), 1U);
  EXPECT_EQ(c.added[0].id, "new");
  ASSERT_EQ(c.removed.size(), 1U);
  EXPECT_EQ(c.removed[0].id, "gone");
  EXPECT_TRUE(c.regressed());
  EXPECT_FALSE(compare_results(document(after), document(after)).regressed());
  EXPECT_THAT(markdown_summary(document(after), &c),
              HasSubstr("**New failures** (1): `a` (was pass)"));
}

class TimelineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ =
        fs::temp_directory_path() / ("twincert-timeline-" + std::to_string(std::random_device{}()));
    write_case_folder(dir_ / "cases" / "c_bad");
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(TimelineTest, LoadsTruthObservationsFaultsDeadlinesAndFailures) {
  const json r = results_with({a_case("c/bad", "fail", 1.0)});
  const harness::ResultsDocument d = document(r);
  const Timeline t = load_timeline(dir_ / "cases" / "c_bad", d.cases[0], d.rules);
  EXPECT_EQ(t.quantity, "heading_deg");  // the failed accuracy rule's
  EXPECT_EQ(t.duration_s, 60.0);
  EXPECT_EQ(t.truth.size(), 61U);
  EXPECT_EQ(t.observed.size(), 31U);
  ASSERT_EQ(t.faults.size(), 1U);
  EXPECT_EQ(t.faults[0].from_s, 20.0);
  ASSERT_EQ(t.deadlines.size(), 1U);
  EXPECT_EQ(t.deadlines[0].t_s, 35.0);  // raised within 15 s of 20 s
  ASSERT_EQ(t.alerts.size(), 1U);
  ASSERT_EQ(t.failures.size(), 1U);
  EXPECT_EQ(t.failures[0].t_s, 30.0);
  EXPECT_EQ(t.skipped_lines, 1U);

  const std::string svg = timeline_svg(t);
  EXPECT_THAT(svg, HasSubstr("<svg class=\"timeline\""));
  // Every point of the truth is drawn, in the plot's frame (x from 64 to 944 for 0..60 s).
  const std::regex truth_line("<polyline class=\"truth\" points=\"([^\"]*)\"");
  std::smatch m;
  ASSERT_TRUE(std::regex_search(svg, m, truth_line));
  const std::string points = m[1];
  EXPECT_EQ(std::count(points.begin(), points.end(), ','), 61);
  EXPECT_THAT(points, ::testing::StartsWith("64.0,"));
  EXPECT_THAT(svg, HasSubstr("class=\"fault-shade\""));
  EXPECT_THAT(svg, HasSubstr("class=\"deadline\""));
  EXPECT_THAT(svg, HasSubstr("class=\"alert-raised\""));
  EXPECT_THAT(svg, HasSubstr("class=\"failure\""));
}

TEST_F(TimelineTest, TheHtmlPageHasEverySectionAPlotPerFailureAndTheReproduceCommand) {
  const json r = results_with({a_case("c/ok", "pass", 1.0), a_case("c/bad", "fail", 1.0)});
  const std::string html = html_report(document(r), dir_);
  EXPECT_THAT(html, ::testing::StartsWith("<!DOCTYPE html>"));
  for (const char* id : {"summary", "assurance", "traceability", "coverage", "failures", "cases"}) {
    EXPECT_THAT(html, HasSubstr(std::string("<section id=\"") + id + "\"")) << id;
  }
  EXPECT_THAT(html, HasSubstr("<article class=\"case\" id=\"case-c_bad\">"));
  EXPECT_THAT(
      html,
      HasSubstr("twincert run &apos;/x/unit.json&apos; --case &apos;c/bad&apos; --out repro"));
  EXPECT_THAT(html, HasSubstr("heading_deg = 40 +- 1"));
  EXPECT_THAT(html, HasSubstr("\\$HEHDT,40.0,T*00"));  // the frame sent around the failure
  // The requirement without evidence is an undeveloped claim of the assurance case.
  EXPECT_THAT(html, HasSubstr("G-VDR-TWIN-099"));
  EXPECT_THAT(html, HasSubstr("◇ undeveloped"));
  // Traceability: a square per case the rule judged, linking to it.
  EXPECT_THAT(html, HasSubstr("<a class=\"sq v-fail\" href=\"#case-c_bad\""));
  // Coverage: frozen gyro was exercised; a class never injected is a visible gap.
  EXPECT_THAT(html, HasSubstr("<tr><td>frozen</td>"));
  EXPECT_THAT(html, HasSubstr("<tr class=\"gap\"><td>dropout</td>"));
  // The failing case's plot; the passing one has no folder here, and says so.
  EXPECT_THAT(html, HasSubstr("<svg class=\"timeline\""));
  EXPECT_THAT(html, HasSubstr("No plot: the case folder"));
  // Self-contained: nothing is fetched (links to the case's own files are relative).
  EXPECT_THAT(html, Not(::testing::ContainsRegex("(src|href)=\"(https?:)?//")));
}

}  // namespace
}  // namespace twincert::reports

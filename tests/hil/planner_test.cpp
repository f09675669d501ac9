// The HIL planner: rig inventories read with located errors, risk from the software results,
// and plans that keep their promises whatever the cases and rigs (RapidCheck): no rig does two
// things at once, every case runs on a capable rig inside its windows, the budget holds, and
// the same input in any order gives the same plan.
#include "twincert/hil/planner.hpp"

#include <algorithm>
#include <fstream>
#include <random>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "twincert/base/config_error.hpp"
#include "twincert/hil/campaign_cases.hpp"
#include "twincert/hil/rigs.hpp"

#include <rapidcheck.h>

namespace twincert::hil {
namespace {

using ::testing::HasSubstr;

constexpr std::int64_t kDay = 86400;
constexpr std::int64_t kT0 = 1796112000;  // 2026-12-01T08:00:00Z

Rig rig(std::string id, bool net450, std::vector<unsigned> bauds, std::vector<Window> windows) {
  Rig r;
  r.id = std::move(id);
  r.net450 = net450;
  for (const unsigned b : bauds) r.serial.push_back({"/dev/tty" + std::to_string(b), b});
  r.windows = std::move(windows);
  r.health_check = {"true"};
  return r;
}

HilCase hil_case(std::string id, double duration_s, Link link = {}) {
  HilCase c;
  c.id = std::move(id);
  c.duration_s = duration_s;
  c.link = link;
  c.risk = 1.0;
  return c;
}

// A valid set of rigs and cases, of any size and shape.
struct Problem {
  std::vector<Rig> rigs;
  std::vector<HilCase> cases;
  PlanOptions options;
};

rc::Gen<Problem> problems() {
  return rc::gen::exec([] {
    Problem p;
    const int rig_count = *rc::gen::inRange(1, 6);
    for (int r = 0; r < rig_count; ++r) {
      std::vector<Window> windows;
      std::int64_t at = kT0 + *rc::gen::inRange<std::int64_t>(0, 3600 * 6);
      const int n = *rc::gen::inRange(0, 4);
      for (int w = 0; w < n; ++w) {
        const std::int64_t length = *rc::gen::inRange<std::int64_t>(600, 12 * 3600);
        windows.push_back({at, at + length});
        at += length + *rc::gen::inRange<std::int64_t>(1, kDay);
      }
      std::vector<unsigned> bauds;
      if (*rc::gen::arbitrary<bool>()) bauds.push_back(4800);
      if (*rc::gen::arbitrary<bool>()) bauds.push_back(38400);
      p.rigs.push_back(
          rig("rig-" + std::to_string(r), *rc::gen::arbitrary<bool>(), bauds, windows));
    }
    const int case_count = *rc::gen::inRange(0, 60);
    for (int c = 0; c < case_count; ++c) {
      const int kind = *rc::gen::inRange(0, 3);
      const Link link = kind == 0 ? Link{} : Link{true, kind == 1 ? 4800U : 38400U};
      HilCase k = hil_case("case-" + std::to_string(c), *rc::gen::inRange(60, 4 * 3600), link);
      k.risk = *rc::gen::inRange(1, 200);
      k.priority = *rc::gen::inRange(0, 10) == 0 ? 1 : 0;
      k.peak_chars_per_s = *rc::gen::inRange(100, 5000);
      p.cases.push_back(std::move(k));
    }
    p.options.budget_s = *rc::gen::inRange(0, 40 * 3600);
    p.options.setup_s = *rc::gen::inRange(0, 900);
    return p;
  });
}

RC_GTEST_PROP(PlannerProperties, PlansKeepTheirPromises, ()) {
  const Problem p = *problems();
  const Plan plan = make_plan(p.cases, p.rigs, p.options);
  RC_ASSERT(plan.planned_s <= p.options.budget_s);
  RC_ASSERT(plan.assignments.size() + plan.left_out.size() == p.cases.size());
  std::map<std::string, const Rig*> rigs;
  for (const auto& r : p.rigs) rigs[r.id] = &r;
  std::map<std::string, const HilCase*> cases;
  for (const auto& c : p.cases) cases[c.id] = &c;
  std::map<std::string, std::vector<std::pair<std::int64_t, std::int64_t>>> busy;
  for (const auto& a : plan.assignments) {
    const Rig& r = *rigs.at(a.rig);
    const HilCase& c = *cases.at(a.case_id);
    // Capable: the link it needs, a line fast enough for its stream.
    if (c.link.serial) {
      RC_ASSERT(std::any_of(r.serial.begin(), r.serial.end(),
                            [&](const SerialLine& s) { return s.baud == c.link.baud; }));
      RC_ASSERT(c.peak_chars_per_s <= c.link.baud / 10.0);
    } else {
      RC_ASSERT(r.net450);
    }
    // Long enough for the stream and the setup, inside one window.
    RC_ASSERT(a.end_unix_s - a.start_unix_s >= static_cast<std::int64_t>(c.duration_s));
    RC_ASSERT(std::any_of(r.windows.begin(), r.windows.end(), [&](const Window& w) {
      return a.start_unix_s >= w.from_unix_s && a.end_unix_s <= w.to_unix_s;
    }));
    busy[a.rig].emplace_back(a.start_unix_s, a.end_unix_s);
  }
  for (auto& [id, spans] : busy) {  // never double-booked
    std::sort(spans.begin(), spans.end());
    for (std::size_t i = 1; i < spans.size(); ++i) RC_ASSERT(spans[i].first >= spans[i - 1].second);
  }
  RC_ASSERT(plan.makespan_s + 1e-6 >= plan.lower_bound_s);
  RC_ASSERT(plan.risk_covered <= plan.risk_total + 1e-9);
}

RC_GTEST_PROP(PlannerProperties, TheSameInputInAnyOrderGivesTheSamePlan, ()) {
  Problem p = *problems();
  const auto first = to_json(make_plan(p.cases, p.rigs, p.options));
  std::shuffle(p.cases.begin(), p.cases.end(), std::mt19937(*rc::gen::arbitrary<unsigned>()));
  RC_ASSERT(to_json(make_plan(p.cases, p.rigs, p.options)) == first);
}

TEST(PlannerTest, MandatedAndRiskyCasesFirstAndEveryLeftOutCaseSaysWhy) {
  const std::vector<Rig> rigs{rig("a", true, {4800}, {{kT0, kT0 + 8 * 3600}})};
  std::vector<HilCase> cases{hil_case("normal/s1", 3600), hil_case("failing/s1", 3600),
                             hil_case("mandated/s1", 3600), hil_case("fast/s1", 600, {true, 4800}),
                             hil_case("needs-38400/s1", 600, {true, 38400})};
  cases[3].peak_chars_per_s = 2000;  // over the 480 characters/s of 4800 baud
  score_risk(cases, {{"normal/s1", "pass", false}, {"failing/s1", "fail", false}}, {"mandated/s1"});
  PlanOptions options;
  options.budget_s = 2 * 3600;
  options.setup_s = 0;
  const Plan plan = make_plan(cases, rigs, options);
  ASSERT_EQ(plan.assignments.size(), 2U);
  EXPECT_EQ(plan.assignments[0].case_id, "mandated/s1");
  EXPECT_EQ(plan.assignments[0].start_unix_s, kT0);
  EXPECT_THAT(plan.assignments[0].reason, HasSubstr("mandated by the certifier"));
  EXPECT_EQ(plan.assignments[1].case_id, "failing/s1");
  EXPECT_THAT(plan.assignments[1].reason, HasSubstr("failed in software"));
  std::map<std::string, std::string> why;
  for (const auto& l : plan.left_out) why[l.case_id] = l.reason;
  EXPECT_THAT(why["normal/s1"], HasSubstr("over the budget"));
  EXPECT_THAT(why["fast/s1"], HasSubstr("peaks at 2000 characters/s, over the 480"));
  EXPECT_THAT(why["needs-38400/s1"], HasSubstr("no rig has serial at 38400 baud"));
  EXPECT_DOUBLE_EQ(plan.makespan_s, 7200);
  EXPECT_DOUBLE_EQ(plan.lower_bound_s, 7200);
}

TEST(PlannerTest, ACaseWaitsForTheNextWindowItFitsIn) {
  const std::vector<Rig> rigs{
      rig("a", true, {}, {{kT0, kT0 + 1800}, {kT0 + kDay, kT0 + kDay + 7200}})};
  PlanOptions options;
  options.setup_s = 300;
  const Plan plan = make_plan({hil_case("long/s1", 3600)}, rigs, options);
  ASSERT_EQ(plan.assignments.size(), 1U);
  EXPECT_EQ(plan.assignments[0].start_unix_s, kT0 + kDay);
  EXPECT_EQ(plan.assignments[0].end_unix_s, kT0 + kDay + 3900);
}

harness::CaseResult software_case(const std::string& id, rules::Verdict verdict,
                                  const std::string& status = "ran") {
  harness::CaseResult c;
  c.spec.id = id;
  c.status = status;
  rules::RuleResult r;
  r.rule_id = "heading-accuracy";
  r.verdict = verdict;
  c.rules.push_back(r);
  return c;
}

TEST(PlannerTest, SoftwareVerdictsTakeTheWorstRepetition) {
  harness::ResultsDocument results;
  results.summary.flaky = {"a/s1"};
  results.cases = {software_case("a/s1/r1", rules::Verdict::kPass),
                   software_case("a/s1/r2", rules::Verdict::kFail),
                   software_case("b/s1", rules::Verdict::kPass, "error")};
  const auto v = software_verdicts(results);
  ASSERT_EQ(v.size(), 2U);
  EXPECT_EQ(v[0].case_id, "a/s1");
  EXPECT_EQ(v[0].verdict, "fail");
  EXPECT_TRUE(v[0].flaky);
  EXPECT_EQ(v[1].verdict, "error");
  EXPECT_FALSE(v[1].flaky);
}

TEST(PlannerTest, LinksAreNet450OrASerialRate) {
  EXPECT_FALSE(parse_link("net450").serial);
  EXPECT_EQ(parse_link("serial:38400").baud, 38400U);
  EXPECT_THROW(parse_link("serial:"), ConfigError);
  EXPECT_THROW(parse_link("usb"), ConfigError);
}

class RigFileTest : public ::testing::Test {
 protected:
  void TearDown() override { std::filesystem::remove(path_); }
  std::string error_for(const std::string& text) {
    std::ofstream(path_) << text;
    try {
      (void)load_rigs(path_);
    } catch (const ConfigError& e) {
      return e.what();
    }
    return "";
  }
  std::filesystem::path path_ = std::filesystem::temp_directory_path() /
                                ("rigs-" + std::to_string(std::random_device{}()) + ".json");
};

TEST_F(RigFileTest, TheSampleInventoryLoads) {
  const auto rigs = load_rigs(TWINCERT_FIXTURES_DIR "/rigs/two-rigs.json");
  ASSERT_EQ(rigs.size(), 2U);
  EXPECT_EQ(rigs[0].serial[1].baud, 38400U);
  EXPECT_EQ(rigs[0].windows.size(), 2U);
  EXPECT_FALSE(rigs[1].net450);
}

TEST_F(RigFileTest, ErrorsNameTheFileThePathAndWhatWasExpected) {
  const std::string head =
      R"({"schema": "twincert.rigs/1", "rigs": [{"id": "a", "health_check": ["true"], )";
  EXPECT_THAT(error_for("{"), HasSubstr("not JSON"));
  EXPECT_THAT(error_for(R"({"schema": "x"})"), HasSubstr(R"(/schema: expected "twincert.rigs/1")"));
  EXPECT_THAT(error_for(head + R"("windows": [], "serial": [{"port": "p", "baud": 1234}]}]})"),
              HasSubstr("/rigs/0/serial/0/baud: expected one of 4800"));
  EXPECT_THAT(
      error_for(
          head +
          R"("windows": [{"from": "2026-12-01T10:00:00Z", "to": "2026-12-01T09:00:00Z"}]}]})"),
      HasSubstr("/rigs/0/windows/0/to: expected a time after"));
  EXPECT_THAT(
      error_for(head + R"("windows": [{"from": "tomorrow", "to": "2026-12-01T09:00:00Z"}]}]})"),
      HasSubstr("tomorrow"));
  EXPECT_THAT(error_for(R"({"schema": "twincert.rigs/1", "rigs": [{"id": "a", "windows": []}]})"),
              HasSubstr("/rigs/0/health_check: expected the command"));
  EXPECT_THAT(
      error_for(head + R"("windows": []}, {"id": "a", "health_check": ["x"], "windows": []}]})"),
      HasSubstr("/rigs/1/id: expected an id no other rig has"));
}

}  // namespace
}  // namespace twincert::hil

// The one reader and writer of results.json: what the writer writes the reader reads back the
// same, and a document that is not what the schema says is refused naming where.
#include "twincert/harness/results_document.hpp"

#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "twincert/base/config_error.hpp"

namespace twincert::harness {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

ResultsDocument a_document() {
  ResultsDocument d;
  d.campaign = {"unit", "A campaign", "/x/unit.json", "ab", 3};
  d.versions = {"twincert 0.1.0", "b1", "reference-twin"};
  d.run = {"2026-12-06T00:00:00Z", 12.5, "1/1", "", 1};
  d.seeds = {1, 7};
  d.summary = {RunVerdict::kFail, 2, 1, 1, 0, {"a/s1"}};
  d.requirements.push_back({"VDR-TWIN-003",
                            "Heading",
                            "The twin shall",
                            "IEC 61996-1",
                            RequirementVerdict::kFail,
                            {"heading-accuracy"},
                            {1, 1, 0, 0}});
  d.rules.push_back(rule_definition_of(json{{"id", "alert-deadline"},
                                            {"kind", "deadline"},
                                            {"within_s", 15},
                                            {"conditions", {"input_lost", 3}},
                                            {"extra", {{"kept", true}}}}));
  CaseResult c;
  c.spec = {"a/s1", "open-sea-transit", {"frozen:HE0001@20+30"}, 7, 60.0, 1};
  rules::RuleResult r;
  r.rule_id = "heading-accuracy";
  r.requirements = {"VDR-TWIN-003"};
  r.verdict = rules::Verdict::kFail;
  r.message = "2 of 40 off";
  r.evidence.push_back({30.0, "40 +- 1", "47.5", {"t=29.9 $HEHDT,40.0,T*00"}});
  c.rules.push_back(r);
  c.twin_end = "stopped";
  c.sha256 = {{"stream.nmea", "cd"}};
  d.cases.push_back(c);
  MutationScore m;
  m.mutants.push_back({"late-alerts",
                       {"alert-deadline"},
                       {"alert-deadline"},
                       {{"a/s1", "alert-deadline", "pass"}, {"a/s1", "alert-deadline", "fail"}},
                       true});
  d.mutation = m;
  return d;
}

std::string error_of(const json& j) {
  try {
    (void)results_from_json(j, "r.json");
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

TEST(ResultsDocumentTest, WhatTheWriterWritesTheReaderReadsBackTheSame) {
  const std::string text = results_text(a_document());
  const ResultsDocument back = results_from_json(json::parse(text), "r.json");
  EXPECT_EQ(results_text(back), text);
  EXPECT_EQ(back.summary.verdict, RunVerdict::kFail);
  EXPECT_EQ(back.requirements.at(0).verdict, RequirementVerdict::kFail);
  EXPECT_EQ(back.cases.at(0).rules.at(0).verdict, rules::Verdict::kFail);
  // The rule definition is kept as written; the fields the reports read come from it.
  EXPECT_EQ(back.rules.at(0).definition.at("extra").at("kept"), true);
  EXPECT_EQ(back.rules.at(0).within_s, 15.0);
  EXPECT_EQ(back.rules.at(0).conditions, std::vector<std::string>{"input_lost"});
  // What follows from the mutants is written anew from them.
  const json j = json::parse(text);
  EXPECT_EQ(j.at("mutation").at("killed"), 1);
  EXPECT_EQ(j.at("mutation").at("false_alarms"), 1);
  EXPECT_EQ(j.at("mutation").at("mutants").at(0).at("kills"), 1);
  EXPECT_EQ(j.at("cases").at(0).at("verdict"), "fail");
}

TEST(ResultsDocumentTest, WithoutMutantsThereIsNoMutationScore) {
  ResultsDocument d = a_document();
  d.mutation.reset();
  EXPECT_FALSE(results_to_json(d).contains("mutation"));
  EXPECT_FALSE(results_from_json(results_to_json(d), "r.json").mutation.has_value());
}

TEST(ResultsDocumentTest, ARequiredKeyMissingIsRefusedNamingItsPath) {
  json j = results_to_json(a_document());
  j.at("run").erase("wall_s");
  EXPECT_EQ(error_of(j), "r.json: /run: missing \"wall_s\"");
  j = results_to_json(a_document());
  j.at("requirements").at(0).at("results").erase("inconclusive");
  EXPECT_EQ(error_of(j), "r.json: /requirements/0/results: missing \"inconclusive\"");
  j = results_to_json(a_document());
  j["summary"] = "pass";
  EXPECT_EQ(error_of(j), "r.json: /summary: expected an object");
  j = results_to_json(a_document());
  j.at("cases").at(0).erase("sha256");
  EXPECT_THAT(error_of(j), HasSubstr("r.json: /cases/0: "));
  EXPECT_THAT(error_of(j), HasSubstr("sha256"));
}

TEST(ResultsDocumentTest, AValueOfTheWrongTypeOrAnUnknownVerdictIsRefused) {
  json j = results_to_json(a_document());
  j.at("campaign")["cases_in_matrix"] = "three";
  EXPECT_EQ(error_of(j), "r.json: /campaign: \"cases_in_matrix\" has the wrong type");
  j = results_to_json(a_document());
  j.at("requirements").at(0)["verdict"] = "passed";
  EXPECT_THAT(error_of(j), HasSubstr("/requirements/0: \"verdict\": expected pass, fail"));
  // A forged or damaged verdict of a rule must not read as a pass.
  j = results_to_json(a_document());
  j.at("cases").at(0).at("rules").at(0)["verdict"] = "passs";
  EXPECT_THAT(error_of(j), HasSubstr("unknown verdict \"passs\""));
  j = results_to_json(a_document());
  j["schema"] = "twincert.results/2";
  EXPECT_EQ(error_of(j), "r.json: expected \"schema\": \"twincert.results/1\"");
}

}  // namespace
}  // namespace twincert::harness

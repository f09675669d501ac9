#include "twincert/reports/results.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <fstream>
#include <map>
#include <set>
#include <utility>

#include "twincert/base/config_error.hpp"
#include "twincert/rules/evaluate.hpp"

#include "text.hpp"

namespace twincert::reports {

namespace {

using harness::CaseResult;
using nlohmann::json;
using rules::Verdict;

std::string seconds(double s) {
  return fixed(s, 3);
}

struct Tally {
  std::size_t pass = 0;
  std::size_t fail = 0;
  std::size_t error = 0;
  std::size_t inconclusive = 0;
  std::set<std::string> rules;
  void add(Verdict v) {
    switch (v) {
      case Verdict::kPass:
        ++pass;
        break;
      case Verdict::kFail:
        ++fail;
        break;
      case Verdict::kError:
        ++error;
        break;
      case Verdict::kInconclusive:
        ++inconclusive;
        break;
    }
  }
  harness::RequirementVerdict verdict() const {
    if (fail > 0) return harness::RequirementVerdict::kFail;
    if (error > 0) return harness::RequirementVerdict::kError;
    if (pass > 0) return harness::RequirementVerdict::kPass;
    return harness::RequirementVerdict::kNotVerified;
  }
};

// Every rule result of a case that verifies `requirement`.
std::vector<const rules::RuleResult*> results_for(const CaseResult& c,
                                                  const std::string& requirement) {
  std::vector<const rules::RuleResult*> out;
  for (const auto& r : c.rules) {
    if (std::find(r.requirements.begin(), r.requirements.end(), requirement) !=
        r.requirements.end()) {
      out.push_back(&r);
    }
  }
  return out;
}

std::vector<Requirement> requirements_in(const harness::CampaignRun& run,
                                         const std::vector<Requirement>& known) {
  std::vector<Requirement> out = known;
  std::set<std::string> ids;
  for (const auto& r : known) ids.insert(r.id);
  for (const auto& c : run.results) {
    for (const auto& r : c.rules) {
      for (const auto& id : r.requirements) {
        if (ids.insert(id).second) out.push_back({id, "", "", ""});
      }
    }
  }
  return out;
}

}  // namespace

std::vector<Requirement> load_requirements(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) throw ConfigError("cannot read requirements " + path.string());
  const json doc = json::parse(in, nullptr, false);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("requirements") ||
      !doc["requirements"].is_array()) {
    throw ConfigError(path.string() + R"(: expected {"requirements": [{"id", "title"}, ...]})");
  }
  std::vector<Requirement> out;
  for (const auto& r : doc["requirements"]) {
    if (!r.is_object() || !r.contains("id") || !r["id"].is_string()) {
      throw ConfigError(path.string() + ": a requirement without a text \"id\"");
    }
    Requirement req{r["id"].get<std::string>(), text_at(r, "title"), text_at(r, "text"), ""};
    if (r.contains("source") && r["source"].is_object()) {
      req.source = text_at(r["source"], "standard");
      if (!text_at(r["source"], "clause").empty()) {
        req.source += " " + text_at(r["source"], "clause");
      }
    }
    out.push_back(std::move(req));
  }
  return out;
}

Summary summarize(const harness::CampaignRun& run) {
  Summary s;
  std::map<std::string, std::set<std::string>> verdicts_by_case;
  for (const auto& c : run.results) {
    ++s.cases;
    const std::string v = harness::case_verdict(c);
    if (v == "pass") ++s.passed;
    if (v == "fail") ++s.failed;
    if (v == "error") ++s.errors;
    verdicts_by_case[harness::case_id_without_repetition(c.spec.id)].insert(v);
  }
  for (const auto& [id, verdicts] : verdicts_by_case) {
    if (verdicts.contains("pass") && verdicts.size() > 1) s.flaky.push_back(id);
  }
  s.verdict = s.failed == 0 && s.errors == 0 && s.cases > 0 ? harness::RunVerdict::kPass
                                                            : harness::RunVerdict::kFail;
  return s;
}

MutantOutcome mutant_outcome(const std::string& name, const std::vector<std::string>& caught_by,
                             const harness::CampaignRun& correct_run,
                             const harness::CampaignRun& mutant_run) {
  MutantOutcome out;
  out.name = name;
  out.caught_by = caught_by;
  // The correct twin's verdicts by (case, repetition) and rule.
  std::map<std::pair<std::string, int>, std::map<std::string, rules::Verdict>> correct;
  for (const auto& c : correct_run.results) {
    auto& verdicts = correct[{c.spec.id, c.spec.repetition}];
    for (const auto& r : c.rules) verdicts[r.rule_id] = r.verdict;
  }
  std::set<std::string> failed;
  for (const auto& c : mutant_run.results) {
    for (const auto& r : c.rules) {
      if (r.verdict != rules::Verdict::kFail && r.verdict != rules::Verdict::kError) continue;
      failed.insert(r.rule_id);
      if (std::find(caught_by.begin(), caught_by.end(), r.rule_id) == caught_by.end()) continue;
      std::string there = "not run";
      if (const auto it = correct.find({c.spec.id, c.spec.repetition}); it != correct.end()) {
        if (const auto v = it->second.find(r.rule_id); v != it->second.end()) {
          there = std::string(rules::name_of(v->second));
        }
      }
      out.failures.push_back({c.spec.id, r.rule_id, there});
    }
  }
  out.failed_rules.assign(failed.begin(), failed.end());
  out.killed = out.kills() > 0;
  return out;
}

std::vector<MutantOutcome> score_mutants(const std::vector<harness::Mutant>& mutants,
                                         const harness::CampaignRun& correct_run,
                                         const std::map<std::string, harness::CampaignRun>& runs) {
  std::vector<MutantOutcome> out;
  for (const auto& m : mutants) {
    const auto it = runs.find(m.name);
    if (it != runs.end()) {
      out.push_back(mutant_outcome(m.name, m.caught_by, correct_run, it->second));
    }
  }
  return out;
}

bool any_survived(const std::vector<MutantOutcome>& outcomes) {
  return std::any_of(outcomes.begin(), outcomes.end(),
                     [](const MutantOutcome& m) { return !m.killed; });
}

harness::ResultsDocument build_results(const harness::Campaign& campaign,
                                       const harness::CampaignRun& run, const RunInfo& info,
                                       const std::vector<Requirement>& requirements,
                                       const std::vector<MutantOutcome>& mutants) {
  harness::ResultsDocument d;
  d.campaign = {campaign.id, campaign.title, campaign.origin.string(), campaign.sha256,
                campaign.cases.size()};
  d.versions = {info.tool, info.build, info.adapter};
  d.run = {run.started_utc, run.wall_s, info.shard, info.mutant, run.resumed};
  std::set<std::uint64_t> seeds;
  for (const auto& c : run.results) seeds.insert(c.spec.seed);
  d.seeds.assign(seeds.begin(), seeds.end());
  d.summary = summarize(run);
  for (const auto& req : requirements_in(run, requirements)) {
    Tally t;
    for (const auto& c : run.results) {
      for (const auto* r : results_for(c, req.id)) {
        t.add(r->verdict);
        t.rules.insert(r->rule_id);
      }
    }
    d.requirements.push_back({req.id,
                              req.title,
                              req.text,
                              req.source,
                              t.verdict(),
                              {t.rules.begin(), t.rules.end()},
                              {t.pass, t.fail, t.error, t.inconclusive}});
  }
  d.rules = info.rules;
  d.cases = run.results;
  if (!mutants.empty()) d.mutation = harness::MutationScore{mutants};
  return d;
}

namespace {

// A failing rule's evidence for a reader: each moment, and the input sent around it.
std::string evidence_text(const rules::RuleResult& r) {
  std::string text;
  for (const auto& e : r.evidence) {
    text += "  at t=" + seconds(e.t_s) + " s expected " + e.expected + "; observed " + e.observed +
            "\n";
    if (!e.frames.empty()) text += "    input sent around then:\n";
    for (const auto& f : e.frames) text += "      " + f + "\n";
  }
  return text;
}

}  // namespace

std::string junit_xml(const harness::ResultsDocument& document) {
  const auto& reqs = document.requirements;
  std::string suites;
  std::size_t tests = 0;
  std::size_t failures = 0;
  std::size_t errors = 0;
  std::size_t skipped = 0;
  for (const auto& c : document.cases) {
    std::string body;
    std::size_t case_tests = 0;
    std::size_t case_failures = 0;
    std::size_t case_errors = 0;
    std::size_t case_skipped = 0;
    for (const auto& req : reqs) {
      const auto results = results_for(c, req.id);
      if (results.empty()) continue;
      ++case_tests;
      std::string name = req.id + (req.title.empty() ? "" : " " + req.title);
      body += "    <testcase classname=\"" + xml_text(c.spec.id) + "\" name=\"" + xml_text(name) +
              "\" time=\"" +
              seconds(c.wall_s / static_cast<double>(std::max<std::size_t>(1, reqs.size()))) +
              "\">\n";
      Tally t;
      std::string detail;
      std::string first;
      for (const auto* r : results) {
        t.add(r->verdict);
        if (r->verdict != Verdict::kFail && r->verdict != Verdict::kError) continue;
        const std::string line =
            r->rule_id + " (" + std::string(rules::name_of(r->verdict)) + "): " + r->message;
        if (first.empty()) first = line;
        detail += line + "\n";
        detail += evidence_text(*r);
      }
      if (t.fail > 0) {
        ++case_failures;
        body += R"(      <failure type="fail" message=")" + xml_text(first) + "\">" +
                xml_text(detail) + "</failure>\n";
      } else if (t.error > 0) {
        ++case_errors;
        body += R"(      <error type="error" message=")" + xml_text(first) + "\">" +
                xml_text(detail) + "</error>\n";
      } else if (t.pass == 0) {
        ++case_skipped;
        body += "      <skipped message=\"inconclusive: " + xml_text(results.front()->message) +
                "\"/>\n";
      }
      body += "    </testcase>\n";
    }
    if (c.status == "error") {
      body += "    <system-err>" + xml_text(c.error) + "</system-err>\n";
    }
    suites += "  <testsuite name=\"" + xml_text(c.spec.id) + "\" tests=\"" +
              std::to_string(case_tests) + "\" failures=\"" + std::to_string(case_failures) +
              "\" errors=\"" + std::to_string(case_errors) + "\" skipped=\"" +
              std::to_string(case_skipped) + "\" time=\"" + seconds(c.wall_s) + "\">\n" + body +
              "  </testsuite>\n";
    tests += case_tests;
    failures += case_failures;
    errors += case_errors;
    skipped += case_skipped;
  }
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"twincert " +
         xml_text(document.campaign.id) + "\" tests=\"" + std::to_string(tests) + "\" failures=\"" +
         std::to_string(failures) + "\" errors=\"" + std::to_string(errors) + "\" skipped=\"" +
         std::to_string(skipped) + "\" time=\"" + seconds(document.run.wall_s) + "\">\n" + suites +
         "</testsuites>\n";
}

std::vector<harness::RuleDefinition> load_rule_definitions(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) throw ConfigError("cannot read rules " + path.string());
  const json doc = json::parse(in, nullptr, false);
  if (!doc.is_object() || !doc.contains("rules") || !doc["rules"].is_array()) {
    throw ConfigError(path.string() + R"(: expected {"rules": [...]})");
  }
  std::vector<harness::RuleDefinition> out;
  for (const json& r : doc["rules"]) out.push_back(harness::rule_definition_of(r));
  return out;
}

}  // namespace twincert::reports

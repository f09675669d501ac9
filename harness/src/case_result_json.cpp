// A case's spec and result as JSON: case.json, each journal line, each case of results.json
// (docs/formats/results.md), and what a HIL coordinator sends its agents.
#include <map>
#include <string>

#include "twincert/base/config_error.hpp"
#include "twincert/base/json_fields.hpp"
#include "twincert/harness/case_runner.hpp"
#include "twincert/harness/evidence_files.hpp"
#include "twincert/rules/evaluate.hpp"

namespace twincert::harness {

using nlohmann::json;

json to_json(const CaseResult& r) {
  json rules = json::array();
  for (const auto& x : r.rules) rules.push_back(to_json(x));
  json problems = json::array();
  for (const auto& p : r.problems) {
    json problem = {{"what", p.what},
                    {"misbehaviour", p.misbehaviour},
                    {"count", p.count},
                    {"first_t", p.first_t_s}};
    if (!p.adapter_key.empty()) problem["adapter_key"] = p.adapter_key;
    if (!p.affects.empty()) problem["affects"] = p.affects;
    problems.push_back(std::move(problem));
  }
  json j = to_json(r.spec);
  j.update(json{{"verdict", case_verdict(r)},
                {"status", r.status},
                {"error", r.error},
                {"rules", std::move(rules)},
                {"problems", std::move(problems)},
                {"dir", r.dir.string()},
                {"wall_s", r.wall_s},
                {"frames", r.frames},
                {"send_errors", r.send_errors},
                {"flow_waits", r.flow_waits},
                {"flow_gave_up", r.flow_gave_up},
                {"replay_s", r.replay_s},
                {"lateness_us", {{"p99", r.lateness_p99_us}, {"max", r.lateness_max_us}}},
                {"observations", r.observations},
                {"twin_start", r.twin_start},
                {"twin_end", r.twin_end},
                {"sha256", r.sha256}});
  return j;
}

json to_json(const CaseSpec& spec) {
  return {{"id", spec.id},     {"scenario", spec.scenario},     {"faults", spec.faults},
          {"seed", spec.seed}, {"duration_s", spec.duration_s}, {"repetition", spec.repetition}};
}

CaseSpec case_spec_from_json(const json& j, const std::string& where) {
  using json_fields::field;
  CaseSpec s;
  s.id = field<std::string>(j, "id", where);
  s.scenario = field<std::string>(j, "scenario", where);
  s.faults = field<std::vector<std::string>>(j, "faults", where);
  s.seed = field<std::uint64_t>(j, "seed", where);
  s.duration_s = field<double>(j, "duration_s", where);
  s.repetition = field<int>(j, "repetition", where);
  return s;
}

CaseResult case_result_from_json(const json& j) {
  using json_fields::field;
  const std::string where = "case result";
  CaseResult r;
  r.spec = case_spec_from_json(j, where);
  r.status = field<std::string>(j, "status", where);
  r.error = field<std::string>(j, "error", where);
  for (const json& x : field<json>(j, "rules", where)) {
    rules::RuleResult rr;
    rr.rule_id = field<std::string>(x, "rule", where);
    rr.requirements = field<std::vector<std::string>>(x, "requirements", where);
    const auto verdict = field<std::string>(x, "verdict", where);
    bool known = false;
    for (const auto v : {rules::Verdict::kPass, rules::Verdict::kFail,
                         rules::Verdict::kInconclusive, rules::Verdict::kError}) {
      if (rules::name_of(v) == verdict) {
        rr.verdict = v;
        known = true;
      }
    }
    // An unknown verdict read as a pass would turn a forged or damaged failure into a pass.
    if (!known) {
      std::string message = where;
      message += ": rule " + rr.rule_id + ": unknown verdict \"" + verdict;
      message += "\" (expected pass, fail, inconclusive or error)";
      throw ConfigError(message);
    }
    rr.message = field<std::string>(x, "message", where);
    if (x.contains("coverage")) rr.coverage = coverage_from_json(x["coverage"], where);
    for (const json& e : field<json>(x, "evidence", where)) {
      rr.evidence.push_back(
          {field<double>(e, "t", where), field<std::string>(e, "expected", where),
           field<std::string>(e, "observed", where),
           json_fields::optional_field<std::vector<std::string>>(e, "frames", {}, where)});
    }
    r.rules.push_back(std::move(rr));
  }
  for (const json& p : field<json>(j, "problems", where)) {
    r.problems.push_back({field<std::string>(p, "what", where),
                          field<bool>(p, "misbehaviour", where),
                          field<std::size_t>(p, "count", where), field<double>(p, "first_t", where),
                          json_fields::optional_field<std::string>(p, "adapter_key", "", where),
                          json_fields::optional_field<std::string>(p, "affects", "", where)});
  }
  r.dir = field<std::string>(j, "dir", where);
  r.wall_s = field<double>(j, "wall_s", where);
  r.frames = field<std::size_t>(j, "frames", where);
  r.send_errors = field<std::size_t>(j, "send_errors", where);
  r.flow_waits = json_fields::optional_field<std::size_t>(j, "flow_waits", 0, where);
  r.flow_gave_up = json_fields::optional_field<bool>(j, "flow_gave_up", false, where);
  r.replay_s = field<double>(j, "replay_s", where);
  const auto lateness = json_fields::optional_field<json>(j, "lateness_us", json::object(), where);
  r.lateness_p99_us = json_fields::optional_field<double>(lateness, "p99", 0.0, where);
  r.lateness_max_us = json_fields::optional_field<double>(lateness, "max", 0.0, where);
  r.observations = field<std::size_t>(j, "observations", where);
  r.twin_start = json_fields::optional_field<std::string>(j, "twin_start", "", where);
  r.twin_end = field<std::string>(j, "twin_end", where);
  r.sha256 = field<std::map<std::string, std::string>>(j, "sha256", where);
  return r;
}

}  // namespace twincert::harness

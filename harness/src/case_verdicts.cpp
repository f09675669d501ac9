#include "case_verdicts.hpp"

#include <map>
#include <string>

#include "twincert/harness/evidence_files.hpp"
#include "twincert/rules/evaluate.hpp"

namespace twincert::harness {

namespace {

// The rules whose verdict rests on what a mapping with this `affects` observes.
bool rests_on(const rules::Rule& rule, const std::string& affects) {
  switch (rule.kind) {
    case rules::RuleKind::kDeadline:
    case rules::RuleKind::kRecovery:
    case rules::RuleKind::kNoFalseAlarm:
      return affects == "alerts";
    case rules::RuleKind::kTargets:
      return affects == "targets";
    case rules::RuleKind::kAccuracy:
      return affects == rule.quantity;
    default:
      return false;
  }
}

// A verdict that rests on a mapping that never found what it points at says nothing of the
// twin: it becomes an error naming the adapter key, whether it passed or failed.
void blame_adapter(const std::vector<rules::Rule>& rules,
                   const std::vector<ObserverProblem>& problems,
                   std::vector<rules::RuleResult>& results) {
  for (std::size_t i = 0; i < rules.size() && i < results.size(); ++i) {
    for (const auto& p : problems) {
      if (p.adapter_key.empty() || !rests_on(rules[i], p.affects)) continue;
      results[i].verdict = rules::Verdict::kError;
      results[i].message = "the adapter, not the twin: " + p.what;
      results[i].evidence.clear();
      break;
    }
  }
}

// What the adapter's maps passed over — alert words no vocabulary entry maps, member names a
// keyed table's pattern does not take — said in every verdict that rests on them: a deadline
// missed, a false alarm or a target not listed may be a word nobody translated.
void note_passed_over(const std::vector<rules::Rule>& rules,
                      const std::vector<ObserverProblem>& problems,
                      std::vector<rules::RuleResult>& results) {
  for (std::size_t i = 0; i < rules.size() && i < results.size(); ++i) {
    if (results[i].verdict == rules::Verdict::kError) continue;
    std::string notes;
    for (const auto& p : problems) {
      if (p.adapter_key.empty() && !p.affects.empty() && rests_on(rules[i], p.affects)) {
        notes += (notes.empty() ? "" : "; ") + p.what + " (" + std::to_string(p.count) + " times)";
      }
    }
    if (notes.empty()) continue;
    results[i].message +=
        (results[i].message.empty() ? "(" : " (") + std::string("the adapter: ") + notes + ")";
  }
}

// The unit each judged value was read in, where the adapter says one: an accuracy verdict on
// sog_kn read in m/s says so, so a reader can tell a wrong twin from a wrong unit.
void note_units(const std::vector<rules::Rule>& rules, const Observe& observe,
                std::vector<rules::RuleResult>& results) {
  std::map<std::string, std::string> read_in;  // quantity -> "m/s (observe.http[0].values.sog_kn)"
  const auto collect = [&](const std::vector<JsonValueMap>& maps, const std::string& key) {
    for (const auto& m : maps) {
      if (m.transform.unit.empty()) continue;
      read_in.try_emplace(m.name, m.transform.unit + " (" + key + ".values." + m.name + ")");
    }
  };
  for (std::size_t i = 0; i < observe.http.size(); ++i) {
    collect(observe.http[i].values, "observe.http[" + std::to_string(i) + "]");
  }
  for (std::size_t i = 0; i < observe.json_lines.size(); ++i) {
    const auto& stream = observe.json_lines[i];
    collect(stream.values,
            stream.key.empty() ? "observe.json_lines[" + std::to_string(i) + "]" : stream.key);
  }
  for (const auto& m : observe.sentences.values) {
    if (m.transform.unit.empty()) continue;
    read_in.try_emplace(m.name, m.transform.unit + " (observe.sentences.values." + m.name + ")");
  }
  for (std::size_t i = 0; i < rules.size() && i < results.size(); ++i) {
    if (rules[i].kind != rules::RuleKind::kAccuracy) continue;
    const auto it = read_in.find(rules[i].quantity);
    if (it == read_in.end() || results[i].verdict == rules::Verdict::kError) continue;
    results[i].message += "; read in " + it->second;
  }
}

}  // namespace

std::vector<rules::RuleResult> judge(const std::vector<rules::Rule>& rules, const Observe& observe,
                                     const rules::Truth& truth,
                                     const rules::Observations& observations,
                                     const std::vector<Frame>& frames,
                                     const std::vector<ObserverProblem>& problems) {
  std::vector<rules::RuleResult> results = rules::evaluate_all(rules, truth, observations);
  attach_frames(results, frames);
  blame_adapter(rules, problems, results);
  note_passed_over(rules, problems, results);
  note_units(rules, observe, results);
  return results;
}

// What a case error makes of the verdicts: a failure found stays a failure; a pass or an
// inconclusive verdict on a broken run is no evidence, so it becomes an error with the reason.
void mark_errors(CaseResult& result) {
  for (auto& r : result.rules) {
    if (r.verdict == rules::Verdict::kFail) continue;
    r.verdict = rules::Verdict::kError;
    r.message = "case error: " + result.error;
  }
}

std::string case_verdict(const CaseResult& result) {
  bool failed = false;
  for (const auto& r : result.rules) {
    if (r.verdict == rules::Verdict::kError) return "error";
    failed = failed || r.verdict == rules::Verdict::kFail;
  }
  if (result.status == "error") return "error";
  return failed ? "fail" : "pass";
}

}  // namespace twincert::harness

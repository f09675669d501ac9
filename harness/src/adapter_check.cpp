#include "twincert/harness/adapter_check.hpp"

#include <algorithm>
#include <chrono>
#include <set>

#include "twincert/base/config_error.hpp"
#include "twincert/harness/case_runner.hpp"
#include "twincert/harness/observer.hpp"

namespace twincert::harness {

namespace {

constexpr std::size_t kFirstValues = 3;

// A mapping the adapter declares, for the report even when it was never looked for.
struct Declared {
  std::string key;
  std::string pointer;
  std::string expected;
  std::string affects;
  bool in_entries = false;  // looked for in each entry of a list (alerts, targets)
};

std::vector<Declared> declared_mappings(const Observe& o) {
  std::vector<Declared> out;
  // The keys the observer tallies under (observer.cpp): one per pointer, nested table levels
  // as ".each", a value of two pointers as ".sum[0]" and ".sum[1]".
  const auto values = [&](const std::string& at, const std::vector<JsonValueMap>& maps) {
    for (const auto& m : maps) {
      const std::string base = at + ".values." + m.name;
      if (m.combine == Combine::kNone) {
        out.push_back({base + ".value", m.value_pointer, "a number", m.name});
      } else {
        const std::string how = base + "." + std::string(name_of(m.combine));
        out.push_back({how + "[0]", m.value_pointer, "a number", m.name});
        out.push_back({how + "[1]", m.second_pointer, "a number", m.name});
      }
      if (!m.time_pointer.empty()) {
        out.push_back({base + ".time", m.time_pointer, "a time (unix seconds or ISO 8601 UTC)",
                       m.name, true});
      }
    }
  };
  const auto table = [&](const std::string& base, const Table& t, const std::string& affects) {
    for (std::size_t level = 0; level < t.levels.size(); ++level) {
      out.push_back({table_key(base, level), t.levels[level].at,
                     std::string(describe(t.levels[level].shape)), affects, level > 0});
    }
  };
  for (std::size_t i = 0; i < o.http.size(); ++i) {
    values("observe.http[" + std::to_string(i) + "]", o.http[i].values);
  }
  for (std::size_t i = 0; i < o.json_lines.size(); ++i) {
    const auto& s = o.json_lines[i];
    values(s.key.empty() ? "observe.json_lines[" + std::to_string(i) + "]" : s.key, s.values);
  }
  for (const auto& m : o.sentences.values) {  // tallied by the sentence observer, likewise
    out.push_back(
        {"observe.sentences.values." + m.name + ".field", describe_fields(m), "a number", m.name});
  }
  if (o.alerts) {
    for (std::size_t i = 0; i < o.alerts->lists.size(); ++i) {
      table("observe.alerts.lists[" + std::to_string(i) + "]", o.alerts->lists[i], "alerts");
    }
    out.push_back({"observe.alerts.condition", o.alerts->condition, "a text", "alerts", true});
    if (!o.alerts->subject.constant) {
      out.push_back({"observe.alerts.subject", o.alerts->subject.pointer,
                     "a text or a list of texts", "alerts", true});
    }
  }
  if (o.targets) {
    table("observe.targets.list", o.targets->list, "targets");
    out.push_back({"observe.targets.mmsi", o.targets->mmsi, "an MMSI", "targets", true});
  }
  return out;
}

MappingCheck check_of(const Declared& d, const std::vector<MappingFindings>& findings,
                      const rules::Observations& o) {
  MappingCheck c;
  c.key = d.key;
  c.pointer = d.pointer;
  c.expected = d.expected;
  c.affects = d.affects;
  const auto f = std::find_if(findings.begin(), findings.end(),
                              [&](const MappingFindings& x) { return x.key == d.key; });
  if (f == findings.end() || f->answers == 0) {
    // Never looked for: an entry pointer with no entry to look in (no alert, no target, or a
    // time whose value was never a number) is untried; a top-level one had no answer at all.
    c.untried = d.in_entries;
    return c;
  }
  c.answers = f->answers;
  c.found = f->found;
  c.absent = f->absent;
  c.nulls = f->nulls;
  c.other = f->other;
  if (d.key.ends_with(".value")) {
    for (const auto& v : o.values) {
      if (v.name != d.affects) continue;
      c.first_values.push_back(v.value);
      if (c.first_values.size() == kFirstValues) break;
    }
  }
  return c;
}

}  // namespace

const std::vector<std::string>& truth_conditions() {
  static const std::vector<std::string> conditions = [] {
    std::vector<std::string> v = {
        "blackout",      "close_quarters", "door_open_at_sea", "engine_failure",
        "fire",          "input_frozen",   "input_invalid",    "input_lost",
        "position_jump", "shallow_water",  "steering_failure", "time_inconsistent",
        "water_ingress"};
    std::sort(v.begin(), v.end());
    return v;
  }();
  return conditions;
}

bool AdapterCheckReport::all_yielded() const {
  if (!started) return false;
  return std::all_of(mappings.begin(), mappings.end(),
                     [](const MappingCheck& m) { return m.untried || m.yielded(); });
}

AdapterCheckReport check_adapter(const TwinAdapter& adapter, const AdapterCheckOptions& options) {
  if (!(options.seconds > 0.0) || options.seconds > 24 * 3600.0) {
    throw ConfigError("--seconds: expected seconds of stream, > 0 and at most a day");
  }
  CaseSpec spec;
  spec.id = options.scenario + "/adapter-check/s" + std::to_string(options.seed);
  spec.scenario = options.scenario;
  spec.seed = options.seed;
  spec.duration_s = options.seconds;
  CaseSetup setup;
  setup.adapter = adapter;
  setup.cases_dir = options.work_dir;
  setup.reference_twin = options.reference_twin;
  setup.tool = options.tool;
  setup.allow_external = options.allow_external;
  // Long enough for a twin paced in real time, plus its start and stop.
  setup.timeout = std::chrono::milliseconds(static_cast<long>(options.seconds * 1000.0) + 60'000);
  std::vector<MappingFindings> findings;
  rules::Observations observations;
  bool observed = false;
  setup.inspect = [&](const Observer& observer) {
    findings = observer.mapping_findings();
    observations = observer.observations();
    observed = true;
  };
  const CaseResult result = run_case(spec, setup, nullptr);

  AdapterCheckReport report;
  report.adapter = adapter.name;
  report.case_dir = result.dir;
  report.started = observed;
  report.frames_sent = result.frames;
  if (result.status == "error") report.error = result.error;
  for (const auto& d : declared_mappings(adapter.observe)) {
    report.mappings.push_back(check_of(d, findings, observations));
  }
  const auto samples = [&](const char* key, rules::ProbeKind kind, const char* expected) {
    MappingCheck c;
    c.key = key;
    c.expected = expected;
    c.affects = "liveness";
    for (const auto& p : observations.probes) {
      if (p.kind != kind) continue;
      ++c.answers;
      if (p.answered) ++c.found;
    }
    report.mappings.push_back(std::move(c));
  };
  if (adapter.observe.liveness_url) {
    samples("observe.liveness", rules::ProbeKind::kApi, "an answer");
  }
  if (adapter.observe.process_every.count() > 0) {
    samples("observe.process", rules::ProbeKind::kProcess, "the process running");
  }
  const auto& known = truth_conditions();
  std::set<std::string> unknown;
  for (const auto& a : observations.alerts) {
    if (a.change != rules::AlertChange::kRaised) continue;
    ++report.alert_words[a.condition + " " + a.subject];
    if (!std::binary_search(known.begin(), known.end(), a.condition)) unknown.insert(a.condition);
  }
  report.unknown_conditions.assign(unknown.begin(), unknown.end());
  report.sentences = observations.sentences.size();
  report.heartbeats = observations.heartbeats_s.size();
  for (const auto& p : result.problems) {
    report.problems.push_back(p.what + " (" + std::to_string(p.count) + " times)");
  }
  return report;
}

}  // namespace twincert::harness

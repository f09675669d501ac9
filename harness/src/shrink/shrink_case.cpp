#include "twincert/harness/shrink/shrink_case.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <ctime>
#include <fstream>
#include <utility>

#include "twincert/base/config_error.hpp"
#include "twincert/generators/sensors.hpp"

namespace twincert::harness::shrink {
namespace {

using json = nlohmann::json;

// The shortest decimal that reads back as `v` (what parse_duration_s and JSON readers take).
std::string number_text(double v) {
  std::array<char, 32> buf{};
  const auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), v);
  return ec == std::errc{} ? std::string(buf.data(), end) : std::to_string(v);
}

std::string utc_text(std::int64_t unix_s) {
  const auto t = static_cast<std::time_t>(unix_s);
  std::tm tm{};
  gmtime_r(&t, &tm);
  std::array<char, 32> buf{};
  const auto n = std::strftime(buf.data(), buf.size(), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return {buf.data(), n};
}

std::vector<std::string> formatters_of(const generators::SensorSpec& sensor) {
  if (!sensor.sentences.empty()) return sensor.sentences;
  for (const auto& [kind, defaults] : generators::sensor_kinds()) {
    if (kind == sensor.kind) return defaults;
  }
  return {};
}

// [from, to) of an item clipped to the span and moved by its start; nullopt when outside.
std::optional<std::pair<double, double>> moved(double from, double to, const Candidate& c) {
  const double a = std::max(from, c.from_s);
  const double b = std::min(to, c.to_s);
  if (b <= a) return std::nullopt;
  return std::pair(a - c.from_s, b - c.from_s);
}

std::string fault_text(const generators::FaultSpec& f, double start_s, double duration_s) {
  std::string s =
      f.kind + ":" + f.source + "@" + number_text(start_s) + "+" + number_text(duration_s);
  for (const auto& [key, value] : f.params) s += "," + key + "=" + number_text(value);
  return s;
}

json sensor_json(const generators::SensorSpec& s, const std::vector<std::string>& formatters) {
  json j = {{"kind", s.kind},
            {"source", s.source},
            {"talker", s.talker},
            {"rate_hz", s.rate_hz},
            {"sentences", formatters}};
  if (!s.params.empty()) {
    json params = json::object();
    for (const auto& [key, value] : s.params) params[key] = value;
    j["params"] = params;
  }
  return j;
}

json target_json(const generators::Target& t) {
  return {{"mmsi", t.mmsi},           {"name", t.name},
          {"call_sign", t.call_sign}, {"class", t.class_b ? "B" : "A"},
          {"ship_type", t.ship_type}, {"length_m", t.length_m},
          {"beam_m", t.beam_m},       {"lat", t.start.lat_deg},
          {"lon", t.start.lon_deg},   {"course_deg", t.course_deg},
          {"speed_kn", t.speed_kn}};
}

}  // namespace

std::string shape_of(const std::string& text) {
  const auto digit = [&](std::size_t i) {
    return i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])) != 0;
  };
  const auto word = [&](std::size_t i) {
    return i < text.size() &&
           (std::isalnum(static_cast<unsigned char>(text[i])) != 0 || text[i] == '_');
  };
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    if (std::isalpha(static_cast<unsigned char>(text[i])) != 0 || text[i] == '_') {
      // A word keeps its digits: a source "HE0001" says which sensor failed.
      const std::size_t from = i;
      while (word(i)) ++i;
      out.append(text, from, i - from);
    } else if (digit(i) || ((text[i] == '-' || text[i] == '+') && digit(i + 1))) {
      ++i;
      while (digit(i) || (text[i] == '.' && digit(i + 1)) ||
             (text[i] == 'e' &&
              (digit(i + 1) || ((text[i + 1] == '-' || text[i + 1] == '+') && digit(i + 2))))) {
        i += text[i] == 'e' && !digit(i + 1) ? 2U : 1U;
      }
      out += '#';
    } else {
      out += text[i++];
    }
  }
  return out;
}

std::optional<FailureSignature> failure_of(const CaseResult& result, const std::string& rule_id) {
  for (const auto& r : result.rules) {
    if (r.verdict != rules::Verdict::kFail) continue;
    if (!rule_id.empty() && r.rule_id != rule_id) continue;
    FailureSignature s;
    s.rule_id = r.rule_id;
    for (const auto& e : r.evidence) s.shapes.insert(shape_of(e.expected + " / " + e.observed));
    if (s.shapes.empty()) s.shapes.insert(shape_of(r.message));
    return s;
  }
  return std::nullopt;
}

rules::Verdict verdict_of(const CaseResult& result, const std::string& rule_id) {
  for (const auto& r : result.rules) {
    if (r.rule_id == rule_id) return r.verdict;
  }
  return rules::Verdict::kInconclusive;
}

bool same_failure(const FailureSignature& original, const FailureSignature& now) {
  if (original.rule_id != now.rule_id) return false;
  return std::any_of(original.shapes.begin(), original.shapes.end(),
                     [&](const std::string& s) { return now.shapes.contains(s); });
}

CaseSubject case_subject(const CaseSpec& spec) {
  CaseSubject cs;
  cs.scenario = generators::load_scenario(spec.scenario);
  if (spec.duration_s > 0.0) cs.scenario.duration_s = spec.duration_s;
  cs.faults = cs.scenario.faults;
  for (const auto& f : spec.faults) {
    auto fault = generators::parse_fault(f);
    generators::add_fault(cs.scenario, fault);
    cs.faults.push_back(std::move(fault));
  }
  const generators::Scenario& sc = cs.scenario;
  Subject& s = cs.subject;
  s.duration_s = sc.duration_s;
  for (std::size_t i = 0; i < sc.sensors.size(); ++i) {
    s.sensors.push_back(sc.sensors[i].source);
    for (const auto& f : formatters_of(sc.sensors[i])) s.families.push_back({i, f});
  }
  for (const auto& e : sc.events) {
    const double end = e.duration_s > 0 ? e.at_s + e.duration_s : sc.duration_s;
    s.events.push_back({e.kind + "@" + number_text(e.at_s), e.at_s, end, std::nullopt});
  }
  for (const auto& f : cs.faults) {
    std::optional<std::size_t> sensor;
    for (std::size_t i = 0; i < sc.sensors.size(); ++i) {
      if (sc.sensors[i].source == f.source) sensor = i;
    }
    s.faults.push_back({f.text, f.start_s, f.start_s + f.duration_s, sensor});
  }
  for (const auto& t : sc.traffic) s.targets.push_back("mmsi:" + std::to_string(t.mmsi));
  const auto& env = sc.environment;
  if (env.wind_speed_kn > 0 || env.gust_kn > 0 || env.current_drift_kn > 0) {
    cs.simplifications.emplace_back("calm_sea");
  }
  if (!sc.anchorage && sc.route.size() > 2) cs.simplifications.emplace_back("straight_route");
  s.simplifications = cs.simplifications;
  return cs;
}

json scenario_json(const CaseSubject& cs, const Candidate& c) {
  const generators::Scenario& sc = cs.scenario;
  // The scenario as written (it loaded, so it parses), less what the candidate changes.
  json doc = json::parse(sc.source_text);
  doc["duration_s"] = c.to_s - c.from_s;
  doc["start_utc"] = utc_text(sc.start_unix_s + static_cast<std::int64_t>(c.from_s));
  json sensors = json::array();
  for (const auto i : c.sensors) {
    std::vector<std::string> formatters;
    for (const auto f : c.families) {
      if (cs.subject.families[f].sensor == i) {
        formatters.push_back(cs.subject.families[f].formatter);
      }
    }
    sensors.push_back(sensor_json(sc.sensors[i], formatters));
  }
  doc["sensors"] = sensors;
  json events = json::array();
  for (const auto i : c.events) {
    const auto& e = sc.events[i];
    const auto span = moved(e.at_s, cs.subject.events[i].to_s, c);
    if (!span) continue;
    json j = {{"at_s", span->first}, {"kind", e.kind}};
    // An event to the end of the run stays one; a clipped one lasts what is left of it.
    if (e.duration_s > 0) j["duration_s"] = span->second - span->first;
    for (const auto& [key, value] : e.params) j[key] = value;
    events.push_back(j);
  }
  doc.erase("events");
  if (!events.empty()) doc["events"] = events;
  json faults = json::array();
  for (const auto i : c.faults) {
    const auto& f = cs.faults[i];
    const auto span = moved(f.start_s, f.start_s + f.duration_s, c);
    if (span) faults.push_back(fault_text(f, span->first, span->second - span->first));
  }
  for (const auto& w : c.silenced) {
    const auto span = moved(w.from_s, w.to_s, c);
    if (!span) continue;
    generators::FaultSpec dropout;
    dropout.kind = "dropout";
    dropout.source = sc.sensors[w.sensor].source;
    faults.push_back(fault_text(dropout, span->first, span->second - span->first));
  }
  doc.erase("faults");
  if (!faults.empty()) doc["faults"] = faults;
  json traffic = json::array();
  for (const auto i : c.targets) traffic.push_back(target_json(sc.traffic[i]));
  doc.erase("random_targets");
  doc.erase("traffic");
  if (!traffic.empty()) doc["traffic"] = traffic;
  for (const auto i : c.simplifications) {
    const std::string& what = cs.simplifications[i];
    if (what == "calm_sea") {
      json& env = doc["environment"];
      env["wind_speed_kn"] = 0.0;
      env["gust_kn"] = 0.0;
      env["current_drift_kn"] = 0.0;
    } else if (what == "straight_route") {
      doc["route"] = json::array({doc["route"].front(), doc["route"].back()});
    }
  }
  return doc;
}

ShrinkOutcome shrink_case(const CaseResult& failed, const CaseSetup& setup,
                          const ShrinkOptions& options) {
  ShrinkOutcome out;
  const auto failure = failure_of(failed, options.rule_id);
  if (!failure) {
    throw ConfigError("case " + failed.spec.id + ": " +
                      (options.rule_id.empty() ? std::string("no rule failed")
                                               : "rule " + options.rule_id + " did not fail") +
                      ", nothing to shrink");
  }
  out.failure = *failure;
  CaseSubject cs = case_subject(failed.spec);
  cs.subject.warmup_s = options.warmup_s;
  const auto trials_dir = options.work_dir / "trials";
  std::filesystem::create_directories(trials_dir);
  // Writes a candidate's scenario (as JSON) and names the case that runs it.
  const auto spec_for = [&](const json& scenario, const std::filesystem::path& file,
                            const std::string& id) {
    std::ofstream(file) << scenario.dump(2) << '\n';
    CaseSpec spec;
    spec.id = id;
    spec.scenario = file.string();
    spec.seed = failed.spec.seed;
    spec.repetition = failed.spec.repetition;
    return spec;
  };
  CaseSetup trial_setup = setup;
  trial_setup.cases_dir = trials_dir;
  CaseSetup correct_setup = trial_setup;
  correct_setup.mutant.clear();
  const bool differential = options.differential && !setup.mutant.empty();
  std::size_t n = 0;
  const Trial trial = [&](const Candidate& c) {
    const std::string id = "trial-" + std::to_string(++n);
    const auto file = trials_dir / (id + ".scenario.json");
    TrialOutcome outcome = TrialOutcome::kDifferent;
    try {
      const CaseSpec spec = spec_for(scenario_json(cs, c), file, id);
      const CaseResult r = run_case(spec, trial_setup);
      const auto now = failure_of(r, out.failure.rule_id);
      if (now && same_failure(out.failure, *now)) outcome = TrialOutcome::kSameFailure;
      if (!options.keep_trials) std::filesystem::remove_all(r.dir);
      if (outcome == TrialOutcome::kSameFailure && differential) {
        CaseSpec correct_spec = spec;
        correct_spec.id = id + "-correct";
        const CaseResult cr = run_case(correct_spec, correct_setup);
        ++out.correct_twin_runs;
        if (verdict_of(cr, out.failure.rule_id) != rules::Verdict::kPass) {
          outcome = TrialOutcome::kDifferent;
        }
        if (!options.keep_trials) std::filesystem::remove_all(cr.dir);
      }
    } catch (const ConfigError&) {
      outcome = TrialOutcome::kError;  // a candidate the generator refuses
    }
    if (!options.keep_trials) std::filesystem::remove(file);
    return outcome;
  };
  ReduceOptions reduce_options = options.reduce;
  reduce_options.stream_of = nullptr;
  out.reduction = reduce(cs.subject, trial, reduce_options);
  if (!options.keep_trials) std::filesystem::remove_all(trials_dir);

  out.scenario = scenario_json(cs, out.reduction.candidate);
  out.spec = spec_for(out.scenario, options.work_dir / "scenario.json", "shrunk");
  CaseSetup final_setup = setup;
  final_setup.cases_dir = options.work_dir;
  out.shrunk = run_case(out.spec, final_setup);
  if (!setup.mutant.empty()) {
    CaseSetup correct = final_setup;
    correct.mutant.clear();
    CaseSpec spec = out.spec;
    spec.id = "correct-twin";
    out.correct_twin = run_case(spec, correct);
  }
  out.sentences_before = failed.frames;
  out.sentences_after = out.shrunk.frames;
  return out;
}

}  // namespace twincert::harness::shrink

#include "twincert/harness/evidence_files.hpp"

#include <algorithm>
#include <array>
#include <fstream>
#include <set>
#include <string>
#include <string_view>
#include <utility>

#include "twincert/base/config_error.hpp"
#include "twincert/base/json_fields.hpp"
#include "twincert/rules/evaluate.hpp"

namespace twincert::harness {

namespace {

using json_fields::field;
using json_fields::optional_field;
using nlohmann::json;

// State quantities the truth records (docs/formats/truth.md).
const std::set<std::string, std::less<>>& truth_quantities() {
  static const std::set<std::string, std::less<>> names = {
      "lat",           "lon",           "heading_deg", "cog_deg",  "sog_kn",
      "stw_kn",        "rot_deg_min",   "rudder_deg",  "rpm",      "depth_m",
      "wind_speed_kn", "wind_from_deg", "roll_deg",    "pitch_deg"};
  return names;
}

std::ifstream open(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) throw ConfigError("cannot read " + path.string());
  return in;
}

// The numeric keys of a rule and where they go (docs/formats/rules.md has their meaning).
const std::array<std::pair<std::string_view, double rules::Rule::*>, 20> kRuleNumbers{{
    {"within_s", &rules::Rule::within_s},
    {"grace_s", &rules::Rule::grace_s},
    {"early_s", &rules::Rule::early_s},
    {"after_blackout_s", &rules::Rule::after_blackout_s},
    {"tolerance", &rules::Rule::tolerance},
    {"min_fraction", &rules::Rule::min_fraction},
    {"min_values_per_s", &rules::Rule::min_values_per_s},
    {"min_coverage", &rules::Rule::min_coverage},
    {"period_s", &rules::Rule::period_s},
    {"tolerance_s", &rules::Rule::tolerance_s},
    {"tolerance_fraction", &rules::Rule::tolerance_fraction},
    {"max_latency_ms", &rules::Rule::max_latency_ms},
    {"max_rss_bytes", &rules::Rule::max_rss_bytes},
    {"max_rss_growth_bytes", &rules::Rule::max_rss_growth_bytes},
    {"after_s", &rules::Rule::after_s},
    {"name_within_s", &rules::Rule::name_within_s},
    {"cpa_tolerance_nm", &rules::Rule::cpa_tolerance_nm},
    {"tcpa_tolerance_min", &rules::Rule::tcpa_tolerance_min},
    {"encounter_cpa_nm", &rules::Rule::encounter_cpa_nm},
    {"encounter_tcpa_min", &rules::Rule::encounter_tcpa_min},
}};

}  // namespace

rules::Rule rule_from_json(const json& j, const std::string& where) {
  static const std::set<std::string, std::less<>> known = {"id",          "requirements", "kind",
                                                           "conditions",  "quantity",     "angle",
                                                           "description", "sensor",       "period"};
  if (!j.is_object()) throw ConfigError(where + ": a rule is a JSON object");
  for (const auto& item : j.items()) {
    const std::string& key = item.key();
    const bool number = std::any_of(kRuleNumbers.begin(), kRuleNumbers.end(),
                                    [&key](const auto& n) { return n.first == key; });
    if (!known.contains(key) && !number) {
      std::string what = where;
      what += R"(: unknown key ")";
      what += key;
      what += '"';
      throw ConfigError(what);
    }
  }
  rules::Rule r;
  r.id = field<std::string>(j, "id", where);
  const std::string at = where + " (rule " + r.id + ")";
  r.requirements = optional_field<std::vector<std::string>>(j, "requirements", {}, at);
  const auto kind = field<std::string>(j, "kind", at);
  if (!rules::rule_kind_named(kind, r.kind)) {
    throw ConfigError(at + ": unknown kind \"" + kind +
                      "\" (syntax, deadline, recovery, no_false_alarm, accuracy, heartbeat, "
                      "liveness, resources, targets)");
  }
  r.conditions = optional_field<std::vector<std::string>>(j, "conditions", {}, at);
  r.quantity = optional_field<std::string>(j, "quantity", "", at);
  r.angle = optional_field<bool>(j, "angle", false, at);
  r.sensor = optional_field<std::string>(j, "sensor", "", at);
  const auto period = optional_field<std::string>(j, "period", "fixed", at);
  if (period != "fixed" && period != "announced") {
    throw ConfigError(at +
                      R"(: "period" is "announced" (what each HBT announces) or "fixed" )"
                      R"((period_s), got ")" +
                      period + '"');
  }
  r.period_announced = period == "announced";
  for (const auto& [key, member] : kRuleNumbers) {
    r.*member = optional_field<double>(j, std::string(key).c_str(), r.*member, at);
  }
  if (r.kind == rules::RuleKind::kAccuracy && !truth_quantities().contains(r.quantity)) {
    throw ConfigError(at +
                      ": an accuracy rule needs a \"quantity\" the truth records (heading_deg, "
                      "sog_kn, ...), got \"" +
                      r.quantity + "\"");
  }
  return r;
}

std::vector<rules::Rule> load_rules(const std::filesystem::path& path) {
  auto in = open(path);
  const json doc = json::parse(in, nullptr, false);
  if (doc.is_discarded()) throw ConfigError(path.string() + ": not valid JSON");
  return rules_from_json(doc, path.string());
}

std::vector<rules::Rule> rules_from_json(const json& doc, const std::string& where) {
  if (!doc.is_object() || doc.value("schema", "") != "twincert.rules/1" || !doc.contains("rules") ||
      !doc["rules"].is_array()) {
    throw ConfigError(where + R"(: expected {"schema": "twincert.rules/1", "rules": [...]})");
  }
  std::vector<rules::Rule> out;
  std::set<std::string> ids;
  for (std::size_t i = 0; i < doc["rules"].size(); ++i) {
    out.push_back(rule_from_json(doc["rules"][i], where + ": rules[" + std::to_string(i) + "]"));
    if (!ids.insert(out.back().id).second) {
      throw ConfigError(where + ": rule id \"" + out.back().id + "\" twice");
    }
  }
  return out;
}

rules::Truth load_truth(const std::filesystem::path& given) {
  const auto path = std::filesystem::is_directory(given) ? given / "truth.jsonl" : given;
  auto in = open(path);
  rules::Truth truth;
  std::size_t n = 0;
  for (std::string line; std::getline(in, line);) {
    ++n;
    const json r = json::parse(line, nullptr, false);
    const std::string where = path.string() + ":" + std::to_string(n);
    if (r.is_discarded() || !r.is_object()) throw ConfigError(where + ": not a JSON object");
    const std::string kind = r.value("kind", "");
    if (kind == "header") {
      truth.duration_s = field<double>(r, "duration_s", where);
      truth.start_unix_s = optional_field<double>(r, "start_unix_s", 0.0, where);
    } else if (kind == "expect") {
      rules::Expectation e;
      e.condition = field<std::string>(r, "condition", where);
      e.subject = field<std::string>(r, "source", where);
      if (e.subject == "ship" && e.condition == "close_quarters") {
        e.subject = "mmsi:" + std::to_string(field<std::int64_t>(r, "mmsi", where));
      }
      e.from_s = field<double>(r, "from_s", where);
      e.until_s = field<double>(r, "until_s", where);
      truth.expectations.push_back(std::move(e));
    } else if (kind == "sensor_health") {
      truth.health.push_back({field<std::string>(r, "sensor", where),
                              field<std::string>(r, "source", where),
                              field<std::string>(r, "status", where),
                              field<double>(r, "from_s", where), field<double>(r, "to_s", where)});
    } else if (kind == "target") {
      rules::TruthTarget t;
      t.t_s = field<double>(r, "t", where);
      t.mmsi = field<std::uint32_t>(r, "mmsi", where);
      if (r.contains("name") && r["name"].is_string()) t.name = r["name"].get<std::string>();
      t.lat = field<double>(r, "lat", where);
      t.lon = field<double>(r, "lon", where);
      t.cpa_nm = optional_field<double>(r, "cpa_nm", 0.0, where);
      t.tcpa_min = optional_field<double>(r, "tcpa_min", 0.0, where);
      truth.targets.push_back(std::move(t));
    } else if (kind == "state") {
      truth.state.t_s.push_back(field<double>(r, "t", where));
      for (const auto& name : truth_quantities()) {
        if (r.contains(name) && r[name].is_number()) {
          truth.state.values[name].push_back(r[name].get<double>());
        }
      }
    }
  }
  // Keep only quantities present in every state record, so the series line up with t_s.
  std::erase_if(truth.state.values,
                [&](const auto& kv) { return kv.second.size() != truth.state.t_s.size(); });
  return truth;
}

namespace {

std::string hex_of(std::string_view bytes) {
  constexpr std::string_view kDigits = "0123456789abcdef";
  std::string out;
  out.reserve(2 * bytes.size());
  for (const char c : bytes) {
    const auto b = static_cast<unsigned char>(c);
    out += kDigits[b >> 4U];
    out += kDigits[b & 15U];
  }
  return out;
}

bool bytes_from_hex(std::string_view hex, std::string& out) {
  if (hex.size() % 2 != 0) return false;
  const auto digit = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  out.clear();
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    const int high = digit(hex[i]);
    const int low = digit(hex[i + 1]);
    if (high < 0 || low < 0) return false;
    out += static_cast<char>(high * 16 + low);
  }
  return true;
}

}  // namespace

void append_observation_json(const json& o, rules::Observations& into, const std::string& where) {
  if (!o.is_object()) throw ConfigError(where + ": not a JSON object");
  const auto kind = field<std::string>(o, "kind", where);
  const auto t = field<double>(o, "t", where);
  if (kind == "alert") {
    const auto change = field<std::string>(o, "change", where);
    if (change != "raised" && change != "cleared" && change != "acknowledged") {
      throw ConfigError(where + ": change is raised, cleared or acknowledged");
    }
    into.alerts.push_back({t, field<std::string>(o, "condition", where),
                           field<std::string>(o, "subject", where),
                           change == "raised"    ? rules::AlertChange::kRaised
                           : change == "cleared" ? rules::AlertChange::kCleared
                                                 : rules::AlertChange::kAcknowledged});
  } else if (kind == "value") {
    into.values.push_back(
        {t, field<std::string>(o, "name", where), field<double>(o, "value", where)});
  } else if (kind == "sentence") {
    into.sentences.push_back({t, field<std::string>(o, "text", where)});
  } else if (kind == "heartbeat") {
    into.heartbeats_s.push_back(t);
  } else if (kind == "datagram") {
    rules::DatagramObservation d;
    d.t_s = t;
    const auto hex = field<std::string>(o, "hex", where);
    if (!bytes_from_hex(hex, d.bytes) || d.bytes.size() > rules::kMaxDatagramBytesKept) {
      throw ConfigError(where + ": hex holds up to " +
                        std::to_string(rules::kMaxDatagramBytesKept) + " bytes as hex digits");
    }
    d.size = optional_field<std::size_t>(o, "size", d.bytes.size(), where);
    into.datagrams.push_back(std::move(d));
  } else if (kind == "probe") {
    rules::ProbeObservation p;
    p.t_s = t;
    const auto probe = optional_field<std::string>(o, "probe", "api", where);
    if (probe != "api" && probe != "process") {
      throw ConfigError(where + ": probe is api or process");
    }
    p.kind = probe == "api" ? rules::ProbeKind::kApi : rules::ProbeKind::kProcess;
    p.answered = optional_field<bool>(o, "answered", true, where);
    p.latency_ms = optional_field<double>(o, "latency_ms", 0.0, where);
    if (o.contains("rss_bytes")) p.rss_bytes = field<double>(o, "rss_bytes", where);
    if (o.contains("cpu_percent")) p.cpu_percent = field<double>(o, "cpu_percent", where);
    into.probes.push_back(p);
  } else if (kind == "target") {
    rules::TargetObservation x;
    x.t_s = t;
    x.mmsi = field<std::uint32_t>(o, "mmsi", where);
    if (o.contains("lat")) x.lat = field<double>(o, "lat", where);
    if (o.contains("lon")) x.lon = field<double>(o, "lon", where);
    if (o.contains("name")) x.name = field<std::string>(o, "name", where);
    if (o.contains("cpa_nm")) x.cpa_nm = field<double>(o, "cpa_nm", where);
    if (o.contains("tcpa_min")) x.tcpa_min = field<double>(o, "tcpa_min", where);
    x.encounter_t_s = optional_field<double>(o, "encounter_t", t, where);
    into.targets.push_back(std::move(x));
  } else {
    throw ConfigError(where + ": unknown observation kind \"" + kind +
                      "\" (alert, value, sentence, heartbeat, datagram, probe, target)");
  }
}

rules::Observations load_observations(const std::filesystem::path& path) {
  auto in = open(path);
  rules::Observations o;
  std::size_t n = 0;
  for (std::string line; std::getline(in, line);) {
    ++n;
    if (line.empty()) continue;
    const json j = json::parse(line, nullptr, false);
    const std::string where = path.string() + ":" + std::to_string(n);
    if (j.is_discarded()) throw ConfigError(where + ": not valid JSON");
    append_observation_json(j, o, where);
  }
  return o;
}

std::vector<json> observation_records(const rules::Observations& o) {
  std::vector<json> out;
  out.reserve(o.alerts.size() + o.values.size() + o.sentences.size() + o.heartbeats_s.size() +
              o.probes.size() + o.targets.size() + o.datagrams.size());
  for (const auto& a : o.alerts) {
    out.push_back({{"kind", "alert"},
                   {"t", a.t_s},
                   {"condition", a.condition},
                   {"subject", a.subject},
                   {"change", a.change == rules::AlertChange::kRaised    ? "raised"
                              : a.change == rules::AlertChange::kCleared ? "cleared"
                                                                         : "acknowledged"}});
  }
  for (const auto& v : o.values) {
    out.push_back({{"kind", "value"}, {"t", v.t_s}, {"name", v.name}, {"value", v.value}});
  }
  for (const auto& s : o.sentences) {
    out.push_back({{"kind", "sentence"}, {"t", s.t_s}, {"text", s.text}});
  }
  for (const double t : o.heartbeats_s) out.push_back({{"kind", "heartbeat"}, {"t", t}});
  for (const auto& d : o.datagrams) {
    // Hex: a datagram holds a NUL after its token and may hold any byte a faulty twin sends.
    out.push_back({{"kind", "datagram"}, {"t", d.t_s}, {"hex", hex_of(d.bytes)}, {"size", d.size}});
  }
  for (const auto& p : o.probes) {
    json j = {{"kind", "probe"},
              {"t", p.t_s},
              {"probe", p.kind == rules::ProbeKind::kApi ? "api" : "process"},
              {"answered", p.answered}};
    if (p.kind == rules::ProbeKind::kApi) j["latency_ms"] = p.latency_ms;
    if (p.rss_bytes) j["rss_bytes"] = *p.rss_bytes;
    if (p.cpu_percent) j["cpu_percent"] = *p.cpu_percent;
    out.push_back(std::move(j));
  }
  for (const auto& x : o.targets) {
    json j = {{"kind", "target"}, {"t", x.t_s}, {"mmsi", x.mmsi}};
    if (x.lat) j["lat"] = *x.lat;
    if (x.lon) j["lon"] = *x.lon;
    if (x.name) j["name"] = *x.name;
    if (x.cpa_nm) j["cpa_nm"] = *x.cpa_nm;
    if (x.tcpa_min) j["tcpa_min"] = *x.tcpa_min;
    if (x.cpa_nm || x.tcpa_min) j["encounter_t"] = x.encounter_t_s;
    out.push_back(std::move(j));
  }
  std::stable_sort(out.begin(), out.end(), [](const json& a, const json& b) {
    return a["t"].get<double>() < b["t"].get<double>();
  });
  return out;
}

void write_observations(const std::filesystem::path& path, const rules::Observations& o) {
  const auto partial = std::filesystem::path(path.string() + ".partial");
  {
    std::ofstream out(partial, std::ios::binary | std::ios::trunc);
    if (!out) throw ConfigError("cannot write " + partial.string());
    for (const auto& record : observation_records(o)) {
      out << record.dump(-1, ' ', false, json::error_handler_t::replace) << '\n';
    }
    if (!out.flush()) throw ConfigError("cannot write " + partial.string());
  }
  std::filesystem::rename(partial, path);
}

json to_json(const rules::RuleResult& r) {
  json evidence = json::array();
  for (const auto& e : r.evidence) {
    json item = {{"t", e.t_s}, {"expected", e.expected}, {"observed", e.observed}};
    if (!e.frames.empty()) item["frames"] = e.frames;
    evidence.push_back(std::move(item));
  }
  json out = {{"rule", r.rule_id},
              {"requirements", r.requirements},
              {"verdict", std::string(rules::name_of(r.verdict))},
              {"message", r.message},
              {"evidence", std::move(evidence)}};
  if (r.coverage) out["coverage"] = to_json(*r.coverage);
  return out;
}

json to_json(const rules::Coverage& c) {
  return {{"values", c.values},       {"needed_values", c.needed_values},
          {"judged_s", c.judged_s},   {"truth_s", c.truth_s},
          {"fraction", c.fraction()}, {"outside_span", c.outside_span}};
}

rules::Coverage coverage_from_json(const json& j, const std::string& where) {
  return {field<std::size_t>(j, "values", where), field<std::size_t>(j, "needed_values", where),
          field<double>(j, "judged_s", where), field<double>(j, "truth_s", where),
          field<std::size_t>(j, "outside_span", where)};
}

void attach_frames(std::vector<rules::RuleResult>& results, const std::vector<Frame>& frames,
                   std::size_t per_evidence) {
  constexpr std::size_t kEvidenceWithFrames = 3;  // enough to see the moment, not a stream dump
  const bool any = std::any_of(results.begin(), results.end(), [](const rules::RuleResult& r) {
    return (r.verdict == rules::Verdict::kFail || r.verdict == rules::Verdict::kError) &&
           !r.evidence.empty();
  });
  // Most cases pass: no index of their frames to build then.
  if (!any || frames.empty() || per_evidence == 0) return;
  // Sending order is time order but for reordered or delayed frames: search a sorted index.
  std::vector<std::size_t> by_time(frames.size());
  for (std::size_t i = 0; i < frames.size(); ++i) by_time[i] = i;
  std::stable_sort(by_time.begin(), by_time.end(),
                   [&](std::size_t a, std::size_t b) { return frames[a].at_s < frames[b].at_s; });
  for (auto& r : results) {
    if (r.verdict != rules::Verdict::kFail && r.verdict != rules::Verdict::kError) continue;
    for (std::size_t k = 0; k < std::min(r.evidence.size(), kEvidenceWithFrames); ++k) {
      auto& e = r.evidence[k];
      const auto at = std::lower_bound(by_time.begin(), by_time.end(), e.t_s,
                                       [&](std::size_t i, double t) { return frames[i].at_s < t; });
      const auto centre = static_cast<std::size_t>(at - by_time.begin());
      const std::size_t first = centre > per_evidence / 2 ? centre - per_evidence / 2 : 0;
      const std::size_t last = std::min(by_time.size(), first + per_evidence);
      e.frames.clear();
      for (std::size_t i = first; i < last; ++i) {
        const Frame& f = frames[by_time[i]];
        std::array<char, 32> at_text{};
        std::snprintf(at_text.data(), at_text.size(), "t=%.3f ", f.at_s);
        e.frames.push_back(at_text.data() + f.line);
      }
    }
  }
}

}  // namespace twincert::harness

#include "twincert/harness/adapter.hpp"

#include <cmath>
#include <fstream>
#include <set>

#include <nlohmann/json.hpp>

#include "twincert/generators/config_error.hpp"
#include "twincert/harness/target.hpp"

#include "json_fields.hpp"

namespace twincert::harness {

namespace {

using generators::ConfigError;
using json_fields::field;
using json_fields::only_keys;
using json_fields::optional_field;
using nlohmann::json;

std::chrono::milliseconds ms_field(const json& j, const char* key, std::chrono::milliseconds d,
                                   const std::string& where) {
  const auto v = optional_field<double>(j, key, static_cast<double>(d.count()), where);
  if (!(v >= 0.0) || v > 86'400'000.0) {
    throw ConfigError(where + ": \"" + key + "\" must be between 0 and 86400000 ms");
  }
  return std::chrono::milliseconds(static_cast<std::int64_t>(v));
}

std::chrono::milliseconds seconds_field(const json& j, const char* key, std::chrono::milliseconds d,
                                        const std::string& where) {
  const auto v = optional_field<double>(j, key, static_cast<double>(d.count()) / 1000.0, where);
  if (!(v >= 0.0) || v > 86'400.0) {
    throw ConfigError(where + ": \"" + key + "\" must be between 0 and 86400 s");
  }
  return std::chrono::milliseconds(static_cast<std::int64_t>(v * 1000.0));
}

std::vector<JsonValueMap> values_of(const json& j, const std::string& where) {
  std::vector<JsonValueMap> out;
  if (!j.contains("values")) return out;
  if (!j["values"].is_object()) {
    throw ConfigError(where + R"(: "values" maps names to {"value": POINTER[, "time": POINTER]})");
  }
  for (const auto& [name, spec] : j["values"].items()) {
    std::string at = where;
    at += ": values.";
    at += name;
    JsonValueMap m;
    m.name = name;
    if (spec.is_string()) {
      m.value_pointer = spec.get<std::string>();
    } else {
      only_keys(spec, {"value", "time"}, at);
      m.value_pointer = field<std::string>(spec, "value", at);
      m.time_pointer = optional_field<std::string>(spec, "time", "", at);
    }
    for (const std::string* p : {&m.value_pointer, &m.time_pointer}) {
      if (!p->empty() && p->front() != '/') {
        throw ConfigError(at + ": \"" + *p + "\" is not a JSON pointer (it starts with /)");
      }
    }
    out.push_back(std::move(m));
  }
  return out;
}

Observe observe_of(const json& j, const std::string& where) {
  Observe o;
  only_keys(
      j,
      {"nmea", "http", "alerts", "targets", "json_lines", "liveness", "process", "sample_every_s"},
      where);
  o.nmea = optional_field<std::vector<std::string>>(j, "nmea", {}, where);
  if (j.contains("http")) {
    if (!j["http"].is_array()) throw ConfigError(where + ": \"http\" is a list of polls");
    for (std::size_t i = 0; i < j["http"].size(); ++i) {
      const std::string at = where + ".http[" + std::to_string(i) + "]";
      const json& p = j["http"][i];
      only_keys(p, {"get", "every_ms", "values"}, at);
      HttpPoll poll;
      poll.url = field<std::string>(p, "get", at);
      poll.every = ms_field(p, "every_ms", poll.every, at);
      poll.values = values_of(p, at);
      o.http.push_back(std::move(poll));
    }
  }
  if (j.contains("alerts")) {
    const std::string at = where + ".alerts";
    const json& a = j["alerts"];
    only_keys(a, {"get", "every_ms", "lists", "condition", "subject", "raised", "cleared"}, at);
    AlertPoll p;
    p.url = field<std::string>(a, "get", at);
    p.every = ms_field(a, "every_ms", p.every, at);
    p.lists = optional_field<std::vector<std::string>>(a, "lists", p.lists, at);
    p.condition = optional_field<std::string>(a, "condition", p.condition, at);
    p.subject = optional_field<std::string>(a, "subject", p.subject, at);
    p.raised = optional_field<std::string>(a, "raised", p.raised, at);
    p.cleared = optional_field<std::string>(a, "cleared", p.cleared, at);
    o.alerts = std::move(p);
  }
  if (j.contains("targets")) {
    const std::string at = where + ".targets";
    const json& t = j["targets"];
    only_keys(
        t, {"get", "every_ms", "list", "mmsi", "lat", "lon", "name", "time", "cpa", "tcpa", "now"},
        at);
    TargetPoll p;
    p.url = field<std::string>(t, "get", at);
    p.every = ms_field(t, "every_ms", p.every, at);
    for (auto [key, pointer] :
         {std::pair{"list", &p.list}, std::pair{"mmsi", &p.mmsi}, std::pair{"lat", &p.lat},
          std::pair{"lon", &p.lon}, std::pair{"name", &p.name}, std::pair{"time", &p.time},
          std::pair{"cpa", &p.cpa}, std::pair{"tcpa", &p.tcpa}, std::pair{"now", &p.now}}) {
      *pointer = optional_field<std::string>(t, key, *pointer, at);
      if (!pointer->empty() && pointer->front() != '/') {
        throw ConfigError(at + ": \"" + *pointer + "\" is not a JSON pointer (it starts with /)");
      }
    }
    o.targets = std::move(p);
  }
  if (j.contains("json_lines")) {
    if (!j["json_lines"].is_array()) throw ConfigError(where + ": \"json_lines\" is a list");
    for (std::size_t i = 0; i < j["json_lines"].size(); ++i) {
      const std::string at = where + ".json_lines[" + std::to_string(i) + "]";
      const json& s = j["json_lines"][i];
      only_keys(s, {"connect", "send", "match", "values"}, at);
      JsonLinesStream stream;
      stream.url = field<std::string>(s, "connect", at);
      stream.opening = optional_field<std::string>(s, "send", "", at);
      if (s.contains("match")) {
        only_keys(s["match"], {"pointer", "equals"}, at + ".match");
        stream.match_pointer = field<std::string>(s["match"], "pointer", at + ".match");
        stream.match_value = field<std::string>(s["match"], "equals", at + ".match");
      }
      stream.values = values_of(s, at);
      o.json_lines.push_back(std::move(stream));
    }
  }
  if (j.contains("liveness")) {
    const std::string at = where + ".liveness";
    only_keys(j["liveness"], {"get", "connect", "send", "every_ms", "timeout_ms"}, at);
    if (j["liveness"].contains("get") == j["liveness"].contains("connect")) {
      throw ConfigError(
          at + R"x(: expected one of "get" (an http:// URL) or "connect" (tcp://HOST:PORT))x");
    }
    if (j["liveness"].contains("get")) {
      o.liveness_url = field<std::string>(j["liveness"], "get", at);
    } else {
      o.liveness_url = field<std::string>(j["liveness"], "connect", at);
      if (!o.liveness_url->starts_with("tcp://")) {
        throw ConfigError(at + ".connect: \"" + *o.liveness_url + "\" is not tcp://HOST:PORT");
      }
      o.liveness_send = optional_field<std::string>(j["liveness"], "send", "", at);
    }
    if (j["liveness"].contains("send") && !j["liveness"].contains("connect")) {
      throw ConfigError(at + ".send: only with \"connect\" (a GET sends no text)");
    }
    o.liveness_every = ms_field(j["liveness"], "every_ms", o.liveness_every, at);
    o.liveness_timeout = ms_field(j["liveness"], "timeout_ms", o.liveness_timeout, at);
  }
  if (j.contains("process")) {
    only_keys(j["process"], {"every_ms"}, where + ".process");
    o.process_every = ms_field(j["process"], "every_ms", o.process_every, where + ".process");
  }
  o.sample_every_s = optional_field<double>(j, "sample_every_s", o.sample_every_s, where);
  if (!(o.sample_every_s >= 0.0) || !std::isfinite(o.sample_every_s)) {
    throw ConfigError(where + ".sample_every_s: expected seconds >= 0 (0: off)");
  }
  return o;
}

void read_start(const json& s, const std::string& at, TwinAdapter& a) {
  only_keys(s, {"command", "env", "ready", "stop_grace_s"}, at);
  a.command = field<std::vector<std::string>>(s, "command", at);
  if (a.command.empty()) throw ConfigError(at + ": \"command\" is empty");
  a.environment = optional_field<std::map<std::string, std::string>>(s, "env", {}, at);
  a.stop_grace = seconds_field(s, "stop_grace_s", a.stop_grace, at);
  const json& r = s.contains("ready") ? s["ready"] : json::object();
  const std::string rat = at + ".ready";
  only_keys(r, {"http", "port", "log", "timeout_s"}, rat);
  if (r.size() - (r.contains("timeout_s") ? 1 : 0) != 1) {
    throw ConfigError(rat +
                      ": give one of \"http\" (a URL answering 200), \"port\" (accepting "
                      "TCP) or \"log\" (a line in the twin's output)");
  }
  if (r.contains("http")) {
    a.ready_probe = ReadyProbe::kHttp200;
    a.ready_target = field<std::string>(r, "http", rat);
  } else if (r.contains("port")) {
    a.ready_probe = ReadyProbe::kPortOpen;
    a.ready_target = field<std::string>(r, "port", rat);
  } else {
    a.ready_probe = ReadyProbe::kLogLine;
    a.ready_target = field<std::string>(r, "log", rat);
  }
  a.ready_timeout = seconds_field(r, "timeout_s", a.ready_timeout, rat);
}

void read_mutants(const json& list, const std::string& where, TwinAdapter& a) {
  if (!list.is_array()) throw ConfigError(where + ": \"mutants\" is a list");
  std::set<std::string> names;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string at = where + ".mutants[" + std::to_string(i) + "]";
    only_keys(list[i], {"name", "args", "caught_by"}, at);
    Mutant m{field<std::string>(list[i], "name", at),
             field<std::vector<std::string>>(list[i], "args", at),
             field<std::vector<std::string>>(list[i], "caught_by", at)};
    if (!names.insert(m.name).second) throw ConfigError(at + ": mutant \"" + m.name + "\" twice");
    a.mutants.push_back(std::move(m));
  }
}

void collect_ports(const std::string& text, std::set<std::string>& names) {
  for (std::size_t at = text.find("${port."); at != std::string::npos;
       at = text.find("${port.", at + 1)) {
    const auto end = text.find('}', at);
    if (end != std::string::npos) names.insert(text.substr(at + 7, end - at - 7));
  }
}

// "send": a URL, or [{"sources": ["AI*"], "to": URL}, ..., {"to": URL}]: the last without
// sources takes what no other did.
std::vector<SendRoute> send_routes_of(const json& j, const std::string& where) {
  if (j.is_string()) return {{{}, j.get<std::string>()}};
  if (!j.is_array() || j.empty()) {
    throw ConfigError(where +
                      R"(: expected a target URL or a list of {"sources": [...], "to": URL})");
  }
  std::vector<SendRoute> routes;
  for (std::size_t i = 0; i < j.size(); ++i) {
    const std::string at = where + "[" + std::to_string(i) + "]";
    only_keys(j[i], {"sources", "to"}, at);
    SendRoute r;
    r.sources = optional_field<std::vector<std::string>>(j[i], "sources", {}, at);
    r.to = field<std::string>(j[i], "to", at);
    if (r.sources.empty() && i + 1 != j.size()) {
      throw ConfigError(at +
                        R"(: only the last channel may leave out "sources" (it takes the rest))");
    }
    routes.push_back(std::move(r));
  }
  return routes;
}

template <class F>
void each_text(TwinAdapter& a, F&& f) {
  for (auto& c : a.command) f(c);
  for (auto& [k, v] : a.environment) f(v);
  f(a.ready_target);
  f(a.reset_url);
  for (auto& r : a.send) f(r.to);
  for (auto& n : a.observe.nmea) f(n);
  for (auto& p : a.observe.http) f(p.url);
  if (a.observe.alerts) f(a.observe.alerts->url);
  if (a.observe.targets) f(a.observe.targets->url);
  for (auto& s : a.observe.json_lines) f(s.url);
  if (a.observe.liveness_url) f(*a.observe.liveness_url);
  if (a.settle) f(a.settle->url);
  if (a.flow) f(a.flow->url);
}

}  // namespace

TwinAdapter load_adapter(const std::filesystem::path& path) {
  const json doc = json_fields::read_json_file(path, "twin adapter");
  const std::string where = path.string();
  only_keys(doc,
            {"schema", "name", "description", "start", "between_cases", "reset", "parallel", "send",
             "pacing", "time", "observe", "settle", "flow", "mutants"},
            where);
  if (optional_field<std::string>(doc, "schema", "", where) != "twincert.adapter/1") {
    throw ConfigError(where + R"(: expected "schema": "twincert.adapter/1")");
  }
  TwinAdapter a;
  a.origin = path;
  a.name = field<std::string>(doc, "name", where);
  a.description = optional_field<std::string>(doc, "description", "", where);
  read_start(doc.contains("start") ? doc["start"] : json(), where + ": start", a);
  const auto between = optional_field<std::string>(doc, "between_cases", "restart", where);
  if (between != "restart" && between != "reset") {
    throw ConfigError(where + ": \"between_cases\" is restart or reset");
  }
  a.between_cases = between == "restart" ? BetweenCases::kRestart : BetweenCases::kReset;
  if (a.between_cases == BetweenCases::kReset) {
    a.reset_url = field<std::string>(doc, "reset", where);
  }
  a.parallel = optional_field<bool>(doc, "parallel", true, where);
  a.send = send_routes_of(doc.contains("send") ? doc["send"] : json(), where + ": send");
  a.pacing = optional_field<std::string>(doc, "pacing", a.pacing, where);
  const auto time = optional_field<std::string>(doc, "time", "stream", where);
  if (time != "stream" && time != "arrival") {
    throw ConfigError(where + ": \"time\" is stream or arrival");
  }
  a.time = time == "stream" ? TwinTime::kStream : TwinTime::kArrival;
  a.observe =
      observe_of(doc.contains("observe") ? doc["observe"] : json::object(), where + ": observe");
  if (doc.contains("settle")) {
    const std::string at = where + ": settle";
    only_keys(doc["settle"], {"get", "pointer", "quiet_ms", "timeout_s"}, at);
    Settle s;
    s.url = field<std::string>(doc["settle"], "get", at);
    s.pointer = field<std::string>(doc["settle"], "pointer", at);
    s.quiet = ms_field(doc["settle"], "quiet_ms", s.quiet, at);
    s.timeout = seconds_field(doc["settle"], "timeout_s", s.timeout, at);
    a.settle = std::move(s);
  }
  if (doc.contains("flow")) {
    const std::string at = where + ": flow";
    only_keys(doc["flow"], {"get", "pointer", "window", "stall_ms"}, at);
    Flow f;
    f.url = field<std::string>(doc["flow"], "get", at);
    f.pointer = field<std::string>(doc["flow"], "pointer", at);
    const auto window = optional_field<double>(doc["flow"], "window", 256.0, at);
    if (!(window >= 1.0 && window <= 1e6)) {
      throw ConfigError(at + R"(: "window" is between 1 and 1000000 frames)");
    }
    f.window = static_cast<std::size_t>(window);
    f.stall = ms_field(doc["flow"], "stall_ms", f.stall, at);
    a.flow = std::move(f);
  }
  if (doc.contains("mutants")) read_mutants(doc["mutants"], where, a);
  // Every placeholder must be one we can fill: find the bad ones now, not in case 17.
  AdapterVariables probe;
  for (const auto& n : port_names(a)) probe.ports[n] = 1;
  TwinAdapter copy = a;
  try {
    each_text(copy, [&](std::string& t) { t = expand(t, probe); });
  } catch (const ConfigError& e) {
    throw ConfigError(where + ": " + e.what());
  }
  for (std::size_t i = 0; i < copy.send.size(); ++i) {
    try {
      (void)parse_target(copy.send[i].to);
    } catch (const ConfigError& e) {
      throw ConfigError(where + ": send" +
                        (copy.send.size() > 1 ? "[" + std::to_string(i) + "]" : std::string()) +
                        ": " + e.what());
    }
  }
  return a;
}

std::vector<std::string> port_names(const TwinAdapter& adapter) {
  std::set<std::string> names;
  TwinAdapter copy = adapter;
  each_text(copy, [&](std::string& t) { collect_ports(t, names); });
  return {names.begin(), names.end()};
}

std::string expand(const std::string& text, const AdapterVariables& v) {
  std::string out;
  std::size_t from = 0;
  for (std::size_t at = text.find("${"); at != std::string::npos; at = text.find("${", from)) {
    out.append(text, from, at - from);
    const auto end = text.find('}', at);
    if (end == std::string::npos) throw ConfigError("unclosed ${ in \"" + text + "\"");
    const std::string name = text.substr(at + 2, end - at - 2);
    if (name.starts_with("port.")) {
      const auto it = v.ports.find(name.substr(5));
      if (it == v.ports.end()) throw ConfigError("no port named \"" + name.substr(5) + "\"");
      out += std::to_string(it->second);
    } else if (name == "case_dir") {
      out += v.case_dir.string();
    } else if (name == "reference_twin") {
      out += v.reference_twin.string();
    } else {
      throw ConfigError("unknown placeholder ${" + name +
                        "} (known: ${port.NAME}, ${case_dir}, ${reference_twin})");
    }
    from = end + 1;
  }
  out.append(text, from);
  return out;
}

TwinAdapter instantiate(const TwinAdapter& adapter, const AdapterVariables& variables) {
  TwinAdapter a = adapter;
  each_text(a, [&](std::string& t) { t = expand(t, variables); });
  return a;
}

}  // namespace twincert::harness

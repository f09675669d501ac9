#include "twincert/harness/adapter.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <set>

#include <nlohmann/json.hpp>

#include "twincert/base/config_error.hpp"
#include "twincert/base/json_fields.hpp"
#include "twincert/harness/target.hpp"

#include <unistd.h>

namespace twincert::harness {

namespace {

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

void check_pointer(const std::string& pointer, const std::string& at, bool row_key = false) {
  if (pointer.empty() || pointer.front() == '/' || (row_key && pointer == kRowKey)) return;
  throw ConfigError(at + ": \"" + pointer + "\" is not a JSON pointer (it starts with /)" +
                    (row_key ? R"(, nor "@key")" : ""));
}

// unit, scale and offset of a value; `derived`: a bearing, in degrees whatever its parts are in.
ValueTransform transform_of(const json& spec, const std::string& name, bool derived,
                            const std::string& at) {
  ValueTransform t;
  t.scale = optional_field<double>(spec, "scale", 1.0, at);
  t.offset = optional_field<double>(spec, "offset", 0.0, at);
  if (!std::isfinite(t.scale) || !std::isfinite(t.offset) || t.scale == 0.0) {
    throw ConfigError(at +
                      R"(: "scale" is a finite number other than 0, "offset" a finite number)");
  }
  auto unit_text = optional_field<std::string>(spec, "unit", "", at);
  if (derived && !unit_text.empty()) {
    throw ConfigError(at + R"(: "unit" with "bearing": a bearing is in degrees (give its parts )"
                           R"(in any one unit))");
  }
  if (derived) unit_text = "deg";
  if (unit_text.empty()) return t;
  const auto unit = units::find_unit(unit_text);
  if (!unit) {
    throw ConfigError(at + ".unit: \"" + unit_text + "\" is not a unit twincert knows (known: " +
                      std::string(units::known_spellings()) + ")");
  }
  const auto truth = units::truth_unit_of(name);
  if (!truth) {
    throw ConfigError(at + ".unit: the truth has no unit for \"" + name +
                      "\" (a truth quantity such as sog_kn, depth_m, heading_deg, lat)");
  }
  const auto c = units::conversion(*unit, *truth);
  if (!c) {
    throw ConfigError(at + ".unit: \"" + unit_text + "\" is a " +
                      std::string(units::name_of(unit->dimension)) + ", but " + name + " is a " +
                      std::string(units::name_of(truth->dimension)) + " (in " +
                      std::string(truth->symbol) + ")");
  }
  t.unit = std::string(unit->symbol);
  t.to_truth = *c;
  return t;
}

JsonValueMap value_map_of(const std::string& name, const json& spec, const std::string& at) {
  JsonValueMap m;
  m.name = name;
  if (spec.is_string()) {
    m.value_pointer = spec.get<std::string>();
    check_pointer(m.value_pointer, at);
    return m;
  }
  only_keys(spec,
            {"value", "sum", "difference", "hypot", "bearing", "time", "unit", "scale", "offset"},
            at);
  constexpr std::array<std::pair<const char*, Combine>, 4> kCombined = {
      std::pair{"sum", Combine::kSum}, std::pair{"difference", Combine::kDifference},
      std::pair{"hypot", Combine::kHypot}, std::pair{"bearing", Combine::kBearing}};
  int given = spec.contains("value") ? 1 : 0;
  for (const auto& [key, how] : kCombined) {
    if (!spec.contains(key)) continue;
    ++given;
    const auto pair = field<std::vector<std::string>>(spec, key, at);
    if (pair.size() != 2) {
      throw ConfigError(at + ": \"" + key + "\" is a list of two JSON pointers");
    }
    m.combine = how;
    m.value_pointer = pair[0];
    m.second_pointer = pair[1];
  }
  if (given != 1) {
    throw ConfigError(at +
                      R"(: give one of "value" (a JSON pointer) or "sum", "difference", "hypot", )"
                      R"("bearing" (two JSON pointers))");
  }
  if (spec.contains("value")) m.value_pointer = field<std::string>(spec, "value", at);
  m.time_pointer = optional_field<std::string>(spec, "time", "", at);
  for (const std::string* p : {&m.value_pointer, &m.second_pointer, &m.time_pointer}) {
    if (!p->empty()) check_pointer(*p, at);
  }
  m.transform = transform_of(spec, name, m.combine == Combine::kBearing, at);
  return m;
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
    out.push_back(value_map_of(name, spec, at));
  }
  return out;
}

// A table: a JSON pointer to a list, or {"at", "shape": "list"|"keyed", "key": REGEX, "each"}.
Table table_of(const json& j, const std::string& at) {
  Table t;
  const json* level = &j;
  std::string where = at;
  for (;;) {
    TableLevel l;
    if (level->is_string()) {
      l.at = level->get<std::string>();
      check_pointer(l.at, where);
      t.levels.push_back(std::move(l));
      return t;
    }
    only_keys(*level, {"at", "shape", "key", "each"}, where);
    l.at = optional_field<std::string>(*level, "at", "", where);
    check_pointer(l.at, where + ".at");
    const auto shape = optional_field<std::string>(*level, "shape", "list", where);
    if (shape != "list" && shape != "keyed") {
      std::string message = where;
      message += ".shape: \"";
      message += shape;
      message += "\" (list: a JSON list; keyed: an object whose members are the entries)";
      throw ConfigError(message);
    }
    l.shape = shape == "list" ? TableShape::kList : TableShape::kKeyed;
    l.key_pattern = optional_field<std::string>(*level, "key", "", where);
    if (!l.key_pattern.empty()) {
      if (l.shape != TableShape::kKeyed) {
        throw ConfigError(where + R"(.key: only a "keyed" table has keys)");
      }
      try {
        l.key = compile_word_regex(l.key_pattern);
      } catch (const std::regex_error& e) {
        throw ConfigError(where + ".key: \"" + l.key_pattern + "\" is not a regex (" + e.what() +
                          ")");
      }
    }
    t.levels.push_back(std::move(l));
    if (!level->contains("each")) return t;
    level = &(*level)["each"];
    where += ".each";
  }
}

// One value of a delta stream: {"path": P[, "value": POINTER into the delta's value], "unit",
// ...}; its pointers then point into {"<P>": {"value": ..., "timestamp": ...}}, the form the
// observer gives each update.
JsonValueMap delta_value_of(const std::string& name, const json& spec, bool timed,
                            const std::string& at) {
  if (!spec.is_object() || !spec.contains("path")) {
    throw ConfigError(at + R"(: a stream with "deltas" maps each value by its path: )"
                           R"({"path": "navigation.speedOverGround"[, "value": POINTER]})");
  }
  const auto path = field<std::string>(spec, "path", at);
  std::string escaped;  // RFC 6901: "~" -> "~0", "/" -> "~1"
  for (const char c : path) escaped += c == '~' ? "~0" : c == '/' ? "~1" : std::string(1, c);
  json plain = spec;
  plain.erase("path");
  plain["value"] = "/" + escaped + "/value" + optional_field<std::string>(spec, "value", "", at);
  if (timed && !plain.contains("time")) plain["time"] = "/" + escaped + "/timestamp";
  return value_map_of(name, plain, at);
}

JsonLinesStream stream_of(const json& s, bool any_transport, const std::string& at) {
  only_keys(s, {"connect", "send", "match", "deltas", "values"}, at);
  JsonLinesStream stream;
  stream.url = field<std::string>(s, "connect", at);
  if (stream.url.starts_with("ws://")) {
    stream.transport = StreamTransport::kWebSocket;
  } else if (stream.url.starts_with("http://")) {
    stream.transport = StreamTransport::kServerSentEvents;
  } else if (!stream.url.starts_with("tcp://")) {
    throw ConfigError(at + ".connect: \"" + stream.url + "\" (" +
                      (any_transport ? "tcp://HOST:PORT for JSON lines, ws://HOST:PORT/PATH for "
                                       "WebSocket, http://HOST:PORT/PATH for server-sent events"
                                     : "tcp://HOST:PORT; other transports under \"streams\"") +
                      ")");
  }
  if (!any_transport && stream.transport != StreamTransport::kJsonLines) {
    throw ConfigError(at + R"(.connect: json_lines reads tcp://HOST:PORT; put ")" + stream.url +
                      R"(" under "streams")");
  }
  stream.opening = optional_field<std::string>(s, "send", "", at);
  if (s.contains("match")) {
    only_keys(s["match"], {"pointer", "equals"}, at + ".match");
    stream.match_pointer = field<std::string>(s["match"], "pointer", at + ".match");
    stream.match_value = field<std::string>(s["match"], "equals", at + ".match");
  }
  if (s.contains("deltas")) {
    const json& d = s["deltas"];
    const std::string dat = at + ".deltas";
    DeltaShape shape;
    if (!d.is_boolean()) {
      only_keys(d, {"updates", "values", "path", "value", "time"}, dat);
      for (const auto& [key, pointer] :
           {std::pair{"updates", &shape.updates}, std::pair{"values", &shape.values},
            std::pair{"path", &shape.path}, std::pair{"value", &shape.value},
            std::pair{"time", &shape.time}}) {
        *pointer = optional_field<std::string>(d, key, *pointer, dat);
        if (!pointer->empty()) check_pointer(*pointer, dat + "." + key);
      }
    } else if (!d.get<bool>()) {
      throw ConfigError(dat + R"(: true (Signal K's shape) or {"updates", "values", ...})");
    }
    stream.deltas = shape;
    if (s.contains("values")) {
      if (!s["values"].is_object()) throw ConfigError(at + R"(: "values" maps names to paths)");
      for (const auto& [name, spec] : s["values"].items()) {
        std::string where = at;
        where += ": values.";
        where += name;
        stream.values.push_back(delta_value_of(name, spec, !shape.time.empty(), where));
      }
    }
  } else {
    stream.values = values_of(s, at);
  }
  return stream;
}

std::vector<WordRule> words_of(const json& list, bool conditions, const std::string& where) {
  if (!list.is_array()) {
    throw ConfigError(where + R"(: a list of {"exact"|"any_case"|"regex": WORD, "to": WORD})");
  }
  std::vector<WordRule> rules;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string at = where + "[" + std::to_string(i) + "]";
    const json& e = list[i];
    if (conditions) {
      only_keys(e, {"exact", "any_case", "regex", "to", "subject"}, at);
    } else {
      only_keys(e, {"exact", "any_case", "regex", "to"}, at);
    }
    WordRule r;
    int given = 0;
    for (const auto& [key, match] :
         {std::pair{"exact", WordMatch::kExact}, std::pair{"any_case", WordMatch::kAnyCase},
          std::pair{"regex", WordMatch::kRegex}}) {
      if (!e.contains(key)) continue;
      ++given;
      r.match = match;
      r.pattern = field<std::string>(e, key, at);
    }
    if (given != 1) throw ConfigError(at + R"(: give one of "exact", "any_case" or "regex")");
    if (r.match == WordMatch::kRegex) {
      try {
        r.regex = compile_word_regex(r.pattern);
      } catch (const std::regex_error& bad) {
        throw ConfigError(at + ".regex: \"" + r.pattern + "\" is not a regex (" + bad.what() + ")");
      }
    }
    r.to = field<std::string>(e, "to", at);
    if (e.contains("subject")) r.subject = field<std::string>(e, "subject", at);
    rules.push_back(std::move(r));
  }
  return rules;
}

// An alert map's "vocabulary" (the twin's words to the truth's), the same for alerts read from
// HTTP answers and from sentences: into `into`'s conditions, subjects and drop_unmapped.
template <class AlertMap>
void read_vocabulary(const json& v, const std::string& vat, AlertMap& into) {
  only_keys(v, {"condition", "subject", "unmapped"}, vat);
  if (v.contains("condition")) into.conditions = words_of(v["condition"], true, vat + ".condition");
  if (v.contains("subject")) into.subjects = words_of(v["subject"], false, vat + ".subject");
  const auto unmapped = optional_field<std::string>(v, "unmapped", "keep", vat);
  if (unmapped != "keep" && unmapped != "drop") {
    throw ConfigError(vat + R"(.unmapped: "keep" (the twin's word, reported) or "drop" )"
                            R"((reported))");
  }
  into.drop_unmapped = unmapped == "drop";
}

AlertSubject subject_of(const json& j, const std::string& at) {
  AlertSubject s;
  if (j.is_string()) {
    s.pointer = j.get<std::string>();
    check_pointer(s.pointer, at, true);
    return s;
  }
  only_keys(j, {"pointer", "separator", "constant"}, at);
  if (j.contains("constant") == j.contains("pointer")) {
    throw ConfigError(at + R"(: give one of "pointer" (and "separator") or "constant")");
  }
  if (j.contains("constant")) {
    if (j.contains("separator")) throw ConfigError(at + R"(: "separator" needs "pointer")");
    s.constant = field<std::string>(j, "constant", at);
    s.pointer.clear();
    return s;
  }
  s.pointer = field<std::string>(j, "pointer", at);
  check_pointer(s.pointer, at + ".pointer", true);
  s.separator = optional_field<std::string>(j, "separator", "", at);
  return s;
}

AlertPoll alerts_of(const json& a, const std::string& at) {
  only_keys(a,
            {"get", "every_ms", "lists", "condition", "subject", "raised", "cleared", "vocabulary"},
            at);
  AlertPoll p;
  p.url = field<std::string>(a, "get", at);
  p.every = ms_field(a, "every_ms", p.every, at);
  if (a.contains("lists")) {
    if (!a["lists"].is_array() || a["lists"].empty()) {
      throw ConfigError(at + R"(: "lists" is a list of tables (JSON pointers or {"at", ...}))");
    }
    p.lists.clear();
    for (std::size_t i = 0; i < a["lists"].size(); ++i) {
      p.lists.push_back(table_of(a["lists"][i], at + ".lists[" + std::to_string(i) + "]"));
    }
  }
  p.condition = optional_field<std::string>(a, "condition", p.condition, at);
  check_pointer(p.condition, at + ".condition", true);
  if (a.contains("subject")) p.subject = subject_of(a["subject"], at + ".subject");
  p.raised = optional_field<std::string>(a, "raised", p.raised, at);
  p.cleared = optional_field<std::string>(a, "cleared", p.cleared, at);
  check_pointer(p.raised, at + ".raised");
  check_pointer(p.cleared, at + ".cleared");
  if (a.contains("vocabulary")) read_vocabulary(a["vocabulary"], at + ".vocabulary", p);
  return p;
}

// A field of a sentence: its name in the typed decoder, or its position (1..99).
SentenceField sentence_field_of(const json& j, const std::string& formatter,
                                const std::string& at) {
  SentenceField f;
  if (j.is_number_unsigned() && j.get<std::size_t>() >= 1 && j.get<std::size_t>() <= 99) {
    f.number = j.get<std::size_t>();
    return f;
  }
  const auto names = sentence_field_names(formatter);
  if (!j.is_string()) {
    throw ConfigError(at + ": a field's name (as twincert's decoder of " + formatter +
                      " calls it) or its position, 1 to 99");
  }
  f.name = j.get<std::string>();
  if (!names) {
    throw ConfigError(at + ": twincert has no decoder for " + formatter +
                      " sentences: give the field's position (1 to 99) instead of \"" + f.name +
                      "\"");
  }
  if (std::find(names->begin(), names->end(), f.name) == names->end()) {
    std::string known;
    for (const auto& n : *names) known += (known.empty() ? "" : ", ") + n;
    throw ConfigError(at + ": " + formatter + " has no field \"" + f.name +
                      "\" (its fields: " + known + "; or give a position, 1 to 99)");
  }
  return f;
}

SentenceValueMap sentence_value_of(const std::string& name, const json& spec,
                                   const std::string& at) {
  only_keys(spec,
            {"sentence", "field", "sum", "difference", "hypot", "when", "unit", "scale", "offset"},
            at);
  SentenceValueMap m;
  m.name = name;
  const auto sentence = field<std::string>(spec, "sentence", at);
  const bool plain = sentence.size() == 3 || sentence.size() == 5;
  if (!plain || !std::all_of(sentence.begin(), sentence.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
      })) {
    throw ConfigError(at + ".sentence: \"" + sentence +
                      R"(" (a formatter such as "HDT", or a talker and formatter: "HEHDT"))");
  }
  m.talker = sentence.size() == 5 ? sentence.substr(0, 2) : "";
  m.formatter = sentence.substr(sentence.size() - 3);
  int given = spec.contains("field") ? 1 : 0;
  for (const auto& [key, how] :
       {std::pair{"sum", Combine::kSum}, std::pair{"difference", Combine::kDifference},
        std::pair{"hypot", Combine::kHypot}}) {
    if (!spec.contains(key)) continue;
    ++given;
    const json& pair = spec[key];
    if (!pair.is_array() || pair.size() != 2) {
      throw ConfigError(at + ": \"" + key + "\" is a list of two fields");
    }
    m.combine = how;
    m.field = sentence_field_of(pair[0], m.formatter, at + "." + key + "[0]");
    m.second = sentence_field_of(pair[1], m.formatter, at + "." + key + "[1]");
  }
  if (given != 1) {
    throw ConfigError(at + R"(: give one of "field" (a name or position) or "sum", )"
                           R"("difference", "hypot" (two fields))");
  }
  if (spec.contains("field")) {
    m.field = sentence_field_of(spec["field"], m.formatter, at + ".field");
  }
  if (spec.contains("when")) {
    const std::string wat = at + ".when";
    only_keys(spec["when"], {"field", "equals"}, wat);
    if (!spec["when"].contains("field")) throw ConfigError(wat + R"(: missing "field")");
    m.when_field = sentence_field_of(spec["when"]["field"], m.formatter, wat + ".field");
    m.when_equals = field<std::string>(spec["when"], "equals", wat);
  }
  m.transform = transform_of(spec, name, false, at);
  return m;
}

SentenceAlerts sentence_alerts_of(const json& a, const std::string& at) {
  only_keys(a, {"from", "condition", "subject", "vocabulary"}, at);
  SentenceAlerts s;
  if (a.contains("from")) {
    s.from = field<std::vector<std::string>>(a, "from", at);
    for (const auto& f : s.from) {
      if (f != "ALR" && f != "ALF" && f != "ALC" && f != "ACN" && f != "ARC") {
        std::string message = at;
        message += ".from: \"";
        message += f;
        message += R"(" (alerts come from ALR, ALF, ALC, ACN, ARC))";
        throw ConfigError(message);
      }
    }
  }
  const auto part = [&](const json& word, const std::string& where) {
    const auto p = word.is_string() ? alert_part_named(word.get<std::string>()) : std::nullopt;
    if (!p) {
      throw ConfigError(where + R"(: one of "id", "instance", "title", "description")" +
                        (where.ends_with("subject") ? R"( or {"constant": WORD})" : ""));
    }
    return *p;
  };
  if (a.contains("condition")) s.condition = part(a["condition"], at + ".condition");
  if (a.contains("subject")) {
    const json& subject = a["subject"];
    if (subject.is_object()) {
      only_keys(subject, {"constant"}, at + ".subject");
      s.subject_constant = field<std::string>(subject, "constant", at + ".subject");
    } else {
      s.subject = part(subject, at + ".subject");
    }
  }
  if (a.contains("vocabulary")) read_vocabulary(a["vocabulary"], at + ".vocabulary", s);
  return s;
}

SentenceMaps sentence_maps_of(const json& j, const std::string& at) {
  only_keys(j, {"values", "alerts"}, at);
  SentenceMaps maps;
  if (j.contains("values")) {
    if (!j["values"].is_object()) {
      throw ConfigError(at + R"(: "values" maps names to {"sentence": "HDT", "field": ...})");
    }
    for (const auto& [name, spec] : j["values"].items()) {
      std::string where = at;
      where += ".values.";
      where += name;
      maps.values.push_back(sentence_value_of(name, spec, where));
    }
  }
  if (j.contains("alerts")) maps.alerts = sentence_alerts_of(j["alerts"], at + ".alerts");
  return maps;
}

Observe observe_of(const json& j, const std::string& where) {
  Observe o;
  only_keys(j,
            {"nmea", "sentences", "http", "alerts", "targets", "json_lines", "streams", "liveness",
             "process", "sample_every_s"},
            where);
  o.nmea = optional_field<std::vector<std::string>>(j, "nmea", {}, where);
  if (j.contains("sentences")) {
    o.sentences = sentence_maps_of(j["sentences"], where + ".sentences");
    if (o.nmea.empty()) {
      throw ConfigError(where + R"(.sentences: the sentences are read from "nmea" (give where )"
                                R"(the twin emits them: udp://HOST:PORT or tcp://HOST:PORT))");
    }
  }
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
  if (j.contains("alerts")) o.alerts = alerts_of(j["alerts"], where + ".alerts");
  if (j.contains("targets")) {
    const std::string at = where + ".targets";
    const json& t = j["targets"];
    only_keys(
        t, {"get", "every_ms", "list", "mmsi", "lat", "lon", "name", "time", "cpa", "tcpa", "now"},
        at);
    TargetPoll p;
    p.url = field<std::string>(t, "get", at);
    p.every = ms_field(t, "every_ms", p.every, at);
    if (t.contains("list")) p.list = table_of(t["list"], at + ".list");
    for (auto [key, pointer] :
         {std::pair{"mmsi", &p.mmsi}, std::pair{"lat", &p.lat}, std::pair{"lon", &p.lon},
          std::pair{"name", &p.name}, std::pair{"time", &p.time}, std::pair{"cpa", &p.cpa},
          std::pair{"tcpa", &p.tcpa}, std::pair{"now", &p.now}}) {
      *pointer = optional_field<std::string>(t, key, *pointer, at);
      if (!pointer->empty()) {
        check_pointer(*pointer, at + "." + key, std::string_view(key) == "mmsi");
      }
    }
    o.targets = std::move(p);
  }
  for (const char* list : {"json_lines", "streams"}) {
    if (!j.contains(list)) continue;
    if (!j[list].is_array()) throw ConfigError(where + ": \"" + list + "\" is a list");
    for (std::size_t i = 0; i < j[list].size(); ++i) {
      const std::string at = where + "." + list + "[" + std::to_string(i) + "]";
      o.json_lines.push_back(stream_of(j[list][i], std::string_view(list) == "streams", at));
      o.json_lines.back().key = "observe." + std::string(list) + "[" + std::to_string(i) + "]";
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
  only_keys(s, {"command", "env", "ready", "stop_grace_s", "pid_file"}, at);
  a.pid_file = optional_field<std::string>(s, "pid_file", "", at);
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
  f(a.pid_file);
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

// Fills ${adapter_dir} and ${env.NAME[:-default]}, leaving the per-instance placeholders.
std::string expand_static(const std::string& text, const std::filesystem::path& adapter_dir) {
  std::string out;
  std::size_t from = 0;
  for (std::size_t at = text.find("${"); at != std::string::npos; at = text.find("${", from)) {
    const auto end = text.find('}', at);
    if (end == std::string::npos) break;  // expand() reports it
    const std::string name = text.substr(at + 2, end - at - 2);
    std::string value;
    if (name == "adapter_dir") {
      value = adapter_dir.string();
    } else if (name.starts_with("env.")) {
      const auto dash = name.find(":-");
      const std::string variable = name.substr(4, dash == std::string::npos ? dash : dash - 4);
      if (variable.empty()) throw ConfigError("${" + name + "}: no variable name");
      // NOLINTNEXTLINE(concurrency-mt-unsafe): read at start-up, nobody sets it
      const char* set = std::getenv(variable.c_str());
      if (set != nullptr && *set != '\0') {
        value = set;
      } else if (dash != std::string::npos) {
        value = name.substr(dash + 2);
      } else {
        std::string message = "${" + name + "}: the environment variable ";
        message += variable;
        message += " is not set (give a default: ${env.";
        message += variable;
        message += ":-DEFAULT})";
        throw ConfigError(message);
      }
    } else {
      out.append(text, from, end + 1 - from);
      from = end + 1;
      continue;
    }
    out.append(text, from, at - from);
    out += value;
    from = end + 1;
  }
  out.append(text, from);
  return out;
}

// The program of start.command: a relative path with a '/' is taken from the adapter's folder.
void relocate_program(std::string& program, const std::filesystem::path& adapter_dir) {
  if (program.find("${") == std::string::npos && program.find('/') != std::string::npos &&
      program.front() != '/') {
    program = (adapter_dir / program).lexically_normal().string();
  }
}

// Throws unless the program (placeholders filled in) exists and is executable, or, a bare name,
// is on PATH.
void locate_program(const std::string& program, const std::string& where) {
  if (program.empty()) {
    throw ConfigError(where +
                      ": start.command[0] is empty (${reference_twin} with no reference "
                      "twin given?)");
  }
  if (program.find('/') != std::string::npos) {
    if (::access(program.c_str(), X_OK) != 0) {
      throw ConfigError(
          where + ": start.command[0]: the program " + program +
          (std::filesystem::exists(program) ? " is not executable" : " does not exist"));
    }
    return;
  }
  // NOLINTNEXTLINE(concurrency-mt-unsafe): read at start-up, nobody sets it
  const char* path = std::getenv("PATH");
  std::string_view dirs = path != nullptr ? path : "/usr/local/bin:/usr/bin:/bin";
  for (;;) {
    const auto colon = dirs.find(':');
    const std::string dir(dirs.substr(0, colon));
    if (::access(((dir.empty() ? "." : dir) + "/" + program).c_str(), X_OK) == 0) return;
    if (colon == std::string_view::npos) break;
    dirs.remove_prefix(colon + 1);
  }
  throw ConfigError(where + ": start.command[0]: no program \"" + program +
                    "\" on PATH (give its path, e.g. ${adapter_dir}/" + program + ")");
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
  const auto adapter_dir = std::filesystem::absolute(path).parent_path().lexically_normal();
  try {
    each_text(a, [&](std::string& t) { t = expand_static(t, adapter_dir); });
    for (auto& m : a.mutants) {
      for (auto& arg : m.args) arg = expand_static(arg, adapter_dir);
    }
  } catch (const ConfigError& e) {
    throw ConfigError(where + ": " + e.what());
  }
  relocate_program(a.command.front(), adapter_dir);
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
                        "} (known: ${port.NAME}, ${case_dir}, ${reference_twin}, "
                        "${adapter_dir}, ${env.NAME}, ${env.NAME:-DEFAULT})");
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

void check_program(const TwinAdapter& adapter, const AdapterVariables& variables) {
  locate_program(expand(adapter.command.front(), variables), adapter.origin.string());
}

std::string table_key(const std::string& base, std::size_t level) {
  std::string key = base;
  for (std::size_t i = 0; i < level; ++i) key += ".each";
  return key;
}

}  // namespace twincert::harness

#include "twincert/reports/hil.hpp"

#include <fstream>

#include "twincert/base/config_error.hpp"

#include "text.hpp"

namespace twincert::reports {

using nlohmann::json;

json load_hil_results(const std::filesystem::path& path) {
  const auto file = std::filesystem::is_directory(path) ? path / "hil-results.json" : path;
  std::ifstream in(file, std::ios::binary);
  if (!in) throw ConfigError("cannot read " + file.string() + " (HIL results)");
  json doc = json::parse(in, nullptr, false);
  if (doc.is_discarded() || !doc.is_object() ||
      doc.value("schema", json()) != json("twincert.hil-results/1")) {
    throw ConfigError(file.string() +
                      R"(: expected a "schema": "twincert.hil-results/1" document)");
  }
  if (!doc.contains("cases") || !doc["cases"].is_array()) {
    throw ConfigError(file.string() + ": /cases: expected an array");
  }
  return doc;
}

namespace {

std::string first_failure(const json& result) {
  for (const json& r : array_at(result, "rules")) {
    const std::string v = text_at(r, "verdict");
    if (v == "fail" || v == "error") return text_at(r, "rule") + ": " + text_at(r, "message");
  }
  return text_at(result, "error");
}

}  // namespace

HilComparison compare_hil(const json& hil, const std::map<std::string, std::string>& software,
                          const std::string& source) {
  HilComparison out;
  out.source = source;
  for (const json& c : array_at(hil, "cases")) {
    HilOutcome o;
    o.id = text_at(c, "id");
    o.state = text_at(c, "state");
    o.reason = text_at(c, "reason");
    for (const json& a : array_at(c, "attempts")) {
      ++o.attempts;
      o.attempt_outcomes.push_back(text_at(a, "rig") + ": " + text_at(a, "outcome"));
    }
    if (o.state == "done") {
      o.rig = text_at(c, "rig");
      o.verdict = text_at(c, "verdict");
      o.first_failure = o.verdict == "pass" ? "" : first_failure(object_at(c, "result"));
      if (o.verdict != "pass") ++out.failed;
    } else {
      ++out.without_result;
      if (o.reason.empty()) o.reason = o.state.empty() ? "no state" : o.state;
    }
    if (const auto it = software.find(o.id); it != software.end()) o.software = it->second;
    o.disagrees = !o.verdict.empty() && !o.software.empty() && o.verdict != o.software;
    if (o.disagrees) ++out.disagreements;
    out.cases.push_back(std::move(o));
  }
  return out;
}

}  // namespace twincert::reports

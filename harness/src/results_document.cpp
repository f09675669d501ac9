#include "twincert/harness/results_document.hpp"

#include <algorithm>
#include <fstream>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "twincert/base/config_error.hpp"

namespace twincert::harness {

namespace {

using nlohmann::json;

// Reads one JSON object of the document, naming the path of what is wrong: "FILE: /run:
// missing \"wall_s\"". The schema's required keys are read with `get`, the rest with `get_or`.
class ObjectReader {
 public:
  ObjectReader(const json& j, std::string where, std::string path)
      : j_(j), where_(std::move(where)), path_(std::move(path)) {
    if (!j_.is_object()) fail("expected an object");
  }

  template <class T>
  T get(const char* key) const {
    if (!j_.contains(key)) fail("missing \"" + std::string(key) + "\"");
    return as<T>(key);
  }

  template <class T>
  T get_or(const char* key, T otherwise) const {
    return j_.contains(key) ? as<T>(key) : otherwise;
  }

  const json& array(const char* key) const {
    const json& a = get<const json&>(key);
    if (!a.is_array()) fail("\"" + std::string(key) + "\": expected an array");
    return a;
  }

  ObjectReader object(const char* key) const {
    if (!j_.contains(key)) fail("missing \"" + std::string(key) + "\"");
    return {j_.at(key), where_, path_ + "/" + key};
  }

  std::string at(const std::string& more) const { return path_ + more; }
  [[noreturn]] void fail(const std::string& what) const {
    throw ConfigError(where_ + ": " + (path_.empty() ? "/" : path_) + ": " + what);
  }
  const json& value() const { return j_; }

 private:
  template <class T>
  T as(const char* key) const {
    if constexpr (std::is_same_v<T, const json&>) {
      return j_.at(key);
    } else {
      try {
        return j_.at(key).get<T>();
      } catch (const json::exception&) {
        fail("\"" + std::string(key) + "\" has the wrong type");
      }
    }
  }

  const json& j_;
  std::string where_;
  std::string path_;
};

RunVerdict run_verdict_of(const ObjectReader& r, const std::string& text) {
  if (text == name_of(RunVerdict::kPass)) return RunVerdict::kPass;
  if (text == name_of(RunVerdict::kFail)) return RunVerdict::kFail;
  r.fail(R"("verdict": expected "pass" or "fail", got ")" + text + "\"");
}

RequirementVerdict requirement_verdict_of(const ObjectReader& r, const std::string& text) {
  for (const auto v : {RequirementVerdict::kPass, RequirementVerdict::kFail,
                       RequirementVerdict::kError, RequirementVerdict::kNotVerified}) {
    if (text == name_of(v)) return v;
  }
  r.fail(R"("verdict": expected pass, fail, error or not_verified, got ")" + text + "\"");
}

json to_json(const VerdictTally& t) {
  return {{"pass", t.pass}, {"fail", t.fail}, {"error", t.error}, {"inconclusive", t.inconclusive}};
}

json to_json(const MutationScore& m) {
  json list = json::array();
  for (const auto& mutant : m.mutants) {
    json failures = json::array();
    for (const auto& f : mutant.failures) {
      failures.push_back({{"case", f.case_id},
                          {"rule", f.rule_id},
                          {"correct_verdict", f.correct_verdict},
                          {"kill", f.kill()}});
    }
    list.push_back({{"name", mutant.name},
                    {"killed", mutant.killed},
                    {"caught_by", mutant.caught_by},
                    {"failed_rules", mutant.failed_rules},
                    {"kills", mutant.kills()},
                    {"false_alarms", mutant.false_alarms()},
                    {"failures", std::move(failures)}});
  }
  return {{"scoring", "differential"},
          {"killed", m.killed()},
          {"total", m.total()},
          {"score", m.score()},
          {"false_alarms", m.false_alarms()},
          {"mutants", std::move(list)}};
}

}  // namespace

std::string_view name_of(RunVerdict verdict) noexcept {
  return verdict == RunVerdict::kPass ? "pass" : "fail";
}

std::string_view name_of(RequirementVerdict verdict) noexcept {
  switch (verdict) {
    case RequirementVerdict::kPass:
      return "pass";
    case RequirementVerdict::kFail:
      return "fail";
    case RequirementVerdict::kError:
      return "error";
    case RequirementVerdict::kNotVerified:
      return "not_verified";
  }
  return "not_verified";
}

RuleDefinition rule_definition_of(json definition) {
  // The tolerance of the report readers this replaced: a value of the wrong type is absent.
  const auto text = [&definition](const char* key) {
    return definition.contains(key) && definition[key].is_string()
               ? definition[key].get<std::string>()
               : std::string();
  };
  RuleDefinition out;
  if (!definition.is_object()) definition = json::object();
  out.id = text("id");
  out.kind = text("kind");
  out.quantity = text("quantity");
  out.sensor = text("sensor");
  out.angle = definition.contains("angle") && definition["angle"] == true;
  if (definition.contains("within_s") && definition["within_s"].is_number()) {
    out.within_s = definition["within_s"].get<double>();
  }
  if (definition.contains("conditions") && definition["conditions"].is_array()) {
    for (const json& c : definition["conditions"]) {
      if (c.is_string()) out.conditions.push_back(c.get<std::string>());
    }
  }
  out.definition = std::move(definition);
  return out;
}

std::size_t MutantOutcome::kills() const {
  return static_cast<std::size_t>(
      std::count_if(failures.begin(), failures.end(), [](const auto& f) { return f.kill(); }));
}

std::size_t MutantOutcome::false_alarms() const {
  return static_cast<std::size_t>(std::count_if(failures.begin(), failures.end(),
                                                [](const auto& f) { return f.false_alarm(); }));
}

std::size_t MutationScore::killed() const {
  return static_cast<std::size_t>(
      std::count_if(mutants.begin(), mutants.end(), [](const auto& m) { return m.killed; }));
}

double MutationScore::score() const {
  return mutants.empty() ? 0.0
                         : static_cast<double>(killed()) / static_cast<double>(mutants.size());
}

std::size_t MutationScore::false_alarms() const {
  std::size_t n = 0;
  for (const auto& m : mutants) n += m.false_alarms();
  return n;
}

json results_to_json(const ResultsDocument& d) {
  json cases = json::array();
  for (const auto& c : d.cases) cases.push_back(to_json(c));
  json requirements = json::array();
  for (const auto& r : d.requirements) {
    requirements.push_back({{"id", r.id},
                            {"title", r.title},
                            {"text", r.text},
                            {"source", r.source},
                            {"verdict", std::string(name_of(r.verdict))},
                            {"rules", r.rules},
                            {"results", to_json(r.results)}});
  }
  json rules = json::array();
  for (const auto& r : d.rules) rules.push_back(r.definition);
  json out = {{"schema", std::string(kResultsSchema)},
              {"campaign",
               {{"id", d.campaign.id},
                {"title", d.campaign.title},
                {"file", d.campaign.file},
                {"sha256", d.campaign.sha256},
                {"cases_in_matrix", d.campaign.cases_in_matrix}}},
              {"versions",
               {{"twincert", d.versions.twincert},
                {"build", d.versions.build},
                {"adapter", d.versions.adapter}}},
              {"run",
               {{"started_utc", d.run.started_utc},
                {"wall_s", d.run.wall_s},
                {"shard", d.run.shard},
                {"mutant", d.run.mutant},
                {"resumed_cases", d.run.resumed_cases}}},
              {"seeds", d.seeds},
              {"summary",
               {{"verdict", std::string(name_of(d.summary.verdict))},
                {"cases", d.summary.cases},
                {"passed", d.summary.passed},
                {"failed", d.summary.failed},
                {"errors", d.summary.errors},
                {"flaky", d.summary.flaky}}},
              {"requirements", std::move(requirements)},
              {"rules", std::move(rules)},
              {"cases", std::move(cases)}};
  if (d.mutation) out["mutation"] = to_json(*d.mutation);
  return out;
}

std::string results_text(const ResultsDocument& document) {
  return results_to_json(document).dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

ResultsDocument results_from_json(const json& j, const std::string& where) {
  if (!j.is_object() || !j.contains("schema") || j["schema"] != kResultsSchema) {
    throw ConfigError(where + R"(: expected "schema": "twincert.results/1")");
  }
  const ObjectReader doc(j, where, "");
  ResultsDocument d;

  const ObjectReader campaign = doc.object("campaign");
  d.campaign = {campaign.get<std::string>("id"), campaign.get<std::string>("title"),
                campaign.get<std::string>("file"), campaign.get<std::string>("sha256"),
                campaign.get<std::size_t>("cases_in_matrix")};

  const ObjectReader versions = doc.object("versions");
  d.versions = {versions.get<std::string>("twincert"), versions.get<std::string>("build"),
                versions.get<std::string>("adapter")};

  const ObjectReader run = doc.object("run");
  d.run = {run.get<std::string>("started_utc"), run.get<double>("wall_s"),
           run.get<std::string>("shard"), run.get<std::string>("mutant"),
           run.get<std::size_t>("resumed_cases")};

  d.seeds = doc.get<std::vector<std::uint64_t>>("seeds");

  const ObjectReader summary = doc.object("summary");
  d.summary.verdict = run_verdict_of(summary, summary.get<std::string>("verdict"));
  d.summary.cases = summary.get<std::size_t>("cases");
  d.summary.passed = summary.get<std::size_t>("passed");
  d.summary.failed = summary.get<std::size_t>("failed");
  d.summary.errors = summary.get<std::size_t>("errors");
  d.summary.flaky = summary.get<std::vector<std::string>>("flaky");

  const json& requirements = doc.array("requirements");
  for (std::size_t i = 0; i < requirements.size(); ++i) {
    const ObjectReader r(requirements[i], where, "/requirements/" + std::to_string(i));
    RequirementResult q;
    q.id = r.get<std::string>("id");
    q.title = r.get<std::string>("title");
    q.text = r.get<std::string>("text");
    q.source = r.get<std::string>("source");
    q.verdict = requirement_verdict_of(r, r.get<std::string>("verdict"));
    q.rules = r.get<std::vector<std::string>>("rules");
    const ObjectReader n = r.object("results");
    q.results = {n.get<std::size_t>("pass"), n.get<std::size_t>("fail"),
                 n.get<std::size_t>("error"), n.get<std::size_t>("inconclusive")};
    d.requirements.push_back(std::move(q));
  }

  const json& rules = doc.array("rules");
  for (std::size_t i = 0; i < rules.size(); ++i) {
    const ObjectReader r(rules[i], where, "/rules/" + std::to_string(i));
    (void)r.get<std::string>("id");
    (void)r.get<std::string>("kind");
    d.rules.push_back(rule_definition_of(rules[i]));
  }

  const json& cases = doc.array("cases");
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const ObjectReader c(cases[i], where, "/cases/" + std::to_string(i));
    try {
      d.cases.push_back(case_result_from_json(cases[i]));
    } catch (const ConfigError& e) {
      c.fail(e.what());
    }
  }

  if (j.contains("mutation")) {
    const ObjectReader m = doc.object("mutation");
    // killed, total, score and the mutants' kills follow from the mutants' failures: the
    // schema requires some of them, so they are checked to be there, and written anew.
    (void)m.get<std::size_t>("killed");
    (void)m.get<std::size_t>("total");
    (void)m.get<double>("score");
    MutationScore score;
    const json& mutants = m.array("mutants");
    for (std::size_t i = 0; i < mutants.size(); ++i) {
      const ObjectReader x(mutants[i], where, "/mutation/mutants/" + std::to_string(i));
      MutantOutcome o;
      o.name = x.get<std::string>("name");
      o.killed = x.get<bool>("killed");
      o.caught_by = x.get<std::vector<std::string>>("caught_by");
      o.failed_rules = x.get<std::vector<std::string>>("failed_rules");
      const json& failures = x.get_or<json>("failures", json::array());
      if (!failures.is_array()) x.fail("\"failures\": expected an array");
      for (std::size_t k = 0; k < failures.size(); ++k) {
        const ObjectReader f(failures[k], where, x.at("/failures/" + std::to_string(k)));
        o.failures.push_back({f.get<std::string>("case"), f.get<std::string>("rule"),
                              f.get<std::string>("correct_verdict")});
      }
      score.mutants.push_back(std::move(o));
    }
    d.mutation = std::move(score);
  }
  return d;
}

ResultsDocument load_results(const std::filesystem::path& dir_or_file) {
  const auto path =
      std::filesystem::is_directory(dir_or_file) ? dir_or_file / "results.json" : dir_or_file;
  if (!std::filesystem::exists(dir_or_file)) {
    throw ConfigError("no results folder or file at " + dir_or_file.string());
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ConfigError("cannot read " + path.string() + " (is it a results folder?)");
  json doc;
  try {
    doc = json::parse(in);
  } catch (const json::parse_error& e) {
    throw ConfigError(path.string() + ": not JSON at byte " + std::to_string(e.byte));
  }
  return results_from_json(doc, path.string());
}

}  // namespace twincert::harness

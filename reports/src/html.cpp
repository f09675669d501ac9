#include "twincert/reports/html.hpp"

#include <fstream>
#include <map>
#include <set>

#include "twincert/generators/faults.hpp"
#include "twincert/harness/case_runner.hpp"
#include "twincert/reports/timeline.hpp"
#include "twincert/rules/evaluate.hpp"

#include "html_style.hpp"
#include "text.hpp"

namespace twincert::reports {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string h(const std::string& text) {
  return xml_text(text);
}

std::string count(std::size_t n) {
  return std::to_string(n);
}

std::string anchor_of(const std::string& case_id) {
  return "case-" + harness::folder_name_of(case_id);
}

std::string verdict_badge(const std::string& verdict) {
  const std::string css = verdict.empty() ? "none" : verdict;
  return R"(<span class="verdict v-)" + h(css) + R"(">)" + h(verdict.empty() ? "—" : verdict) +
         "</span>";
}

// 'text' for a POSIX shell.
std::string shell_quoted(const std::string& text) {
  std::string out = "'";
  for (const char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// What each source of a case is (its truth's sensor_health lines, read up to the first state).
std::vector<std::pair<std::string, std::string>> sources_of(const fs::path& case_dir) {
  std::vector<std::pair<std::string, std::string>> out;
  std::ifstream in(case_dir / "bundle" / "truth.jsonl");
  std::string line;
  std::set<std::string> seen;
  while (std::getline(in, line)) {
    const json j = json::parse(line, nullptr, false);
    const std::string kind = text_at(j, "kind");
    if (kind == "state") break;
    if (kind == "sensor_health" && seen.insert(text_at(j, "source")).second) {
      out.emplace_back(text_at(j, "source"), text_at(j, "sensor"));
    }
  }
  return out;
}

using harness::CaseResult;
using harness::ResultsDocument;

std::string verdict_name(rules::Verdict v) {
  return std::string(rules::name_of(v));
}

bool failed_or_error(rules::Verdict v) {
  return v == rules::Verdict::kFail || v == rules::Verdict::kError;
}

struct Page {
  const ResultsDocument& results;
  fs::path dir;
  const HtmlOptions& options;
  std::map<std::string, std::string> sensor_of_source;  // over every case read
};

std::string header(const Page& p) {
  const auto& campaign = p.results.campaign;
  const auto& versions = p.results.versions;
  const auto& run = p.results.run;
  const std::string verdict(harness::name_of(p.results.summary.verdict));
  std::string out = "<header><h1>" + h(campaign.id) + " " + verdict_badge(verdict) + "</h1>";
  if (!campaign.title.empty()) out += R"(<p class="subtitle">)" + h(campaign.title) + "</p>";
  const std::string& mutant = run.mutant;
  out += R"(<dl class="facts"><dt>Twin under test</dt><dd>)" + h(versions.adapter) +
         (mutant.empty() ? "" : " (mutant " + h(mutant) + ")") + "</dd><dt>Harness</dt><dd>" +
         h(versions.twincert) + " (build " + h(versions.build) +
         ")</dd><dt>Campaign file</dt><dd><code>" + h(campaign.file) +
         "</code><br><small>SHA-256 " + h(campaign.sha256) + "</small></dd><dt>Started</dt><dd>" +
         h(run.started_utc) + " (UTC), " + fixed(run.wall_s, 1) + " s, shard " + h(run.shard) +
         "</dd></dl></header>";
  return out;
}

std::string summary_cards(const Page& p) {
  const auto& summary = p.results.summary;
  double frames = 0;
  double replay_s = 0;
  double send_errors = 0;
  double flow_waits = 0;
  double late_p99 = 0;
  double late_max = 0;
  for (const CaseResult& c : p.results.cases) {
    late_p99 = std::max(late_p99, c.lateness_p99_us);
    late_max = std::max(late_max, c.lateness_max_us);
    frames += static_cast<double>(c.frames);
    replay_s += c.replay_s;
    send_errors += static_cast<double>(c.send_errors);
    flow_waits += static_cast<double>(c.flow_waits);
  }
  const auto card = [](const std::string& value, const std::string& label, const char* css) {
    return R"(<div class="card )" + std::string(css) + R"("><div class="value">)" + value +
           R"(</div><div class="label">)" + label + "</div></div>";
  };
  std::string out = R"(<section id="summary"><h2>Summary</h2><div class="cards">)";
  out += card(count(summary.cases), "cases", "");
  out += card(count(summary.passed), "passed", "good");
  out += card(count(summary.failed), "failed", summary.failed > 0 ? "bad" : "");
  out += card(count(summary.errors), "errors", summary.errors > 0 ? "bad" : "");
  const auto& flaky = summary.flaky;
  out += card(std::to_string(flaky.size()), "flaky", flaky.empty() ? "" : "warn");
  if (p.results.mutation) {
    const auto& m = *p.results.mutation;
    out += card(count(m.killed()) + "/" + count(m.total()), "mutants caught",
                m.killed() < m.total() ? "bad" : "good");
  }
  out += card(replay_s > 0 ? fixed(frames / replay_s / 1000.0, 1) + " k/s" : "—",
              "frames sent (" + fixed(frames, 0) + " in " + fixed(replay_s, 1) + " s)", "");
  out += card(fixed(send_errors, 0), "send errors", send_errors > 0 ? "warn" : "");
  out += card(fixed(flow_waits, 0), "flow-control waits", "");
  if (late_max > 0) {
    out += card(fixed(late_p99 / 1000.0, 2) + " ms",
                "pacing: worst case's p99 lateness (max " + fixed(late_max / 1000.0, 1) + " ms)",
                late_p99 > 10'000 ? "warn" : "");
  } else {  // virtual or top speed: no wall-clock deadlines to miss
    out += card("—", "pacing: not paced in real time", "");
  }
  out += "</div>";
  if (!flaky.empty()) {
    out += R"(<p class="warn">Flaky (passed and failed on repetition): )";
    for (const auto& f : flaky) out += "<code>" + h(f) + "</code> ";
    out += "</p>";
  }
  if (p.results.mutation) {
    out +=
        "<p>Mutation score: the same campaign was run against deliberately faulty variants "
        "of the twin; each must be caught by the rule named for it, failing in a case where "
        "it passes on the correct twin. A rule failing on both is a false alarm, not a "
        R"(catch.</p><ul class="mutants">)";
    for (const auto& m : p.results.mutation->mutants) {
      out += "<li>" + verdict_badge(m.killed ? "caught" : "survived") + " <code>" + h(m.name) +
             "</code>";
      if (m.false_alarms() > 0) {
        out += R"( <span class="warn">)" + count(m.false_alarms()) + " false alarms</span>";
      }
      out += "</li>";
    }
    out += "</ul>";
  }
  return out + "</section>";
}

std::string assurance_case(const Page& p) {
  const auto& campaign = p.results.campaign;
  const auto& summary = p.results.summary;
  std::string reqs;
  std::size_t developed = 0;
  std::size_t total = 0;
  for (const auto& r : p.results.requirements) {
    ++total;
    const std::string verdict(harness::name_of(r.verdict));
    const bool undeveloped = r.verdict == harness::RequirementVerdict::kNotVerified;
    developed += undeveloped ? 0 : 1;
    const auto& n = r.results;
    std::string rules;
    for (const auto& id : r.rules) rules += (rules.empty() ? "" : ", ") + h(id);
    const std::string& source = r.source;
    reqs += R"(<div class="gsn-branch"><div class="gsn goal v-)" + h(verdict) +
            (undeveloped ? " undeveloped" : "") + R"(" title=")" +
            h(r.text + (source.empty() ? "" : " [" + source + "]")) + R"("><b>G-)" + h(r.id) +
            "</b> " + h(r.title) + " holds<br>" + verdict_badge(verdict) + "</div>";
    if (undeveloped) {
      reqs += R"(<div class="gsn undeveloped-mark" title="no rule judged anything: no evidence">)"
              "◇ undeveloped</div></div>";
      continue;
    }
    reqs += R"(<a class="gsn solution" href="#trace-)" + h(r.id) + R"("><b>Sn</b> )" + rules +
            ": " + count(n.pass) + " pass, " + count(n.fail) + " fail, " + count(n.error) +
            " error" +
            (n.inconclusive > 0 ? " (" + count(n.inconclusive) + " with nothing to judge)"
                                : std::string()) +
            "</a></div>";
  }
  const std::string verdict(harness::name_of(summary.verdict));
  std::string out = R"(<section id="assurance"><h2>Assurance case</h2>)";
  out += R"(<div class="gsn-tree"><div class="gsn goal top v-)" + h(verdict) +
         R"("><b>G1</b> The twin )" + h(p.results.versions.adapter) + " meets its requirements (" +
         std::to_string(total) + ") under campaign " + h(campaign.id) + "<br>" +
         verdict_badge(verdict) + "</div>";
  out += R"(<div class="gsn context"><b>C1</b> )" + count(summary.cases) +
         " generated cases, seeds recorded, ground truth from the generator; campaign SHA-256 " +
         h(campaign.sha256.substr(0, 16)) + "…</div>";
  out += R"(<div class="gsn strategy"><b>S1</b> Argue over each requirement: replay synthetic )"
         "streams with injected faults to the twin and judge what it reports with protocol rules "
         "against the truth</div>";
  if (p.results.mutation) {
    const auto& m = *p.results.mutation;
    out += R"(<div class="gsn solution confidence"><b>Sn-M</b> The rules catch )" +
           count(m.killed()) + " of " + count(m.total()) +
           " deliberately faulty twins (confidence in the harness)</div>";
  }
  out += R"(<div class="gsn-children">)" + reqs + "</div></div>";
  out += R"(<p class="note">)" + std::to_string(developed) + " of " + std::to_string(total) +
         " claims have evidence; an undeveloped claim (◇) has no rule that judged anything in "
         "this campaign: its coverage is missing.</p></section>";
  return out;
}

std::string traceability(const Page& p) {
  // rule -> (case id, verdict) over every case
  std::map<std::string, std::vector<std::pair<std::string, rules::Verdict>>> by_rule;
  for (const CaseResult& c : p.results.cases) {
    for (const auto& r : c.rules) by_rule[r.rule_id].emplace_back(c.spec.id, r.verdict);
  }
  std::string out =
      R"(<section id="traceability"><h2>Traceability: requirement → rule → case → verdict</h2>)"
      R"(<p class="note">One square per case the rule judged; each links to the case and its )"
      R"(evidence.</p><table class="trace"><thead><tr><th>Requirement</th><th>Verdict</th>)"
      "<th>Rule</th><th>Pass / fail / error / inconclusive</th><th>Cases</th></tr></thead><tbody>";
  for (const auto& r : p.results.requirements) {
    const auto& rules = r.rules;
    const std::string& id = r.id;
    const std::size_t span = std::max<std::size_t>(1, rules.size());
    out += R"(<tr id="trace-)" + h(id) + R"("><td rowspan=")" + std::to_string(span) + R"("><b>)" +
           h(id) + "</b><br>" + h(r.title) + R"(</td><td rowspan=")" + std::to_string(span) +
           R"(">)" + verdict_badge(std::string(harness::name_of(r.verdict))) + "</td>";
    if (rules.empty()) out += R"(<td colspan="3" class="gap">no rule judged it</td></tr>)";
    bool first = true;
    for (const std::string& rule_id : rules) {
      if (!first) out += "<tr>";
      first = false;
      std::map<rules::Verdict, int> tally;
      std::string squares;
      for (const auto& [case_id, v] : by_rule[rule_id]) {
        ++tally[v];
        const std::string verdict = verdict_name(v);
        squares += R"(<a class="sq v-)";
        squares += h(verdict) + R"(" href="#)" + h(anchor_of(case_id)) + R"(" title=")" +
                   h(case_id) + ": " + h(verdict) + R"("></a>)";
      }
      out += "<td><code>" + h(rule_id) + "</code></td><td>" +
             std::to_string(tally[rules::Verdict::kPass]) + " / " +
             std::to_string(tally[rules::Verdict::kFail]) + " / " +
             std::to_string(tally[rules::Verdict::kError]) + " / " +
             std::to_string(tally[rules::Verdict::kInconclusive]) + R"(</td><td class="squares">)" +
             squares + "</td></tr>";
    }
  }
  return out + "</tbody></table></section>";
}

std::string coverage(Page& p) {
  // fault kind -> sensor -> cases; scenario -> level -> cases
  std::map<std::string, std::map<std::string, std::vector<std::string>>> kinds;
  std::map<std::string, std::map<std::string, int>> scenarios;
  std::set<std::string> sensors;
  std::size_t unreadable = 0;  // fault specs this harness version cannot read
  for (const CaseResult& c : p.results.cases) {
    const std::string& id = c.spec.id;
    for (const auto& [source, sensor] : sources_of(p.dir / "cases" / harness::folder_name_of(id))) {
      p.sensor_of_source[source] = sensor;
      sensors.insert(sensor);  // a sensor no fault touched is a visible gap too
    }
    const std::string& scenario = c.spec.scenario;
    const auto& faults = c.spec.faults;
    if (faults.empty()) ++scenarios[scenario]["no fault"];
    for (const std::string& f : faults) {
      try {
        const auto spec = generators::parse_fault(f);
        const auto found = p.sensor_of_source.find(spec.source);
        const std::string sensor = found != p.sensor_of_source.end() ? found->second : spec.source;
        sensors.insert(sensor);
        kinds[spec.kind][sensor].push_back(id);
        ++scenarios[scenario][std::string(generators::level_name(spec.level))];
      } catch (const std::exception&) {
        ++unreadable;
      }
    }
  }
  std::string out =
      R"(<section id="coverage"><h2>Coverage</h2><h3>Fault classes × sensors</h3><p )"
      R"(class="note">Cases per fault class and sensor; an empty row is a fault class this )"
      R"(campaign never injected.</p><table class="coverage"><thead><tr><th>Fault class</th>)"
      "<th>Level</th>";
  for (const auto& s : sensors) out += "<th>" + h(s) + "</th>";
  out += "</tr></thead><tbody>";
  std::size_t unexercised = 0;
  for (const auto& info : generators::fault_kinds()) {
    const std::string kind(info.name);
    const auto row = kinds.find(kind);
    unexercised += row == kinds.end() ? 1U : 0U;
    out += "<tr" + std::string(row == kinds.end() ? R"( class="gap")" : "") + "><td>" + h(kind) +
           "</td><td>" + h(std::string(generators::level_name(info.level))) + "</td>";
    for (const auto& s : sensors) {
      const std::size_t n =
          row == kinds.end() || !row->second.contains(s) ? 0 : row->second.at(s).size();
      out += n == 0 ? "<td></td>" : R"(<td class="hit">)" + std::to_string(n) + "</td>";
    }
    out += "</tr>";
  }
  out += R"(</tbody></table><p class="note">)" + std::to_string(unexercised) +
         " fault classes not exercised" +
         (unreadable > 0 ? "; " + std::to_string(unreadable) +
                               " fault specs not understood by this "
                               "version (not counted)"
                         : std::string()) +
         ".</p><h3>Scenarios × fault levels</h3><table "
         R"(class="coverage"><thead><tr><th>Scenario</th><th>no fault</th><th>sensor</th>)"
         "<th>sentence</th><th>network</th></tr></thead><tbody>";
  for (auto& [scenario, levels] : scenarios) {
    out += "<tr><td>" + h(scenario) + "</td>";
    for (const char* level : {"no fault", "sensor", "sentence", "network"}) {
      const int n = levels[level];
      out += n == 0 ? "<td></td>" : R"(<td class="hit">)" + std::to_string(n) + "</td>";
    }
    out += "</tr>";
  }
  return out + "</tbody></table></section>";
}

std::string hardware(const Page& p) {
  if (p.options.hil == nullptr) return "";
  const HilComparison& c = *p.options.hil;
  std::string out =
      R"(<section id="hil"><h2>Hardware in the loop</h2><p class="note">)" +
      std::to_string(c.cases.size()) + " cases from <code>" + h(c.source) + "</code>: <b>" +
      std::to_string(c.disagreements) + "</b> disagree with the software run, " +
      std::to_string(c.failed) + " failed on hardware, " + std::to_string(c.without_result) +
      " without a hardware result.</p><table><thead><tr><th>Case</th><th>Rig</th>"
      "<th>Software</th><th>Hardware</th><th>Attempts</th><th></th></tr></thead><tbody>";
  for (const HilOutcome& o : c.cases) {
    std::string attempts;
    for (const std::string& a : o.attempt_outcomes) attempts += h(a) + "<br>";
    out += std::string("<tr") + (o.disagrees ? R"( class="bad")" : "") + R"(><td><a href="#)" +
           h(anchor_of(o.id)) + R"("><code>)" + h(o.id) + "</code></a></td><td>" + h(o.rig) +
           "</td><td>" + h(o.software.empty() ? "—" : o.software) + "</td><td>" + h(o.hardware()) +
           (o.first_failure.empty() ? "" : "<br><small>" + h(o.first_failure) + "</small>") +
           "</td><td>" + attempts + "</td><td>" + (o.disagrees ? "<b>disagree</b>" : "") +
           "</td></tr>";
  }
  return out + "</tbody></table></section>";
}

std::string changes(const Page& p) {
  if (p.options.baseline == nullptr) return "";
  const Comparison& c = *p.options.baseline;
  std::string out = R"(<section id="baseline"><h2>Against the baseline</h2><p class="note">)" +
                    h(p.options.baseline_label) + "</p><table><tbody>";
  const auto row = [&out](const char* what, const std::vector<CaseChange>& items, const char* css) {
    out += R"(<tr class=")" + std::string(css) + R"("><th>)" + what + " (" +
           std::to_string(items.size()) + ")</th><td>";
    for (const auto& i : items) {
      out += R"(<a href="#)" + h(anchor_of(i.id)) + R"("><code>)" + h(i.id) + "</code></a> " +
             (i.before.empty() ? "" : "(was " + h(i.before) + ") ");
    }
    out += "</td></tr>";
  };
  row("New failures", c.new_failures, c.new_failures.empty() ? "" : "bad");
  row("Fixed", c.fixes, c.fixes.empty() ? "" : "good");
  row("Still failing", c.still_failing, "");
  row("New cases", c.added, "");
  row("Cases gone", c.removed, "");
  out += "<tr><th>Requirements changed</th><td>";
  for (const auto& r : c.requirement_changes) {
    out += h(r.id) + ": " + h(r.before.empty() ? "new" : r.before) + " → " + h(r.after) + "<br>";
  }
  out += "</td></tr><tr><th>Timing changed</th><td>";
  for (const auto& t : c.timing) {
    out += "<code>" + h(t.id) + "</code> " + fixed(t.before_s, 1) + " s → " + fixed(t.after_s, 1) +
           " s<br>";
  }
  return out + "</td></tr></tbody></table></section>";
}

std::string reproduce_command(const Page& p, const CaseResult& c) {
  const std::string& mutant = p.results.run.mutant;
  return "twincert run " + shell_quoted(p.results.campaign.file) + " --case " +
         shell_quoted(c.spec.id) + (mutant.empty() ? "" : " --mutant " + shell_quoted(mutant)) +
         " --out repro";
}

std::string evidence_table(const rules::RuleResult& rule) {
  std::string out = R"(<table class="evidence"><thead><tr><th>t (s)</th><th>Expected</th>)"
                    "<th>Observed</th></tr></thead><tbody>";
  for (const auto& e : rule.evidence) {
    out += "<tr><td>" + fixed(e.t_s, 1) + "</td><td>" + h(e.expected) + "</td><td>" +
           h(e.observed) + "</td></tr>";
    const auto& frames = e.frames;
    if (!frames.empty()) {
      out += R"(<tr class="frames"><td></td><td colspan="2"><details><summary>input sent around )"
             "then (" +
             std::to_string(frames.size()) + " frames)</summary><pre>";
      for (const std::string& f : frames) out += h(f) + "\n";
      out += "</pre></details></td></tr>";
    }
  }
  return out + "</tbody></table>";
}

std::string case_files(const std::string& folder) {
  std::string out = R"(<p class="files">Evidence: )";
  for (const char* f : {"case.json", "observations.jsonl", "twin.log", "bundle/truth.jsonl",
                        "bundle/stream.nmea", "bundle/manifest.json"}) {
    out += R"(<a href="cases/)" + h(folder) + "/" + f + R"(">)" + f + "</a> ";
  }
  return out + "</p>";
}

std::string plot_of(const Page& p, const CaseResult& c) {
  const fs::path dir = p.dir / "cases" / harness::folder_name_of(c.spec.id);
  if (!fs::exists(dir / "bundle" / "truth.jsonl")) {
    return R"(<p class="note">No plot: the case folder ()" + h(dir.string()) +
           ") is not beside this report.</p>";
  }
  const Timeline t = load_timeline(dir, c, p.results.rules);
  std::string out = "<figure>" + timeline_svg(t) +
                    R"(<figcaption><span class="key truth"></span>)"
                    R"(truth <span class="key observed"></span>the twin <span class="key )"
                    R"(fault"></span>fault <span class="key expected"></span>alert expected )"
                    R"(<span class="key deadline"></span>deadline <span class="key )"
                    R"(failure"></span>rule failed; ▲ alert raised, ▼ cleared, | heartbeat)";
  if (t.skipped_lines > 0) {
    out += " (" + std::to_string(t.skipped_lines) + " unreadable lines skipped)";
  }
  return out + "</figcaption></figure>";
}

std::string failing_cases(const Page& p) {
  std::string out;
  std::size_t n = 0;
  for (const CaseResult& c : p.results.cases) {
    const std::string verdict = harness::case_verdict(c);
    if (verdict == "pass") continue;
    ++n;
    const std::string& id = c.spec.id;
    out += R"(<article class="case" id=")" + h(anchor_of(id)) + R"("><h3>)" +
           verdict_badge(verdict) + " <code>" + h(id) + "</code></h3>";
    if (!c.error.empty()) out += R"(<p class="bad">)" + h(c.error) + "</p>";
    out += plot_of(p, c);
    for (const auto& r : c.rules) {
      if (!failed_or_error(r.verdict)) continue;
      if (r.message.starts_with("case error:")) continue;  // said once above
      out += "<h4>" + verdict_badge(verdict_name(r.verdict)) + " <code>" + h(r.rule_id) +
             "</code> " + h(r.message) + "</h4>" + evidence_table(r);
    }
    if (!c.problems.empty()) {
      out += "<p>What went wrong while observing:</p><ul>";
      for (const auto& x : c.problems) {
        out += "<li>" + h(x.what) + " (" + count(x.count) + "×)</li>";
      }
      out += "</ul>";
    }
    out += R"(<p>Reproduce:</p><pre class="command">)" + h(reproduce_command(p, c)) + "</pre>" +
           case_files(harness::folder_name_of(id)) + "</article>";
  }
  if (n == 0) return R"(<section id="failures"><h2>Failures</h2><p>None.</p></section>)";
  return R"(<section id="failures"><h2>Failures ()" + std::to_string(n) + ")</h2>" + out +
         "</section>";
}

// "stopped (exited with status 0)" -> "stopped": the detail is in the cell's title.
std::string first_words(const std::string& text) {
  const auto paren = text.find(" (");
  return paren == std::string::npos ? text : text.substr(0, paren);
}

std::string all_cases(const Page& p) {
  std::string out =
      R"(<section id="cases"><h2>Cases</h2><table class="cases"><thead><tr><th>Case</th>)"
      "<th>Verdict</th><th>Scenario</th><th>Faults</th><th>Seed</th><th>Wall (s)</th>"
      "<th>Frames</th><th>Twin</th></tr></thead><tbody>";
  std::size_t plots = 0;
  for (const CaseResult& c : p.results.cases) {
    const std::string& id = c.spec.id;
    const std::string verdict = harness::case_verdict(c);
    const bool pass = verdict == "pass";
    std::string faults;
    for (const std::string& f : c.spec.faults) faults += "<code>" + h(f) + "</code> ";
    const std::string seed = std::to_string(c.spec.seed);
    out += "<tr" + std::string(pass ? R"( id=")" + h(anchor_of(id)) + R"(")" : "") + "><td>";
    if (pass && plots < p.options.passing_plots) {
      ++plots;
      out += "<details><summary><code>" + h(id) + "</code></summary>" + plot_of(p, c) +
             case_files(harness::folder_name_of(id)) + "</details>";
    } else if (pass) {
      out += "<code>" + h(id) + "</code>";
    } else {
      out += R"(<a href="#)" + h(anchor_of(id)) + R"("><code>)" + h(id) + "</code></a>";
    }
    out += "</td><td>" + verdict_badge(verdict) + "</td><td>" + h(c.spec.scenario) + "</td><td>" +
           faults + "</td><td>" + h(seed) + "</td><td>" + fixed(c.wall_s, 1) + "</td><td>" +
           count(c.frames) + R"(</td><td title=")" + h(c.twin_start + " / " + c.twin_end) +
           R"(">)" + h(first_words(c.twin_end)) + "</td></tr>";
  }
  return out + "</tbody></table></section>";
}

std::string footer(const Page& p) {
  return "<footer><p>Written by " + h(p.results.versions.twincert) +
         ". Every file of this folder is hashed in <code>manifest.json</code>: <code>twincert "
         "verify " +
         h(p.dir.filename().string()) +
         "</code> recomputes the hashes and names any file that changed; with "
         "<code>--pubkey KEY.pub</code> it also checks the signature <code>manifest.sig</code>."
         "</p></footer>";
}

}  // namespace

std::string html_report(const ResultsDocument& results, const fs::path& results_dir,
                        const HtmlOptions& options) {
  Page page{results, results_dir, options, {}};
  std::string body =
      header(page) +
      R"(<nav><a href="#summary">Summary</a> <a )"
      R"(href="#assurance">Assurance case</a> <a href="#traceability">)"
      R"(Traceability</a> <a href="#coverage">Coverage</a> )" +
      std::string(options.baseline != nullptr ? R"(<a href="#baseline">Baseline</a> )" : "") +
      std::string(options.hil != nullptr ? R"(<a href="#hil">Hardware</a> )" : "") +
      R"(<a href="#failures">Failures</a> <a href="#cases">Cases</a></nav><main>)";
  body += summary_cards(page);
  body += assurance_case(page);
  body += traceability(page);
  body += coverage(page);
  body += changes(page);
  body += hardware(page);
  body += failing_cases(page);
  body += all_cases(page);
  body += "</main>" + footer(page);
  return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta "
         R"(name="viewport" content="width=device-width, initial-scale=1"><title>twincert: )" +
         h(results.campaign.id) + " — " +
         h(std::string(harness::name_of(results.summary.verdict))) + "</title><style>" +
         std::string(kReportStyle) + "</style></head><body>" + body + "<script>" +
         std::string(kReportScript) + "</script></body></html>\n";
}

}  // namespace twincert::reports

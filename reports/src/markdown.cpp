#include "twincert/reports/markdown.hpp"

#include "twincert/rules/evaluate.hpp"

#include "text.hpp"

namespace twincert::reports {

namespace {

using harness::ResultsDocument;

constexpr std::size_t kFailuresShown = 20;

// A table cell or inline text: Markdown's own characters and line breaks would break the row.
std::string cell(const std::string& text) {
  std::string out;
  for (const char c : text) {
    if (c == '|' || c == '\\' || c == '`' || c == '*' || c == '_' || c == '<' || c == '[') {
      out += '\\';
      out += c;
    } else if (c == '\n' || c == '\r') {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

std::string requirements_table(const ResultsDocument& results) {
  if (results.requirements.empty()) return "";
  std::string out =
      "\n### Requirements\n\n| Requirement | Title | Verdict | Results (pass / fail / error / "
      "inconclusive) |\n|---|---|---|---|\n";
  for (const auto& r : results.requirements) {
    const auto& n = r.results;
    const std::string verdict(harness::name_of(r.verdict));
    out += "| " + cell(r.id) + " | " + cell(r.title) + " | " +
           (verdict == "pass" ? verdict : "**" + verdict + "**") + " | " + std::to_string(n.pass) +
           " / " + std::to_string(n.fail) + " / " + std::to_string(n.error) + " / " +
           std::to_string(n.inconclusive) + " |\n";
  }
  return out;
}

std::string failures(const ResultsDocument& results) {
  std::string out;
  std::size_t shown = 0;
  std::size_t failing = 0;
  for (const auto& c : results.cases) {
    const std::string verdict = harness::case_verdict(c);
    if (verdict == "pass") continue;
    ++failing;
    if (shown++ >= kFailuresShown) continue;
    out += "- **" + cell(verdict) + "** `" + c.spec.id + "`";
    if (!c.error.empty()) out += ": " + cell(c.error);
    out += "\n";
    for (const auto& r : c.rules) {
      if (r.verdict != rules::Verdict::kFail && r.verdict != rules::Verdict::kError) continue;
      if (r.message.starts_with("case error:")) continue;  // said once above
      out += "  - " + cell(r.rule_id) + " (" + std::string(rules::name_of(r.verdict)) +
             "): " + cell(r.message);
      if (!r.evidence.empty()) {
        const auto& e = r.evidence.front();
        out += " — at t = " + fixed(e.t_s, 1) + " s expected " + cell(e.expected) + ", observed " +
               cell(e.observed);
      }
      out += "\n";
    }
  }
  if (failing == 0) return "";
  if (failing > kFailuresShown) {
    out += "- … and " + std::to_string(failing - kFailuresShown) +
           " more (results.json, report.html)\n";
  }
  return "\n### Failures\n\n" + out;
}

std::string mutation(const ResultsDocument& results) {
  if (!results.mutation) return "";
  const auto& m = *results.mutation;
  std::string out = "\n**Mutation score** " + std::to_string(m.killed()) + " / " +
                    std::to_string(m.total()) +
                    " deliberately faulty twins caught (a rule failing where it passes on the "
                    "correct twin)";
  std::string survivors;
  std::string false_alarms;
  for (const auto& x : m.mutants) {
    const std::string name = "`" + x.name + "`";
    if (!x.killed) survivors += (survivors.empty() ? "" : ", ") + name;
    if (x.false_alarms() > 0) {
      false_alarms +=
          (false_alarms.empty() ? "" : ", ") + name + " " + std::to_string(x.false_alarms());
    }
  }
  out += survivors.empty() ? "" : "; survived: " + survivors;
  out += false_alarms.empty() ? ""
                              : "; false alarms (failing on the correct twin too): " + false_alarms;
  return out + "\n";
}

std::string changes(const Comparison& c) {
  std::string out = "\n### Against the baseline\n\n";
  const auto list = [&out](const char* title, const std::vector<CaseChange>& items) {
    if (items.empty()) return;
    out += std::string("- ") + title + " (" + std::to_string(items.size()) + "): ";
    for (std::size_t i = 0; i < items.size() && i < kFailuresShown; ++i) {
      out += (i > 0 ? ", `" : "`") + items[i].id + "`" +
             (items[i].before.empty() ? "" : " (was " + items[i].before + ")");
    }
    out += items.size() > kFailuresShown ? ", …\n" : "\n";
  };
  list("**New failures**", c.new_failures);
  list("Fixed", c.fixes);
  list("Still failing", c.still_failing);
  list("New cases", c.added);
  list("Cases gone", c.removed);
  for (const auto& r : c.requirement_changes) {
    out += "- Requirement " + cell(r.id) + ": " + (r.before.empty() ? "new" : r.before) + " → " +
           r.after + "\n";
  }
  for (const auto& t : c.timing) {
    out += "- `" + t.id + "` took " + fixed(t.after_s, 1) + " s (was " + fixed(t.before_s, 1) +
           " s)\n";
  }
  if (out.ends_with("baseline\n\n")) out += "No changes in verdicts or timing.\n";
  return out;
}

std::string hardware(const HilComparison& c) {
  std::string out = "\n### Hardware in the loop\n\n" + std::to_string(c.cases.size()) +
                    " cases from " + cell(c.source) + ": " + std::to_string(c.disagreements) +
                    " disagree with the software run, " + std::to_string(c.failed) +
                    " failed on hardware, " + std::to_string(c.without_result) +
                    " without a hardware result.\n\n| Case | Rig | Software | Hardware | |\n"
                    "|---|---|---|---|---|\n";
  for (const HilOutcome& o : c.cases) {
    out += "| `" + o.id + "` | " + cell(o.rig) + " | " +
           cell(o.software.empty() ? "—" : o.software) + " | " + cell(o.hardware()) + " | " +
           (o.disagrees ? "**disagree**" : "") +
           (o.first_failure.empty() ? "" : " " + cell(o.first_failure)) + " |\n";
  }
  return out;
}

}  // namespace

std::string markdown_summary(const ResultsDocument& results, const Comparison* baseline,
                             const HilComparison* hil) {
  const auto& summary = results.summary;
  const auto& run = results.run;
  const bool pass = summary.verdict == harness::RunVerdict::kPass;
  std::string out =
      "## twincert: " + cell(results.campaign.id) + " — " + (pass ? "PASS" : "**FAIL**") + "\n\n";
  if (!results.campaign.title.empty()) out += cell(results.campaign.title) + "\n\n";
  out += "Twin: " + cell(results.versions.adapter) +
         (run.mutant.empty() ? "" : " (mutant " + cell(run.mutant) + ")") + "; " +
         cell(results.versions.twincert) + "; shard " + cell(run.shard) + "; started " +
         cell(run.started_utc) + "\n\n";
  out += "| Cases | Passed | Failed | Errors | Flaky | Wall time |\n|---|---|---|---|---|---|\n| " +
         std::to_string(summary.cases) + " | " + std::to_string(summary.passed) + " | " +
         std::to_string(summary.failed) + " | " + std::to_string(summary.errors) + " | " +
         std::to_string(summary.flaky.size()) + " | " + fixed(run.wall_s, 1) + " s |\n";
  out += mutation(results);
  out += requirements_table(results);
  out += failures(results);
  if (baseline != nullptr) out += changes(*baseline);
  if (hil != nullptr) out += hardware(*hil);
  return out;
}

}  // namespace twincert::reports

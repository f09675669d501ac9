#include "twincert/reports/markdown.hpp"

#include "text.hpp"

namespace twincert::reports {

namespace {

using nlohmann::json;

constexpr std::size_t kFailuresShown = 20;

std::string count_of(const json& j, const char* key) {
  return fixed(number_at(j, key), 0);
}

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

std::string requirements_table(const json& results) {
  const json& requirements = array_at(results, "requirements");
  if (requirements.empty()) return "";
  std::string out =
      "\n### Requirements\n\n| Requirement | Title | Verdict | Results (pass / fail / error / "
      "inconclusive) |\n|---|---|---|---|\n";
  for (const json& r : requirements) {
    const json& n = object_at(r, "results");
    const std::string verdict = text_at(r, "verdict");
    out += "| " + cell(text_at(r, "id")) + " | " + cell(text_at(r, "title")) + " | " +
           (verdict == "pass" ? verdict : "**" + verdict + "**") + " | " + count_of(n, "pass") +
           " / " + count_of(n, "fail") + " / " + count_of(n, "error") + " / " +
           count_of(n, "inconclusive") + " |\n";
  }
  return out;
}

std::string failures(const json& results) {
  std::string out;
  std::size_t shown = 0;
  std::size_t failing = 0;
  for (const json& c : array_at(results, "cases")) {
    const std::string verdict = text_at(c, "verdict");
    if (verdict == "pass") continue;
    ++failing;
    if (shown++ >= kFailuresShown) continue;
    out += "- **" + cell(verdict) + "** `" + text_at(c, "id") + "`";
    if (!text_at(c, "error").empty()) out += ": " + cell(text_at(c, "error"));
    out += "\n";
    for (const json& r : array_at(c, "rules")) {
      const std::string v = text_at(r, "verdict");
      if (v != "fail" && v != "error") continue;
      if (text_at(r, "message").starts_with("case error:")) continue;  // said once above
      out += "  - " + cell(text_at(r, "rule")) + " (" + v + "): " + cell(text_at(r, "message"));
      const json& evidence = array_at(r, "evidence");
      if (!evidence.empty() && evidence[0].contains("t") && evidence[0]["t"].is_number()) {
        out += " — at t = " + fixed(number_at(evidence[0], "t"), 1) + " s expected " +
               cell(text_at(evidence[0], "expected")) + ", observed " +
               cell(text_at(evidence[0], "observed"));
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

std::string mutation(const json& results) {
  if (!results.contains("mutation")) return "";
  const json& m = object_at(results, "mutation");
  std::string out = "\n**Mutation score** " + count_of(m, "killed") + " / " + count_of(m, "total") +
                    " deliberately faulty twins caught (a rule failing where it passes on the "
                    "correct twin)";
  std::string survivors;
  std::string false_alarms;
  for (const json& x : array_at(m, "mutants")) {
    const std::string name = std::string("`") + text_at(x, "name") + "`";
    if (x.contains("killed") && x["killed"] == false) {
      survivors += (survivors.empty() ? "" : ", ") + name;
    }
    if (number_at(x, "false_alarms") > 0) {
      false_alarms += (false_alarms.empty() ? "" : ", ") + name + " " + count_of(x, "false_alarms");
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

std::string markdown_summary(const json& results, const Comparison* baseline,
                             const HilComparison* hil) {
  const json& summary = object_at(results, "summary");
  const json& campaign = object_at(results, "campaign");
  const json& run = object_at(results, "run");
  const std::string verdict = text_at(summary, "verdict");
  std::string out = "## twincert: " + cell(text_at(campaign, "id")) + " — " +
                    (verdict == "pass" ? "PASS" : "**FAIL**") + "\n\n";
  const std::string title = text_at(campaign, "title");
  if (!title.empty()) out += cell(title) + "\n\n";
  const std::string mutant = text_at(run, "mutant");
  out += "Twin: " + cell(text_at(object_at(results, "versions"), "adapter")) +
         (mutant.empty() ? "" : " (mutant " + cell(mutant) + ")") + "; " +
         cell(text_at(object_at(results, "versions"), "twincert")) + "; shard " +
         cell(text_at(run, "shard")) + "; started " + cell(text_at(run, "started_utc")) + "\n\n";
  const double wall = number_at(run, "wall_s");
  out += "| Cases | Passed | Failed | Errors | Flaky | Wall time |\n|---|---|---|---|---|---|\n| " +
         count_of(summary, "cases") + " | " + count_of(summary, "passed") + " | " +
         count_of(summary, "failed") + " | " + count_of(summary, "errors") + " | " +
         std::to_string(array_at(summary, "flaky").size()) + " | " + fixed(wall, 1) + " s |\n";
  out += mutation(results);
  out += requirements_table(results);
  out += failures(results);
  if (baseline != nullptr) out += changes(*baseline);
  if (hil != nullptr) out += hardware(*hil);
  return out;
}

}  // namespace twincert::reports

// twincert hil: hardware-in-the-loop. `hil plan` decides which cases of a campaign go to the
// lab's rigs under a budget of rig time, where and when, and says why for each case.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "twincert/base/config_error.hpp"
#include "twincert/base/duration.hpp"
#include "twincert/base/files.hpp"
#include "twincert/generators/bundle.hpp"
#include "twincert/generators/scenario.hpp"
#include "twincert/harness/campaign.hpp"
#include "twincert/harness/results_document.hpp"
#include "twincert/hil/campaign_cases.hpp"
#include "twincert/hil/plan_file.hpp"
#include "twincert/hil/planner.hpp"
#include "twincert/hil/rigs.hpp"
#include "twincert/reports/gantt.hpp"
#include "twincert/reports/results.hpp"

#include "commands.hpp"

namespace twincert::cli {

namespace {

namespace fs = std::filesystem;

struct PlanCommandOptions {
  std::string campaign;
  std::string rigs;
  std::string budget = "40h";
  std::string link = "net450";
  std::string device;
  std::string setup = "5m";
  std::string results;
  std::vector<std::string> mandated;
  std::string start;
  std::string out;
};

// plan.html: the plan as a Gantt chart, the rigs' windows behind, the left-out cases below.
std::string plan_page(const std::string& campaign, const hil::Plan& plan,
                      const std::vector<hil::Rig>& rigs, const std::vector<std::string>& summary) {
  reports::GanttPage page;
  page.title = "HIL plan: " + campaign;
  page.summary = summary;
  for (const auto& r : rigs) {
    for (const auto& w : r.windows) {
      page.windows.push_back({r.id, "", r.id + " available", w.from_unix_s, w.to_unix_s, false});
    }
  }
  for (const auto& a : plan.assignments) {
    page.bars.push_back({a.rig, a.case_id, a.case_id + ": " + a.reason, a.start_unix_s,
                         a.end_unix_s, a.reason.find("mandated") != std::string::npos});
  }
  for (const auto& l : plan.left_out) page.left_out.emplace_back(l.case_id, l.reason);
  return reports::gantt_html(page);
}

std::string hours(double s) {
  std::array<char, 32> b{};
  std::snprintf(b.data(), b.size(), "%.1f h", s / 3600.0);
  return b.data();
}

int run_plan(const PlanCommandOptions& o) {
  const harness::Campaign campaign = harness::load_campaign(o.campaign);
  const auto rigs = hil::load_rigs(o.rigs);
  hil::PlanOptions options;
  options.budget_s = parse_duration_s(o.budget);
  options.setup_s = parse_duration_s(o.setup);
  if (!o.start.empty()) options.start_unix_s = generators::parse_utc(o.start, "--start");
  const fs::path out = o.out.empty() ? fs::path("out") / (campaign.id + "-hil") : fs::path(o.out);
  fs::create_directories(out);
  const fs::path scratch = out / "scratch";
  auto cases = hil::hardware_cases(campaign, hil::parse_link(o.link), o.device, scratch);
  fs::remove_all(scratch);
  std::vector<hil::SoftwareVerdict> software;
  if (!o.results.empty()) software = hil::software_verdicts(harness::load_results(o.results));
  hil::score_risk(cases, software, o.mandated);
  const hil::Plan plan = hil::make_plan(cases, rigs, options);
  write_file_atomically(
      out / "plan.json",
      hil::plan_file_json(plan, campaign, o.rigs, o.link, o.device).dump(2) + "\n");
  const std::string summary =
      std::to_string(plan.assignments.size()) + " of " + std::to_string(cases.size()) +
      " cases on hardware, " + hours(plan.planned_s) + " of a " + hours(plan.budget_s) +
      " budget; makespan " + hours(plan.makespan_s) + " (lower bound " + hours(plan.lower_bound_s) +
      "); risk covered " +
      std::to_string(
          std::lround(plan.risk_total > 0 ? 100.0 * plan.risk_covered / plan.risk_total : 0.0)) +
      " %";
  write_file_atomically(out / "plan.html",
                        plan_page(campaign.id, plan, rigs, {summary, "link: " + o.link}));
  std::cout << campaign.id << ": " << summary << '\n';
  std::size_t shown = 0;
  for (const auto& l : plan.left_out) {
    if (l.reason.starts_with("over the budget") || shown++ >= 10) continue;
    std::cout << "  left out " << l.case_id << ": " << l.reason << '\n';
  }
  std::cout << "wrote " << (out / "plan.json").string() << " and plan.html\n";
  return kExitOk;
}

}  // namespace

std::function<int()> add_hil_command(CLI::App& app) {
  CLI::App* hil = app.add_subcommand(
      "hil", "Hardware-in-the-loop: plan cases on lab rigs and run them through rig agents");
  hil->require_subcommand(1);
  auto o = std::make_shared<PlanCommandOptions>();
  CLI::App* plan = hil->add_subcommand(
      "plan",
      "Choose the cases of a campaign for the lab's rigs under a budget of rig time and "
      "schedule them; write plan.json and plan.html (a Gantt chart)");
  plan->add_option("campaign", o->campaign, "Campaign file")->required();
  plan->add_option("--rigs", o->rigs, "Rig inventory (twincert.rigs/1, docs/formats/rigs.md)")
      ->required();
  plan->add_option("--budget", o->budget, "Rig time to spend (2h, 90m, seconds)")
      ->capture_default_str();
  plan->add_option("--link", o->link, "How the streams reach the device: net450 or serial:BAUD")
      ->capture_default_str();
  plan->add_option("--device", o->device, "Only rigs with this device model");
  plan->add_option("--setup", o->setup, "Bench time per case besides the stream (reset, checks)")
      ->capture_default_str();
  plan->add_option("--results", o->results,
                   "Software results folder of this campaign: failed, errored and flaky cases "
                   "weigh more");
  plan->add_option("--mandate", o->mandated,
                   "A case the certifier requires on hardware (repeatable)");
  plan->add_option("--start", o->start, "Plan from this UTC time (default: the first window)");
  plan->add_option("--out", o->out, "Output folder (default: out/CAMPAIGN_ID-hil)");
  plan->footer(
      "Each case's risk: failed in software +80, errored +60, flaky +50, never run in software "
      "+20,\nfirst of a fault class +15, mandated +1000. Cases are chosen by risk per rig-hour "
      "until the\nbudget is spent and scheduled on the capable rig where they end earliest. A "
      "serial stream\nfaster than its line (4800 baud = 480 characters/s) is left out with the "
      "reason.\n\nExit status: 0 planned, 2 bad campaign, rig inventory or option.\n\nExample:\n"
      "  twincert hil plan fixtures/campaigns/default.json --rigs fixtures/rigs/two-rigs.json \\\n"
      "      --budget 4h --link serial:38400 --results out/default --out out/hil");
  auto run_others = add_hil_run_commands(*hil);
  return [o, plan, run_others] { return plan->parsed() ? run_plan(*o) : run_others(); };
}

}  // namespace twincert::cli

// twincert hil serve / agent / status / cancel: run a HIL plan. The coordinator keeps the queue
// of the plan's cases; an agent beside each rig leases cases, runs them into the device and
// reports back; status and cancel are for the people in the lab. All of them talk TLS with
// certificates from the lab's authority (docs/hil.md).
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "twincert/base/config_error.hpp"
#include "twincert/base/duration.hpp"
#include "twincert/cli/version.hpp"
#include "twincert/generators/scenario.hpp"
#include "twincert/harness/campaign.hpp"
#include "twincert/hil/agent.hpp"
#include "twincert/hil/coordinator.hpp"
#include "twincert/hil/plan_file.hpp"
#include "twincert/hil/queue.hpp"
#include "twincert/hil/rigs.hpp"

#include "commands.hpp"
#include "locations.hpp"

namespace twincert::cli {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct TlsOptions {
  std::string certificate;
  std::string key;
  std::string authority;
  hil::TlsFiles files() const { return {certificate, key, authority}; }
};

void add_tls_options(CLI::App* cmd, TlsOptions& o) {
  cmd->add_option("--cert", o.certificate, "This side's certificate (PEM)")->required();
  cmd->add_option("--key", o.key, "Its private key (PEM)")->required();
  cmd->add_option("--ca", o.authority, "The lab's certificate authority (PEM)")->required();
}

void say(const std::string& who, const std::string& line) {
  std::array<char, 16> clock{};
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  std::strftime(clock.data(), clock.size(), "%H:%M:%S", &tm);
  std::cerr << clock.data() << ' ' << who << ": " << line << '\n';
}

json read_json(const fs::path& path) {
  std::ifstream in(path);
  if (!in) throw ConfigError("cannot read " + path.string());
  json doc = json::parse(in, nullptr, false);
  if (doc.is_discarded()) throw ConfigError(path.string() + ": not JSON");
  return doc;
}

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// ------------------------------------------------------------------------------------ serve

struct ServeOptions {
  std::string plan;
  TlsOptions tls;
  std::string listen = "127.0.0.1:7460";
  std::string out;
  std::string lease = "30s";
  int max_attempts = 3;
  std::string reserve = "1h";
  std::string port_file;
  bool keep_serving = false;
  bool resume = false;
};

int run_serve(const ServeOptions& o) {
  hil::ServedPlan plan = hil::load_served_plan(o.plan);
  const fs::path& plan_file = plan.file;
  const harness::Campaign& campaign = plan.campaign;
  hil::QueueOptions qo;
  qo.lease_s = parse_duration_s(o.lease);
  qo.max_attempts = o.max_attempts;
  qo.reservation_timeout_s = parse_duration_s(o.reserve);
  if (qo.lease_s < 1.0 || qo.max_attempts < 1) {
    throw ConfigError("--lease-timeout must be at least 1 s, --max-attempts 1");
  }
  const double now = hil::unix_now();
  hil::Queue queue(std::move(plan.cases), plan.rigs, qo, now);

  hil::CoordinatorOptions co;
  co.listen = o.listen;
  co.tls = o.tls.files();
  co.out_dir = o.out.empty() ? plan_file.parent_path() / "hil-run" : fs::path(o.out);
  co.port_file = o.port_file;
  co.exit_when_done = !o.keep_serving;
  co.rules = read_json(campaign.rules);
  co.case_timeout_s = std::chrono::duration<double>(campaign.case_timeout).count();
  for (const auto& c : queue.cases()) {
    if (fs::is_regular_file(c.spec.scenario)) {
      co.scenario_files[c.spec.scenario] = read_text(c.spec.scenario);
    }
  }
  co.header = {{"campaign", plan.campaign_record},
               {"plan", fs::absolute(plan_file).lexically_normal().string()},
               {"link", plan.link},
               {"tool", std::string("twincert ") + TWINCERT_VERSION},
               {"started_unix_s", now}};
  co.log = [](const std::string& line) { say("coordinator", line); };
  const fs::path saved = co.out_dir / "hil-results.json";
  if (fs::exists(saved)) {
    if (!o.resume) {
      throw ConfigError(saved.string() + " exists: --resume to carry on, or another --out");
    }
    queue.restore(read_json(saved), now);
    co.header["started_unix_s"] = read_json(saved).value("started_unix_s", now);
  }
  fs::create_directories(co.out_dir);
  hil::serve(queue, co);

  std::map<std::string, int> counts;
  int failed = 0;
  int missing = 0;
  for (const auto& c : queue.cases()) {
    ++counts[c.state == hil::CaseState::kDone ? c.verdict : hil::to_string(c.state)];
    if (c.state != hil::CaseState::kDone) ++missing;
    if (c.state == hil::CaseState::kDone && c.verdict != "pass") ++failed;
  }
  std::cout << campaign.id << " on hardware: " << queue.cases().size() << " cases";
  for (const auto& [what, n] : counts) std::cout << ", " << n << ' ' << what;
  std::cout << "\nwrote " << saved.string() << '\n';
  // A case without a hardware result is a check not passed, as a case missing from a merge.
  return failed > 0 || missing > 0 ? kExitChecksFailed : kExitOk;
}

// ------------------------------------------------------------------------------------ agent

struct AgentCommandOptions {
  std::string rigs;
  std::string rig_id;
  std::string coordinator;
  TlsOptions tls;
  std::string work;
  std::string wait = "10m";
  std::string reference_twin;
};

hil::Rig pick_rig(const std::vector<hil::Rig>& rigs, const std::string& id,
                  const std::string& file) {
  if (id.empty()) {
    if (rigs.size() == 1) return rigs.front();
    throw ConfigError(file + " has " + std::to_string(rigs.size()) +
                      " rigs: say which with --rig-id");
  }
  for (const auto& r : rigs) {
    if (r.id == id) return r;
  }
  throw ConfigError(file + " has no rig " + id);
}

int run_agent_command(const AgentCommandOptions& o) {
  hil::AgentOptions a;
  a.rig = pick_rig(hil::load_rigs(o.rigs), o.rig_id, o.rigs);
  a.coordinator = hil::parse_endpoint(o.coordinator);
  a.tls = o.tls.files();
  a.work_dir = o.work.empty() ? fs::path("out") / ("hil-agent-" + a.rig.id) : fs::path(o.work);
  a.reference_twin = reference_twin_path(o.reference_twin);
  a.tool = std::string("twincert ") + TWINCERT_VERSION + " (build " + TWINCERT_BUILD_ID + ")";
  a.wait_timeout = std::chrono::seconds(std::lround(parse_duration_s(o.wait)));
  const std::string who = "agent " + a.rig.id;
  a.log = [who](const std::string& line) { say(who, line); };
  // No work within --wait-timeout and a refusal are both "nothing done" (exit_status.hpp).
  if (hil::run_agent(a) != hil::AgentEnd::kDone) return kExitNothingDone;
  say(who, "the coordinator has no more cases");
  return kExitOk;
}

// ----------------------------------------------------------------------- status and cancel

struct StatusOptions {
  std::string coordinator;
  TlsOptions tls;
  bool json_out = false;
  std::string cancel_case;
  std::string why;
};

std::string ago(double now, double then) {
  if (then <= 0.0) return "never";
  return std::to_string(std::lround(now - then)) + " s ago";
}

void print_status(const json& s) {
  const double now = s.value("now_unix_s", 0.0);
  std::cout << (s.value("finished", false) ? "finished" : "running") << ":";
  for (const auto& [state, n] : s["counts"].items()) std::cout << ' ' << n << ' ' << state;
  std::cout << "\n\nrigs:\n";
  for (const json& r : s["rigs"]) {
    std::cout << "  " << r.value("id", "") << "  seen "
              << ago(now, r.value("last_seen_unix_s", 0.0))
              << (r.value("healthy", true) ? "" : "  UNHEALTHY: " + r.value("health_detail", ""))
              << (r.value("lease", "").empty() ? "  idle" : "  holds " + r.value("lease", ""))
              << '\n';
  }
  std::cout << "\nleases:\n";
  std::size_t pending = 0;
  for (const json& c : s["cases"]) {
    const std::string state = c.value("state", "");
    if (state == "pending") ++pending;
    if (state != "leased") continue;
    const json& a = c["attempts"].back();
    std::cout << "  " << a.value("lease", "") << "  " << c.value("id", "") << " on "
              << a.value("rig", "") << ", since " << ago(now, a.value("from_unix_s", 0.0))
              << " (attempt " << c["attempts"].size() << ")\n";
  }
  std::cout << "\nqueue: " << pending << " pending\n";
  for (const json& c : s["cases"]) {
    if (c.value("state", "") == "pending") {
      std::cout << "  " << c.value("id", "") << " (planned on " << c.value("planned_rig", "")
                << ")\n";
    }
  }
}

int run_status(const StatusOptions& o) {
  hil::Client client(hil::parse_endpoint(o.coordinator), o.tls.files());
  const json request = o.cancel_case.empty()
                           ? json{{"op", "status"}}
                           : json{{"op", "cancel"}, {"case", o.cancel_case}, {"why", o.why}};
  const hil::Reply r = client.call(request, std::chrono::seconds(30));
  const char* what = o.cancel_case.empty() ? "status" : "cancel";
  if (!r.ok()) {
    std::cerr << "twincert hil " << what << ": " << r.error.message << '\n';
    return kExitNothingDone;
  }
  if (r.body->contains("error")) {
    std::cerr << "twincert hil " << what << ": " << r.body->value("error", "") << '\n';
    return r.body->value("refused", false) ? kExitNothingDone : kExitChecksFailed;
  }
  if (!o.cancel_case.empty()) {
    std::cout << "cancelled " << o.cancel_case << '\n';
  } else if (o.json_out) {
    std::cout << r.body->dump(2) << '\n';
  } else {
    print_status(*r.body);
  }
  return kExitOk;
}

}  // namespace

std::function<int()> add_hil_run_commands(CLI::App& hil) {
  auto so = std::make_shared<ServeOptions>();
  CLI::App* serve = hil.add_subcommand(
      "serve", "Coordinate a HIL plan: queue its cases, lease them to rig agents, collect results");
  serve->add_option("plan", so->plan, "plan.json of `twincert hil plan`, or its folder")
      ->required();
  add_tls_options(serve, so->tls);
  serve->add_option("--listen", so->listen, "Address and port (port 0: any free port)")
      ->capture_default_str();
  serve->add_option("--out", so->out, "Results folder (default: PLAN_FOLDER/hil-run)");
  serve
      ->add_option("--lease-timeout", so->lease,
                   "A lease without a heartbeat for this long expires; its case is queued again")
      ->capture_default_str();
  serve
      ->add_option("--max-attempts", so->max_attempts,
                   "Expired leases before a case is marked lost")
      ->capture_default_str();
  serve
      ->add_option("--reserve-timeout", so->reserve,
                   "A case no capable rig takes within this time is marked not run")
      ->capture_default_str();
  serve->add_option("--port-file", so->port_file, "Write the listening port here");
  serve->add_flag("--keep-serving", so->keep_serving, "Keep serving after the last case");
  serve->add_flag("--resume", so->resume,
                  "Carry on from the results folder's hil-results.json (leased cases run again)");
  serve->footer(
      "Writes OUT/hil-results.json (twincert.hil-results/1) after every change and each case's "
      "files\nto OUT/cases/CASE/. Merge into the campaign's report: twincert report RUN_DIR --hil "
      "OUT.\n\nExit status: 0 every case ran on hardware and passed, 1 some failed or errored "
      "there\nor has no hardware result (lost, not run, cancelled), 2 bad plan, campaign, rigs or "
      "TLS files.");

  auto ao = std::make_shared<AgentCommandOptions>();
  CLI::App* agent = hil.add_subcommand(
      "agent", "Run beside a rig: check its health, lease cases, run them into its device, report");
  agent->add_option("--rig", ao->rigs, "Rig inventory (twincert.rigs/1) with this rig's adapter")
      ->required();
  agent->add_option("--rig-id", ao->rig_id, "Which rig of the inventory (when it has several)");
  agent->add_option("--coordinator", ao->coordinator, "HOST:PORT of `twincert hil serve`")
      ->required();
  add_tls_options(agent, ao->tls);
  agent->add_option("--work", ao->work, "Working folder (default: out/hil-agent-RIG)");
  agent
      ->add_option("--wait-timeout", ao->wait,
                   "Give up after this long without a case to run (unhealthy, unreachable, "
                   "nothing queued for this rig)")
      ->capture_default_str();
  agent->add_option("--reference-twin", ao->reference_twin,
                    "twincert-reference-twin for ${reference_twin} (simulated rigs)");
  agent->footer(
      "The certificate's common name must be the rig's id: an agent acts only for its own rig.\n\n"
      "Exit status: 0 the coordinator has no more cases, 2 bad rig file or TLS files, 4 no case "
      "to run\nwithin --wait-timeout, or the coordinator refused this agent or its certificate "
      "was refused.");

  auto st = std::make_shared<StatusOptions>();
  CLI::App* status = hil.add_subcommand("status", "Show the coordinator's rigs, leases and queue");
  status->add_option("--coordinator", st->coordinator, "HOST:PORT")->required();
  add_tls_options(status, st->tls);
  status->add_flag("--json", st->json_out, "Print the coordinator's answer as JSON");
  status->footer("Exit status: 0 shown, 2 bad TLS files, 4 unreachable or refused.");

  auto ca = std::make_shared<StatusOptions>();
  CLI::App* cancel = hil.add_subcommand("cancel", "Cancel a pending or running case");
  cancel->add_option("case", ca->cancel_case, "Case id")->required();
  cancel->add_option("--why", ca->why, "Reason, kept in the results");
  cancel->add_option("--coordinator", ca->coordinator, "HOST:PORT")->required();
  add_tls_options(cancel, ca->tls);
  cancel->footer(
      "A running case's agent learns it at its next heartbeat and does not report it.\n\n"
      "Exit status: 0 cancelled, 1 no such pending or running case, 2 bad TLS files, 4 "
      "unreachable or refused.");

  return [=] {
    if (serve->parsed()) return run_serve(*so);
    if (agent->parsed()) return run_agent_command(*ao);
    if (status->parsed()) return run_status(*st);
    return run_status(*ca);
  };
}

}  // namespace twincert::cli

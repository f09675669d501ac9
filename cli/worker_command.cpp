// twincert worker: takes cases from the Redis work queue, runs them against a twin started
// here from each campaign's adapter, and stores their results and evidence (work_queue.hpp).
#include <atomic>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>

#include "twincert/base/config_error.hpp"
#include "twincert/base/duration.hpp"
#include "twincert/cli/version.hpp"
#include "twincert/harness/work_queue.hpp"

#include "commands.hpp"
#include "locations.hpp"
#include "queue_options.hpp"
#include <unistd.h>

namespace twincert::cli {

namespace {

struct WorkerCommandOptions {
  std::string queue;
  std::string password_file;
  unsigned jobs = 1;
  std::string visibility = "30s";
  unsigned max_attempts = 3;
  std::string work_dir;
  std::string reference_twin;
  std::string idle_exit;
  std::string name;
  bool allow_external = false;
  bool quiet = false;
};

// Lock-free, so a signal handler may set it.
std::atomic<bool> stop_requested{false};
static_assert(std::atomic<bool>::is_always_lock_free);

extern "C" void request_stop(int /*signal*/) {
  stop_requested.store(true);
}

std::chrono::milliseconds duration_option(const std::string& text) {
  return std::chrono::milliseconds(static_cast<std::int64_t>(parse_duration_s(text) * 1000.0));
}

int run_worker_command(const WorkerCommandOptions& o) {
  if (o.jobs < 1 || o.jobs > 256) throw ConfigError("--jobs must be 1..256");
  if (o.max_attempts < 1) throw ConfigError("--max-attempts must be at least 1");
  harness::WorkerOptions w;
  w.queue = queue_options(o.queue, o.password_file, o.allow_external, o.quiet);
  w.queue.visibility = duration_option(o.visibility);
  w.queue.max_attempts = o.max_attempts;
  w.jobs = o.jobs;
  w.work_dir = o.work_dir.empty() ? std::filesystem::temp_directory_path() /
                                        ("twincert-worker-" + std::to_string(::getpid()))
                                  : std::filesystem::path(o.work_dir);
  w.reference_twin = reference_twin_path(o.reference_twin);
  w.allow_external = o.allow_external;
  w.tool = std::string("twincert ") + TWINCERT_VERSION + " (build " + TWINCERT_BUILD_ID + ")";
  w.name = o.name;
  if (!o.idle_exit.empty()) w.idle_exit = duration_option(o.idle_exit);
  w.stop = &stop_requested;

  struct sigaction action {};
  action.sa_handler = request_stop;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);

  if (!o.quiet) {
    std::cerr << "twincert worker: " << w.jobs << (w.jobs == 1 ? " job" : " jobs") << " on "
              << w.queue.address.text() << ", cases in " << w.work_dir.string() << '\n';
  }
  const harness::WorkerStats stats = harness::run_worker(w);
  std::error_code ec;
  if (o.work_dir.empty()) std::filesystem::remove_all(w.work_dir, ec);
  if (!o.quiet) {
    std::cerr << "twincert worker: stopped after " << stats.ran << " cases (" << stats.poisoned
              << " given up as errors, " << stats.duplicates
              << " already stored by another worker)\n";
  }
  return kExitOk;
}

}  // namespace

std::function<int()> add_worker_command(CLI::App& app) {
  auto o = std::make_shared<WorkerCommandOptions>();
  CLI::App* cmd = app.add_subcommand(
      "worker",
      "Take cases from a Redis work queue (`twincert run --queue`), run each against a twin "
      "started here from its campaign's adapter, store the result and evidence; until stopped");
  cmd->add_option("--queue", o->queue, "Redis to take cases from: redis://HOST[:PORT][/DB]")
      ->required();
  cmd->add_option("--jobs", o->jobs, "Cases run at once on this machine")->capture_default_str();
  cmd->add_option("--password-file", o->password_file,
                  "File whose first line is the Redis password (overrides "
                  "$TWINCERT_REDIS_PASSWORD; the ACL user comes from $TWINCERT_REDIS_USER)");
  cmd->add_option("--visibility-timeout", o->visibility,
                  "How long a taken case may show no sign of life (its worker killed or cut "
                  "off) before this worker takes it over, e.g. 30s, 2m")
      ->capture_default_str();
  cmd->add_option("--max-attempts", o->max_attempts,
                  "Deliveries of one case before it is recorded as an error instead of run again "
                  "(a case that kills its workers)")
      ->capture_default_str();
  cmd->add_option("--work-dir", o->work_dir,
                  "Where cases run (default: a temporary folder, removed at the end)");
  cmd->add_option("--reference-twin", o->reference_twin,
                  "Path of twincert-reference-twin for ${reference_twin} (as in run)");
  cmd->add_option("--exit-when-idle", o->idle_exit,
                  "Stop once no case has been there to take for this long, e.g. 5m (batch jobs); "
                  "default: run until SIGTERM or SIGINT");
  cmd->add_option("--name", o->name, "This worker's name in Redis (default: HOST:PID)");
  cmd->add_flag("--allow-external", o->allow_external,
                "Allow a Redis beyond this host, and adapters that send beyond it (off: only "
                "127.0.0.0/8, ::1)");
  cmd->add_flag("--quiet", o->quiet, "Print nothing but errors");
  cmd->footer(
      "Credentials: $TWINCERT_REDIS_USER and $TWINCERT_REDIS_PASSWORD, or --password-file; never "
      "in the URL.\nEach campaign must be readable here at the path `twincert run` read it from, "
      "with the same\ncontent (a shared checkout or the installed share/twincert).\n\n"
      "Exit status: 0 stopped (SIGTERM, SIGINT or --exit-when-idle; running cases are finished "
      "and\nstored first), 2 bad option, Redis refused (not on this host, rediss://, wrong "
      "credentials),\n3 the worker failed.\n\nExamples:\n"
      "  twincert worker --queue redis://127.0.0.1:6379 --jobs 2\n"
      "  TWINCERT_REDIS_USER=twincert TWINCERT_REDIS_PASSWORD=... \\\n"
      "    twincert worker --queue redis://10.0.0.5:6379/1 --allow-external --exit-when-idle 10m");
  return [o] { return run_worker_command(*o); };
}

}  // namespace twincert::cli

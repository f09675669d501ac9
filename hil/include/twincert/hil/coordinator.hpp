// The HIL coordinator (`twincert hil serve`): keeps the queue of a plan's cases and answers
// the rig agents over TLS (wire.hpp). Requests, one JSON line each:
//   {"op": "hello", "rig", "healthy", "detail"}       an agent and its rig's health check
//   {"op": "lease", "rig"}                            -> {"lease", "case", "rules", ...},
//                                                        {"wait_s"} or {"done": true}
//   {"op": "heartbeat", "rig", "lease"}               -> {"standing": "held" | "expired" | ...}
//   {"op": "complete", "rig", "lease", "result", "files": {NAME: base64}}
//   {"op": "status"}, {"op": "cancel", "case", "why"}  any authenticated peer
// Rig requests are answered only when the certificate's common name is that rig. Every change
// is written to OUT/hil-results.json (twincert.hil-results/1) before it is answered, and each
// accepted case's files to OUT/cases/CASE/, so a killed coordinator loses nothing finished.
// Thread use: serve() blocks its caller and runs every session and the lease tick on one io_context
// in that thread, so the Queue needs no lock; nothing else may touch the Queue while it serves.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "twincert/hil/queue.hpp"
#include "twincert/hil/wire.hpp"

namespace twincert::hil {

struct CoordinatorOptions {
  std::string listen = "127.0.0.1:7460";  // port 0: any free port (see port_file)
  TlsFiles tls;
  std::filesystem::path out_dir;
  std::filesystem::path port_file;  // the bound port is written here when listening
  bool exit_when_done = true;
  nlohmann::json header;  // campaign, plan, ...: copied into hil-results.json
  nlohmann::json rules;   // the campaign's rules file, sent with each lease
  std::map<std::string, std::string> scenario_files;  // a case's scenario path -> its JSON text
  double case_timeout_s = 120.0;
  std::chrono::milliseconds tick{250};
  std::function<void(const std::string&)> log;  // one line per event
};

// Serves until the queue is finished (with exit_when_done) or SIGINT / SIGTERM. Throws
// ConfigError for bad TLS files or an address it cannot listen on.
void serve(Queue& queue, const CoordinatorOptions& options);

// Writes OUT/hil-results.json from the queue (atomically).
void write_results(const Queue& queue, const CoordinatorOptions& options, double now_unix_s);

// The wall clock as unix seconds.
double unix_now();

}  // namespace twincert::hil

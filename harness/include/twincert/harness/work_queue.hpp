// The Redis Streams work queue (docs/formats/queue.md): a collector enqueues a campaign's cases
// on a stream of their own and gathers results as workers finish them; workers, on any number
// of machines joining and leaving at any time, take cases through a consumer group, run each
// against their own twin from the campaign's adapter, store the result and the case folder's
// files, and acknowledge the entry only after that. A worker that dies mid-case loses nothing:
// its entry stays pending and another worker claims it (XAUTOCLAIM) once it has been idle for
// the visibility timeout; a running case keeps its entry fresh meanwhile. Results are stored
// with HSETNX by case id, so a case finished twice is recorded once; an entry delivered more
// than `max_attempts` times ends as an error case instead of killing another worker.
//
// Client: hiredis's synchronous context, one per thread, each owned by the thread that uses it
// (a worker's case threads, its keep-alive thread, the collector). Not Asio: a case occupies
// its thread for its whole run (run_case blocks), and between cases a thread makes a handful of
// round trips, so an event loop would only add a thread hop per command; the one thing that must
// run while a case does — refreshing its entry — has a thread and a connection of its own.
// hiredis 0.14 (Debian 12) has no TLS: rediss:// is refused with that reason.
//
// The functions here are thread-safe; each makes its own connections.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <string>

#include "twincert/harness/campaign.hpp"
#include "twincert/harness/queue_protocol.hpp"

namespace twincert::harness {

// An ACL user (may be empty: the default user) and password (may be empty: none).
struct QueueCredentials {
  std::string user;
  std::string password;
};

// $TWINCERT_REDIS_USER and $TWINCERT_REDIS_PASSWORD; a non-empty `password_file` (its first
// line) overrides the password. Throws ConfigError naming the file when it cannot be read.
// Reads the environment: call at start-up.
QueueCredentials read_queue_credentials(const std::filesystem::path& password_file);

struct QueueOptions {
  QueueAddress address;
  QueueCredentials credentials;
  // How long a taken case may go without a sign of life before another worker claims it.
  std::chrono::milliseconds visibility{30000};
  // Deliveries of one case before it ends as an error (a case that kills its workers).
  unsigned max_attempts = 3;
  // Where progress lines go (never credentials); empty: nowhere.
  std::function<void(const std::string&)> log;
};

// Connects once and says why it cannot (refused, wrong password, TLS): for start-up checks.
// Throws ConfigError.
void check_queue_reachable(const QueueOptions& options);

// The collector: RunOptions::distribute for `twincert run --queue`. Enqueues the cases the run
// has not finished (after --resume: those not in its journal) on a stream of the run, remembers
// the stream in OUT/queue.json (a collector resuming takes up the same stream), hands each
// finished case to run_campaign with its folder written under OUT/cases/ as a local run writes
// it, and deletes the run's keys once every case is in. Rides out a Redis restart or a lost
// connection (reconnects, and enqueues again what a Redis that lost its data no longer holds).
// Throws ConfigError when Redis cannot be reached or refuses the credentials at the start.
Distribute queue_distributor(QueueOptions options);

struct WorkerOptions {
  QueueOptions queue;
  unsigned jobs = 1;               // cases run at once
  std::filesystem::path work_dir;  // case folders while they run (removed once stored)
  std::filesystem::path reference_twin;
  bool allow_external = false;  // for the adapters' targets, as in run
  std::string tool;             // recorded in bundle manifests
  std::string name;             // consumer name prefix; empty: host:pid
  // Set (from a signal handler) to stop: no new case is taken, running ones finish and are
  // stored. Never null.
  const std::atomic<bool>* stop = nullptr;
  // Stop when no run has had a case to take for this long (0: never): for batch jobs.
  std::chrono::milliseconds idle_exit{0};
};

struct WorkerStats {
  std::size_t ran = 0;         // cases run and stored
  std::size_t duplicates = 0;  // stored after another worker had already stored the case
  std::size_t poisoned = 0;    // ended as errors after too many deliveries
};

// Takes and runs cases until *options.stop (or idle_exit). Throws ConfigError when Redis
// refuses the credentials; a lost connection is retried.
WorkerStats run_worker(const WorkerOptions& options);

}  // namespace twincert::harness

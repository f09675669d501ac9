// A twin under test as a child process: started with its command, arguments and environment,
// output to a log file, waited for until it is ready (a port that accepts, an HTTP path that
// answers 200, or a line in its log), sampled for liveness and resources from /proc, and
// stopped with SIGTERM, then SIGKILL after a grace period. Whatever the twin does — never
// becoming ready, dying, hanging — comes back as a value with a reason, never as a hang of
// the harness.
//
// A twin never outlives the harness. It runs in a process group of its own (a twin started
// through a shell or wrapper, or made of several processes, is the whole group): stop() and
// the destructor end the whole group, and so does the end of the twin's first process (unless
// a pid file names the twin: then the wrapper's end is only its start, ProcessSpec). It
// gets SIGKILL when the thread that started it ends (PR_SET_PDEATHSIG), so start and stop a
// twin in the same thread. And a keeper process, forked once per harness process, holds a
// pipe from the harness: when the harness dies in any way, SIGKILL included, the pipe closes
// and the keeper ends every group still registered with it.
//
// Not thread-safe; one owner per process. Several ChildProcess objects may live in different
// threads at once.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <sys/types.h>

namespace twincert::harness {

struct ProcessSpec {
  std::vector<std::string> command;                // program and arguments
  std::map<std::string, std::string> environment;  // added to the harness's own
  std::filesystem::path log;                       // stdout and stderr go here (empty: /dev/null)
  // A twin started through a wrapper that daemonises it (forks, leaves the process group, and
  // ends): the file where the twin's process id will be. When set, the twin is the process the
  // file names — probed, sampled (with its process group) and stopped — and its first process
  // ending with status 0 is only the wrapper done. Empty: the first process and its group.
  std::filesystem::path pid_file;
};

enum class ReadyProbe : std::uint8_t { kPortOpen, kHttp200, kLogLine };

struct Readiness {
  ReadyProbe probe = ReadyProbe::kPortOpen;
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;
  std::string path = "/ready";  // kHttp200
  std::string log_contains;     // kLogLine
  std::chrono::milliseconds timeout{10000};
};

struct ReadyResult {
  bool ready = false;
  std::string reason;  // when not ready: "exited with status 3 before it was ready", ...
  std::chrono::milliseconds after{0};
};

struct ResourceSample {
  std::uint64_t rss_bytes = 0;
  double cpu_seconds = 0.0;  // user + system since start
};

class ChildProcess {
 public:
  // Throws ConfigError when the program cannot be started.
  explicit ChildProcess(const ProcessSpec& spec);
  ~ChildProcess();  // stops it (SIGTERM, 2 s, SIGKILL)
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const noexcept { return pid_; }  // also the id of its process group
  // With a pid file: the process it names, once it names a live one; else -1.
  pid_t named_pid() const noexcept { return named_; }
  bool running();
  // How it ended ("exited with status 3", "killed by signal 6 (Aborted)"), or nullopt while
  // running.
  std::optional<std::string> ended();
  ReadyResult wait_ready(const Readiness& readiness);
  // Resident memory and CPU time of the whole process group (a wrapper and the twin behind it);
  // nullopt once the group is gone.
  std::optional<ResourceSample> sample() const;
  // SIGTERM to the group, then SIGKILL after `grace`; returns how its first process ended.
  std::string stop(std::chrono::milliseconds grace = std::chrono::milliseconds(2000));

 private:
  // Records how the first process ended (reaped) and tells the keeper the group is gone.
  void reap(int status);
  // With a pid file: how the twin it names (or the wrapper that should have named one) ended,
  // or nullopt while it runs (or the wrapper is still starting it).
  std::optional<std::string> named_ended();
  // Reads the pid file (once it names a live process); the process named, or -1.
  pid_t find_named();
  // stop() with a pid file: the named process, its group and the wrapper's group.
  std::string stop_named(std::chrono::milliseconds grace);

  pid_t pid_ = -1;
  std::optional<int> status_;
  std::filesystem::path log_;
  std::filesystem::path pid_file_;
  pid_t named_ = -1;        // the process the pid file names
  pid_t named_group_ = -1;  // its process group, registered with the keeper when not pid_'s
  std::optional<std::string> named_end_;
  // A pid file older than the start (a twin of an earlier run) names no process of this one.
  std::filesystem::file_time_type started_;
};

// A free TCP port on 127.0.0.1 (the OS picks; a tiny race remains until the twin binds it).
std::uint16_t free_port();

// True when something accepts TCP connections on host:port right now (a twin that should not
// be there yet: a stale one from a killed run, another program on a fixed port).
bool port_answers(const std::string& host, std::uint16_t port);

}  // namespace twincert::harness

// A twin under test as a child process: started with its command, arguments and environment,
// output to a log file, waited for until it is ready (a port that accepts, an HTTP path that
// answers 200, or a line in its log), sampled for liveness and resources from /proc, and
// stopped with SIGTERM, then SIGKILL after a grace period. Whatever the twin does — never
// becoming ready, dying, hanging — comes back as a value with a reason, never as a hang of
// the harness. Not thread-safe; one owner per process.
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
  // Throws generators::ConfigError when the program cannot be started.
  explicit ChildProcess(const ProcessSpec& spec);
  ~ChildProcess();  // stops it (SIGTERM, 2 s, SIGKILL)
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const noexcept { return pid_; }
  bool running();
  // How it ended ("exited with status 3", "killed by signal 6 (Aborted)"), or nullopt while
  // running.
  std::optional<std::string> ended();
  ReadyResult wait_ready(const Readiness& readiness);
  std::optional<ResourceSample> sample() const;
  // SIGTERM, then SIGKILL after `grace`; returns how it ended.
  std::string stop(std::chrono::milliseconds grace = std::chrono::milliseconds(2000));

 private:
  pid_t pid_ = -1;
  std::optional<int> status_;
  std::filesystem::path log_;
};

// A free TCP port on 127.0.0.1 (the OS picks; a tiny race remains until the twin binds it).
std::uint16_t free_port();

}  // namespace twincert::harness

#include "twincert/harness/child_process.hpp"

#include <array>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>
#include <thread>

#include "twincert/base/config_error.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;  // NOLINT(readability-redundant-declaration): POSIX leaves it undeclared

namespace twincert::harness {

namespace {

using Clock = std::chrono::steady_clock;

int connect_to(const std::string& host, std::uint16_t port, std::chrono::milliseconds timeout) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  if (inet_pton(AF_INET, host.c_str(), &a.sin_addr) != 1) {
    ::close(fd);
    return -1;
  }
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 &&
      errno != EINPROGRESS) {  // NOLINT
    ::close(fd);
    return -1;
  }
  pollfd p{fd, POLLOUT, 0};
  int error = 0;
  socklen_t length = sizeof error;
  if (::poll(&p, 1, static_cast<int>(timeout.count())) != 1 ||
      ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) != 0 || error != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

bool http_200(const Readiness& r) {
  const int fd = connect_to(r.host, r.port, std::chrono::milliseconds(500));
  if (fd < 0) return false;
  const std::string request =
      "GET " + r.path + " HTTP/1.1\r\nHost: " + r.host + "\r\nConnection: close\r\n\r\n";
  ::send(fd, request.data(), request.size(), MSG_NOSIGNAL);
  std::array<char, 64> head{};
  pollfd p{fd, POLLIN, 0};
  ssize_t n = 0;
  if (::poll(&p, 1, 500) == 1) n = ::recv(fd, head.data(), head.size() - 1, 0);
  ::close(fd);
  // "HTTP/1.1 200 ..."
  return n >= 12 &&
         std::string_view(head.data(), static_cast<std::size_t>(n)).substr(8, 4) == " 200";
}

bool log_has(const std::filesystem::path& log, const std::string& text) {
  std::ifstream in(log);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str().find(text) != std::string::npos;
}

std::string describe_status(int status) {
  if (WIFEXITED(status)) return "exited with status " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) {
    const int sig = WTERMSIG(status);
    const char* name = sigabbrev_np(sig);
    return "killed by signal " + std::to_string(sig) +
           (name != nullptr ? std::string(" (SIG") + name + ")" : "");
  }
  return "ended (status " + std::to_string(status) + ")";
}

}  // namespace

std::uint16_t free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);  // NOLINT
  socklen_t n = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &n);  // NOLINT
  ::close(fd);
  return ntohs(a.sin_port);
}

namespace {

// One 8-byte record per change, so that writes from several threads never interleave (a pipe
// writes up to PIPE_BUF bytes at once).
struct KeeperRecord {
  std::int32_t add = 0;  // 1: a group to end if the harness dies; 0: that group has ended
  std::int32_t group = 0;
};

// The keeper: a process forked once, holding the read end of a pipe whose only write end the
// harness holds (close-on-exec, so no twin inherits it). When every write end is closed — the
// harness ended, however it ended — the keeper ends the groups still registered. It runs
// async-signal-safe calls only (it was forked from a process with threads), ignores the signals
// a terminal or a CI runner sends to the harness's process group, and has a session of its own.
[[noreturn]] void keep(int from_harness) {
  for (const int sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE}) {
    struct sigaction ignore {};
    ignore.sa_handler = SIG_IGN;  // NOLINT(cppcoreguidelines-pro-type-union-access)
    ::sigaction(sig, &ignore, nullptr);
  }
  ::setsid();
  // Nothing of the harness stays open in here: a socket the harness closes to free a port for
  // a twin must really close.
  if (from_harness > 3) ::close_range(3, static_cast<unsigned>(from_harness) - 1, 0);
  ::close_range(static_cast<unsigned>(from_harness) + 1, ~0U, 0);
  ::close(STDIN_FILENO);
  constexpr std::size_t kMaxGroups = 4096;
  std::array<pid_t, kMaxGroups> groups{};
  std::size_t count = 0;
  for (;;) {
    KeeperRecord r;
    const ssize_t n = ::read(from_harness, &r, sizeof r);
    if (n < 0 && errno == EINTR) continue;
    if (n != static_cast<ssize_t>(sizeof r)) break;  // the harness is gone
    if (r.add != 0 && count < kMaxGroups) {
      groups.at(count++) = r.group;
    } else if (r.add == 0) {
      for (std::size_t i = 0; i < count; ++i) {
        if (groups.at(i) == r.group) groups.at(i) = groups.at(--count);
      }
    }
  }
  for (std::size_t i = 0; i < count; ++i) ::kill(-groups.at(i), SIGTERM);
  if (count > 0) {
    const timespec grace{0, 500'000'000};
    ::nanosleep(&grace, nullptr);
  }
  for (std::size_t i = 0; i < count; ++i) ::kill(-groups.at(i), SIGKILL);
  ::_exit(0);
}

class Keeper {
 public:
  static Keeper& instance() {
    static Keeper keeper;
    return keeper;
  }
  void add(pid_t group) const { tell({1, group}); }
  void remove(pid_t group) const { tell({0, group}); }

 private:
  Keeper() {
    std::array<int, 2> fds{};
    if (::pipe2(fds.data(), O_CLOEXEC) != 0) return;  // no keeper: twins still die with us
    const pid_t pid = ::fork();
    if (pid == 0) {
      ::close(fds[1]);
      keep(fds[0]);
    }
    ::close(fds[0]);
    if (pid < 0) {
      ::close(fds[1]);
      return;
    }
    to_keeper_ = fds[1];
  }

  void tell(KeeperRecord r) const {
    if (to_keeper_ < 0) return;
    while (::write(to_keeper_, &r, sizeof r) < 0 && errno == EINTR) {
    }
  }

  int to_keeper_ = -1;  // never closed: it closes when the harness ends
};

// The program's path as execve wants it: as given when it holds a '/', else found on PATH.
std::optional<std::string> program_path(const std::string& program) {
  if (program.find('/') != std::string::npos) return program;
  const char* path = std::getenv("PATH");  // NOLINT(concurrency-mt-unsafe): read, never set
  std::string_view dirs = path != nullptr ? path : "/usr/local/bin:/usr/bin:/bin";
  while (true) {
    const auto colon = dirs.find(':');
    const std::string dir(dirs.substr(0, colon));
    const std::string candidate = (dir.empty() ? "." : dir) + "/" + program;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
    if (colon == std::string_view::npos) return std::nullopt;
    dirs.remove_prefix(colon + 1);
  }
}

// In the child between fork and exec: async-signal-safe calls only.
[[noreturn]] void become_twin(pid_t harness, const char* program, char* const* argv,
                              char* const* envp, const char* log, int report) {
  ::setpgid(0, 0);
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);        // NOLINT(cppcoreguidelines-pro-type-vararg)
  if (::getppid() != harness) ::_exit(127);  // the harness died before the line above
  sigset_t none;
  ::sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);  // NOLINT(concurrency-mt-unsafe): one thread here
  const int out = ::open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);  // NOLINT
  const int in = ::open("/dev/null", O_RDONLY | O_CLOEXEC);                     // NOLINT
  if (out >= 0 && in >= 0 && ::dup2(out, STDOUT_FILENO) >= 0 && ::dup2(out, STDERR_FILENO) >= 0 &&
      ::dup2(in, STDIN_FILENO) >= 0) {
    ::execve(program, argv, envp);
  }
  const int error = errno;
  [[maybe_unused]] const ssize_t told = ::write(report, &error, sizeof error);
  ::_exit(127);
}

}  // namespace

ChildProcess::ChildProcess(const ProcessSpec& spec)
    : log_(spec.log),
      pid_file_(spec.pid_file),
      started_(std::filesystem::file_time_type::clock::now()) {
  if (spec.command.empty()) throw ConfigError("no command to start the twin with");
  const auto program = program_path(spec.command[0]);
  if (!program) {
    throw ConfigError("cannot start " + spec.command[0] + ": no such program on PATH");
  }
  std::vector<std::string> env;
  env.reserve(spec.environment.size() + 64);
  for (char** e = environ; *e != nullptr; ++e) env.emplace_back(*e);  // NOLINT
  for (const auto& [key, value] : spec.environment) {
    std::string entry = key;
    entry += '=';
    entry += value;
    env.push_back(std::move(entry));
  }
  std::vector<char*> argv;
  std::vector<std::string> args = spec.command;
  argv.reserve(args.size() + 1);
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::vector<char*> envp;
  envp.reserve(env.size() + 1);
  for (auto& e : env) envp.push_back(e.data());
  envp.push_back(nullptr);
  const std::string log = spec.log.empty() ? "/dev/null" : spec.log.string();

  const Keeper& keeper = Keeper::instance();  // before the first twin: it must not inherit one
  std::array<int, 2> report{};  // the child's errno if exec fails; closed by a good exec
  if (::pipe2(report.data(), O_CLOEXEC) != 0) {
    throw std::system_error(errno, std::generic_category(), "pipe for starting a twin");
  }
  const pid_t harness = ::getpid();
  pid_ = ::fork();
  if (pid_ == 0) {
    become_twin(harness, program->c_str(), argv.data(), envp.data(), log.c_str(), report[1]);
  }
  ::close(report[1]);
  if (pid_ < 0) {
    ::close(report[0]);
    throw std::system_error(errno, std::generic_category(), "fork for starting a twin");
  }
  ::setpgid(pid_, pid_);  // also here: whichever of the two runs first, the group exists
  keeper.add(pid_);
  int error = 0;
  ssize_t n = 0;
  do {
    n = ::read(report[0], &error, sizeof error);
  } while (n < 0 && errno == EINTR);
  ::close(report[0]);
  if (n == static_cast<ssize_t>(sizeof error)) {
    int status = 0;
    ::waitpid(pid_, &status, 0);
    keeper.remove(pid_);
    pid_ = -1;
    throw ConfigError("cannot start " + spec.command[0] + ": " +
                      std::error_code(error, std::generic_category()).message());
  }
}

ChildProcess::~ChildProcess() {
  if (pid_ > 0) stop();
}

void ChildProcess::reap(int status) {
  status_ = status;
  Keeper::instance().remove(pid_);
}

namespace {

struct ProcStat {
  char state = '?';
  pid_t group = 0;
  std::uint64_t cpu_ticks = 0;  // user + system
  std::uint64_t rss_pages = 0;
};

// /proc/PID/stat; fields after the command name (which may hold spaces and parentheses) start
// after the last ')'.
std::optional<ProcStat> proc_stat(const std::string& pid) {
  std::ifstream in("/proc/" + pid + "/stat");
  std::string text;
  if (!std::getline(in, text)) return std::nullopt;
  const auto close = text.rfind(')');
  if (close == std::string::npos || close + 2 >= text.size()) return std::nullopt;
  std::istringstream fields(text.substr(close + 2));
  ProcStat s;
  std::string field;
  for (int i = 3; i <= 24 && fields >> field; ++i) {
    try {
      if (i == 3) s.state = field.front();
      if (i == 5) s.group = static_cast<pid_t>(std::stol(field));
      if (i == 14 || i == 15) s.cpu_ticks += std::stoull(field);
      if (i == 24) s.rss_pages = std::stoull(field);
    } catch (const std::exception&) {
      return std::nullopt;
    }
  }
  return s;
}

// A process that exists and has not ended (a zombie has ended: its parent, init or a
// subreaper, just has not reaped it yet).
bool alive(pid_t pid) {
  const auto s = proc_stat(std::to_string(pid));
  return s && s->state != 'Z' && s->state != 'X';
}

}  // namespace

pid_t ChildProcess::find_named() {
  if (named_ > 0) return named_;
  std::error_code ec;
  const auto written = std::filesystem::last_write_time(pid_file_, ec);
  // One second of slack: file times come from a coarser clock than now().
  if (ec || written < started_ - std::chrono::seconds(1)) return -1;
  std::ifstream in(pid_file_);
  long long pid = 0;
  if (!(in >> pid) || pid <= 1 || pid > 4'194'304) return -1;  // not (yet) a process id
  const auto named = static_cast<pid_t>(pid);
  const auto stat = proc_stat(std::to_string(named));
  if (!stat || stat->state == 'Z' || stat->state == 'X') return -1;
  named_ = named;
  // A daemon that left the twin's group leads one of its own (setsid): end that group too,
  // with the harness if need be.
  if (stat->group == named_ && named_ != pid_) {
    named_group_ = named_;
    Keeper::instance().add(named_group_);
  }
  return named_;
}

std::optional<std::string> ChildProcess::named_ended() {
  if (named_end_) return named_end_;
  if (!status_ && pid_ > 0) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      // The wrapper is done; what it started may live on in the group: no SIGKILL here.
      status_ = status;
    }
  }
  const pid_t named = find_named();
  if (named > 0) {
    if (alive(named)) return std::nullopt;
    named_end_ =
        "the process " + std::to_string(named) + " named in " + pid_file_.string() + " ended";
  } else if (status_ && !(WIFEXITED(*status_) && WEXITSTATUS(*status_) == 0)) {
    named_end_ =
        describe_status(*status_) + " (" + pid_file_.string() + " named no running process)";
  } else {
    return std::nullopt;  // still starting it (a wrapper done with status 0 may leave the
                          // daemon to write its pid file)
  }
  if (named_group_ > 0) Keeper::instance().remove(named_group_);
  return named_end_;
}

bool ChildProcess::running() {
  return !ended().has_value();
}

std::optional<std::string> ChildProcess::ended() {
  if (!pid_file_.empty()) return named_ended();
  if (!status_ && pid_ > 0) {
    // Seen ended but not reaped yet (WNOWAIT): while its zombie holds the pid, the group's id
    // cannot go to another process, so ending the rest of the group hits only the twin's.
    siginfo_t info{};
    if (::waitid(P_PID, static_cast<id_t>(pid_), &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
        info.si_pid == pid_) {
      ::kill(-pid_, SIGKILL);
      int status = 0;
      ::waitpid(pid_, &status, 0);
      reap(status);
    }
  }
  if (!status_) return std::nullopt;
  return describe_status(*status_);
}

ReadyResult ChildProcess::wait_ready(const Readiness& r) {
  const auto started = Clock::now();
  const auto until = started + r.timeout;
  ReadyResult result;
  for (;;) {
    const auto elapsed =
        std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);
    if (const auto how = ended()) {
      result.reason = *how + " before it was ready";
      result.after = elapsed;
      return result;
    }
    bool ok = false;
    switch (r.probe) {
      case ReadyProbe::kPortOpen: {
        const int fd = connect_to(r.host, r.port, std::chrono::milliseconds(200));
        ok = fd >= 0;
        if (ok) ::close(fd);
        break;
      }
      case ReadyProbe::kHttp200:
        ok = http_200(r);
        break;
      case ReadyProbe::kLogLine:
        ok = log_has(log_, r.log_contains);
        break;
    }
    if (ok) {
      result.ready = true;
      result.after = elapsed;
      return result;
    }
    if (Clock::now() >= until) {
      result.reason = "not ready within " + std::to_string(r.timeout.count()) + " ms";
      result.after = elapsed;
      return result;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

std::optional<ResourceSample> ChildProcess::sample() const {
  pid_t other_group = -1;  // with a pid file: the named process's group, when not pid_'s
  if (!pid_file_.empty()) {
    if (named_ <= 0 || named_end_) return std::nullopt;
    const auto named = proc_stat(std::to_string(named_));
    if (!named || named->state == 'Z' || named->state == 'X') return std::nullopt;
    other_group = named->group;
  } else {
    if (pid_ <= 0 || status_) return std::nullopt;
    const auto leader = proc_stat(std::to_string(pid_));
    if (!leader || leader->state == 'Z' || leader->state == 'X') return std::nullopt;
  }
  std::uint64_t pages = 0;
  std::uint64_t ticks = 0;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/proc", ec)) {
    const std::string name = entry.path().filename().string();
    if (name.empty() || name.front() < '0' || name.front() > '9') continue;
    const auto s = proc_stat(name);
    if (!s || (s->group != pid_ && s->group != other_group)) continue;
    pages += s->rss_pages;
    ticks += s->cpu_ticks;
  }
  ResourceSample sample;
  sample.rss_bytes = pages * static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE));
  sample.cpu_seconds = static_cast<double>(ticks) / static_cast<double>(::sysconf(_SC_CLK_TCK));
  return sample;
}

std::string ChildProcess::stop_named(std::chrono::milliseconds grace) {
  if (named_end_ && status_) return *named_end_;  // stopped, or ended, and reaped
  // The twin the pid file names, its group, and whatever is left of the wrapper's group.
  (void)find_named();
  const pid_t named = named_ > 0 && !named_end_ ? named_ : -1;
  const auto signal_all = [&](int sig) {
    ::kill(-pid_, sig);
    if (named > 0) ::kill(named_group_ > 0 ? -named_group_ : named, sig);
  };
  const auto gone = [&] {
    if (!status_) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) status_ = status;
    }
    return status_.has_value() && (named <= 0 || !alive(named));
  };
  signal_all(SIGTERM);
  const auto until = Clock::now() + grace;
  while (!gone() && Clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  const bool killed = !gone();
  if (killed) {
    signal_all(SIGKILL);
    if (!status_) {
      int status = 0;
      ::waitpid(pid_, &status, 0);
      status_ = status;
    }
    for (int i = 0; i < 200 && named > 0 && alive(named); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  Keeper::instance().remove(pid_);
  if (named_group_ > 0) Keeper::instance().remove(named_group_);
  const std::string what = named > 0 ? "the process " + std::to_string(named) + " named in " +
                                           pid_file_.string() + " stopped"
                                     : named_end_.value_or(describe_status(*status_));
  if (!named_end_) named_end_ = what;
  return what + (killed
                     ? " (did not stop on SIGTERM within " + std::to_string(grace.count()) + " ms)"
                     : "");
}

std::string ChildProcess::stop(std::chrono::milliseconds grace) {
  if (!pid_file_.empty()) return stop_named(grace);
  if (const auto how = ended()) return *how;
  ::kill(-pid_, SIGTERM);
  const auto until = Clock::now() + grace;
  while (Clock::now() < until) {
    if (const auto how = ended()) return *how;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ::kill(-pid_, SIGKILL);
  int status = 0;
  ::waitpid(pid_, &status, 0);
  reap(status);
  return describe_status(status) + " (did not stop on SIGTERM within " +
         std::to_string(grace.count()) + " ms)";
}

bool port_answers(const std::string& host, std::uint16_t port) {
  const int fd = connect_to(host, port, std::chrono::milliseconds(200));
  if (fd < 0) return false;
  ::close(fd);
  return true;
}

}  // namespace twincert::harness

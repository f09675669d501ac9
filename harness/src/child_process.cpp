#include "twincert/harness/child_process.hpp"

#include <array>
#include <csignal>
#include <cstring>
#include <fstream>
#include <sstream>
#include <system_error>
#include <thread>

#include "twincert/generators/config_error.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <spawn.h>
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

ChildProcess::ChildProcess(const ProcessSpec& spec) : log_(spec.log) {
  if (spec.command.empty()) throw generators::ConfigError("no command to start the twin with");
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

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  const std::string log = spec.log.empty() ? "/dev/null" : spec.log.string();
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  const int rc = posix_spawnp(&pid_, argv[0], &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    throw generators::ConfigError("cannot start " + spec.command[0] + ": " +
                                  std::error_code(rc, std::generic_category()).message());
  }
}

ChildProcess::~ChildProcess() {
  if (pid_ > 0) stop();
}

bool ChildProcess::running() {
  return !ended().has_value();
}

std::optional<std::string> ChildProcess::ended() {
  if (!status_) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) status_ = status;
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
  std::ifstream statm("/proc/" + std::to_string(pid_) + "/statm");
  std::uint64_t size = 0;
  std::uint64_t resident = 0;
  if (!(statm >> size >> resident)) return std::nullopt;
  ResourceSample s;
  s.rss_bytes = resident * static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE));
  std::ifstream stat("/proc/" + std::to_string(pid_) + "/stat");
  std::string text;
  std::getline(stat, text);
  // Fields after the command name (which may hold spaces) start after the last ')'.
  std::istringstream fields(text.substr(text.rfind(')') + 2));
  std::string field;
  std::uint64_t utime = 0;
  std::uint64_t stime = 0;
  for (int i = 3; i <= 15 && fields >> field; ++i) {
    if (i == 14) utime = std::stoull(field);
    if (i == 15) stime = std::stoull(field);
  }
  s.cpu_seconds = static_cast<double>(utime + stime) / static_cast<double>(::sysconf(_SC_CLK_TCK));
  return s;
}

std::string ChildProcess::stop(std::chrono::milliseconds grace) {
  if (const auto how = ended()) return *how;
  ::kill(pid_, SIGTERM);
  const auto until = Clock::now() + grace;
  while (Clock::now() < until) {
    if (const auto how = ended()) return *how;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ::kill(pid_, SIGKILL);
  int status = 0;
  ::waitpid(pid_, &status, 0);
  status_ = status;
  return describe_status(status) + " (did not stop on SIGTERM within " +
         std::to_string(grace.count()) + " ms)";
}

}  // namespace twincert::harness

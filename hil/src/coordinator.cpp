#include "twincert/hil/coordinator.hpp"

#include <fstream>
#include <set>
#include <variant>

#include "twincert/base/config_error.hpp"
#include "twincert/base/files.hpp"
#include "twincert/base/sha256.hpp"
#include "twincert/generators/bundle.hpp"

#include "asio.hpp"
#include "tls.hpp"
#include <sodium.h>

namespace twincert::hil {

namespace asio = boost::asio;
namespace fs = std::filesystem;
using asio::ip::tcp;
using nlohmann::json;

double unix_now() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

namespace {

constexpr std::size_t kMaxFiles = 16;
constexpr std::chrono::seconds kConnectionTimeout{60};
constexpr double kLingerS = 3.0;  // after the last case, to tell the agents there is no more

// A file name an agent may upload: no path, no hidden file, nothing odd.
bool plain_name(const std::string& name) {
  if (name.empty() || name.size() > 64 || name.front() == '.') return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
  });
}

struct Upload {
  std::map<std::string, std::string> bytes;   // name -> content
  std::map<std::string, std::string> sha256;  // name -> digest
};

// The files of a complete request, decoded; the error says what is wrong.
std::variant<Upload, std::string> decode_files(const json& files) {
  Upload up;
  if (!files.is_object()) return std::string("\"files\" is not an object of base64 texts");
  if (files.size() > kMaxFiles) return "more than " + std::to_string(kMaxFiles) + " files";
  for (const auto& [name, text] : files.items()) {
    if (!plain_name(name)) return "\"" + name + "\" is not a plain file name";
    if (!text.is_string()) return "file " + name + " is not base64 text";
    const auto& b64 = text.get_ref<const std::string&>();
    std::string bin(b64.size() / 4 * 3 + 3, '\0');
    std::size_t len = 0;
    if (sodium_base642bin(reinterpret_cast<unsigned char*>(bin.data()), bin.size(), b64.data(),
                          b64.size(), nullptr, &len, nullptr,
                          sodium_base64_VARIANT_ORIGINAL) != 0) {
      return "file " + name + " is not valid base64";
    }
    bin.resize(len);
    up.sha256[name] = sha256_hex(bin);
    up.bytes[name] = std::move(bin);
  }
  return up;
}

class Coordinator {
 public:
  Coordinator(Queue& queue, const CoordinatorOptions& options) : queue_(queue), options_(options) {}

  json handle(const std::string& peer, const json& request);
  void tick();
  bool done_for(double seconds) const {
    return finished_at_ > 0.0 && unix_now() - finished_at_ >= seconds;
  }
  void log(const std::string& line) const {
    if (options_.log) options_.log(line);
  }

 private:
  json lease(const std::string& rig);
  json complete(const std::string& rig, const json& request);
  json status() const;
  void save();

  Queue& queue_;
  const CoordinatorOptions& options_;
  double finished_at_ = 0.0;
};

void Coordinator::save() {
  const double now = unix_now();
  if (queue_.finished() && finished_at_ == 0.0) finished_at_ = now;
  write_results(queue_, options_, now);
}

json Coordinator::handle(const std::string& peer, const json& request) {
  const std::string op = request.value("op", "");
  if (op == "status") return status();
  if (op == "cancel") {
    const std::string id = request.value("case", "");
    const std::string why = request.value("why", "cancelled by " + peer);
    const bool ok = queue_.cancel(id, why, unix_now());
    if (ok) {
      log("cancelled " + id + " (" + why + ")");
      save();
    }
    return ok ? json{{"cancelled", id}} : json{{"error", "no pending or leased case " + id}};
  }
  const std::string rig = request.value("rig", "");
  if (op != "hello" && op != "lease" && op != "heartbeat" && op != "complete") {
    return {{"error", "unknown op \"" + op + "\""}};
  }
  if (rig.empty() || rig != peer) {
    log("refused " + op + " for rig \"" + rig + "\" from certificate CN=" + peer);
    return {{"error", "this certificate (CN=" + peer + ") may not act for rig \"" + rig + "\""},
            {"refused", true}};
  }
  if (std::none_of(queue_.rigs().begin(), queue_.rigs().end(),
                   [&](const RigPresence& p) { return p.id == rig; })) {
    return {{"error", "rig " + rig + " is not in the inventory"}, {"refused", true}};
  }
  const double now = unix_now();
  if (op == "hello") {
    const bool healthy = request.value("healthy", false);
    queue_.seen(rig, now, healthy, request.value("detail", ""));
    if (!healthy) log(rig + ": health check failed: " + request.value("detail", ""));
    save();
    return {{"lease_s", queue_.options().lease_s}, {"heartbeat_s", queue_.options().heartbeat_s()}};
  }
  if (op == "lease") return lease(rig);
  if (op == "heartbeat") {
    const auto standing = queue_.heartbeat(request.value("lease", ""), rig, now);
    return {{"standing", to_string(standing)}};
  }
  return complete(rig, request);
}

json Coordinator::lease(const std::string& rig) {
  const double now = unix_now();
  if (queue_.finished()) return {{"done", true}};
  const auto offer = queue_.lease(rig, now);
  if (!offer) return {{"wait_s", 1}};
  const harness::CaseSpec& s = offer->item->spec;
  json c = harness::to_json(s);
  if (const auto it = options_.scenario_files.find(s.scenario);
      it != options_.scenario_files.end()) {
    c["scenario_json"] = it->second;
  }
  log(rig + " leased " + s.id + " (" + offer->lease + ", attempt " +
      std::to_string(offer->item->attempts.size()) + ")");
  save();
  return {{"lease", offer->lease},
          {"case", c},
          {"rules", options_.rules},
          {"timeout_s", options_.case_timeout_s},
          {"heartbeat_s", queue_.options().heartbeat_s()}};
}

json Coordinator::complete(const std::string& rig, const json& request) {
  const std::string lease = request.value("lease", "");
  json result = request.contains("result") ? request["result"] : json();
  std::string verdict;
  try {
    verdict = harness::case_verdict(harness::case_result_from_json(result));
  } catch (const std::exception& e) {
    return {{"error", std::string("the result is not a case result: ") + e.what()}};
  }
  auto decoded = decode_files(request.contains("files") ? request["files"] : json::object());
  if (const auto* why = std::get_if<std::string>(&decoded)) return {{"error", *why}};
  auto& up = std::get<Upload>(decoded);
  result["verdict"] = verdict;  // judged here, whatever the agent claimed
  // The case folder's case.json is the result itself (as the harness writes it): made here,
  // not sent twice.
  up.bytes["case.json"] = result.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
  up.sha256["case.json"] = sha256_hex(up.bytes["case.json"]);
  const auto standing = queue_.complete(lease, rig, result, up.sha256, unix_now());
  if (standing != LeaseStanding::kHeld) {
    log(rig + " reported " + lease + " after it ended (" + to_string(standing) + "): not counted");
    save();
    return {{"accepted", false},
            {"standing", to_string(standing)},
            {"reason", std::string("lease ") + to_string(standing) +
                           "; the case was handed on or ended, this result is not counted"}};
  }
  const auto& cases = queue_.cases();
  const auto it = std::find_if(cases.begin(), cases.end(), [&](const QueuedCase& c) {
    return !c.attempts.empty() && c.attempts.back().lease == lease;
  });
  const fs::path dir = options_.out_dir / "cases" / harness::folder_name_of(it->spec.id);
  for (const auto& [name, bytes] : up.bytes) write_file_atomically(dir / name, bytes);
  log(rig + " finished " + it->spec.id + ": " + verdict);
  save();
  return {{"accepted", true}, {"verdict", verdict}};
}

json Coordinator::status() const {
  json s = queue_.to_json(false);  // status is for people; the results are in hil-results.json
  std::map<std::string, int> counts;
  for (const json& c : s["cases"]) ++counts[c["state"].get<std::string>()];
  s["counts"] = counts;
  s["now_unix_s"] = unix_now();
  s["lease_s"] = queue_.options().lease_s;
  s["finished"] = queue_.finished();
  return s;
}

void Coordinator::tick() {
  const auto events = queue_.tick(unix_now());
  for (const std::string& e : events) log(e);
  if (!events.empty() || (queue_.finished() && finished_at_ == 0.0)) save();
}

asio::awaitable<void> session(std::shared_ptr<asio::ssl::stream<tcp::socket>> stream,
                              Coordinator& coordinator) {
  asio::steady_timer watchdog(stream->get_executor());
  watchdog.expires_after(kConnectionTimeout);
  watchdog.async_wait([stream](boost::system::error_code ec) {
    if (!ec) stream->lowest_layer().close(ec);  // a peer that holds a connection without a word
  });
  std::string from;
  try {
    from = stream->lowest_layer().remote_endpoint().address().to_string();
    co_await stream->async_handshake(asio::ssl::stream_base::server, asio::use_awaitable);
    const std::string peer = tls::peer_common_name(stream->native_handle());
    std::string line;
    const std::size_t n = co_await asio::async_read_until(
        *stream, asio::dynamic_buffer(line, kMaxMessageBytes), '\n', asio::use_awaitable);
    const json request = json::parse(line.substr(0, n), nullptr, false);
    const json answer = request.is_object() ? coordinator.handle(peer, request)
                                            : json{{"error", "not a JSON object line"}};
    const std::string out = answer.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
    co_await asio::async_write(*stream, asio::buffer(out), asio::use_awaitable);
  } catch (const boost::system::system_error& e) {
    if (e.code().category() == asio::error::get_ssl_category()) {
      coordinator.log("refused a connection from " + from + ": " + tls::describe(e.code()));
    }
  }
  watchdog.cancel();
  boost::system::error_code ignored;
  stream->lowest_layer().close(ignored);
}

asio::awaitable<void> accept_loop(tcp::acceptor& acceptor, asio::ssl::context& context,
                                  Coordinator& coordinator) {
  asio::steady_timer pause(acceptor.get_executor());
  for (;;) {
    boost::system::error_code ec;
    tcp::socket socket =
        co_await acceptor.async_accept(asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {  // out of descriptors, a reset before accept: wait a little, keep serving
      pause.expires_after(std::chrono::milliseconds(100));
      co_await pause.async_wait(asio::use_awaitable);
      continue;
    }
    auto stream = std::make_shared<asio::ssl::stream<tcp::socket>>(std::move(socket), context);
    asio::co_spawn(acceptor.get_executor(), session(stream, coordinator), asio::detached);
  }
}

asio::awaitable<void> tick_loop(Coordinator& coordinator, const Queue& queue,
                                const CoordinatorOptions& options, asio::io_context& io) {
  asio::steady_timer timer(io);
  for (;;) {
    timer.expires_after(options.tick);
    co_await timer.async_wait(asio::use_awaitable);
    coordinator.tick();
    if (options.exit_when_done && queue.finished() && coordinator.done_for(kLingerS)) {
      io.stop();
      co_return;
    }
  }
}

}  // namespace

void write_results(const Queue& queue, const CoordinatorOptions& options, double now_unix_s) {
  json doc = options.header.is_object() ? options.header : json::object();
  doc["schema"] = "twincert.hil-results/1";
  doc.update(queue.to_json());
  doc["updated_unix_s"] = now_unix_s;
  doc["finished"] = queue.finished();
  doc["options"] = {{"lease_s", queue.options().lease_s},
                    {"max_attempts", queue.options().max_attempts},
                    {"reservation_timeout_s", queue.options().reservation_timeout_s}};
  write_file_atomically(options.out_dir / "hil-results.json",
                        doc.dump(2, ' ', false, json::error_handler_t::replace) + "\n");
}

void serve(Queue& queue, const CoordinatorOptions& options) {
  if (sodium_init() < 0) throw std::runtime_error("libsodium cannot start");
  asio::io_context io;
  asio::ssl::context context = tls::server_context(options.tls);
  const Endpoint at = parse_endpoint(options.listen);
  tcp::acceptor acceptor(io);
  try {
    const tcp::endpoint endpoint(asio::ip::make_address(at.host), at.port);
    acceptor.open(endpoint.protocol());
    acceptor.set_option(tcp::acceptor::reuse_address(true));
    acceptor.bind(endpoint);
    acceptor.listen();
  } catch (const boost::system::system_error& e) {
    throw ConfigError("cannot listen on " + options.listen + ": " + e.code().message());
  }
  Coordinator coordinator(queue, options);
  write_results(queue, options, unix_now());
  if (!options.port_file.empty()) {
    write_file_atomically(options.port_file,
                          std::to_string(acceptor.local_endpoint().port()) + "\n");
  }
  coordinator.log("listening on " + acceptor.local_endpoint().address().to_string() + ":" +
                  std::to_string(acceptor.local_endpoint().port()) + " for " +
                  std::to_string(queue.cases().size()) + " cases");
  asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](boost::system::error_code ec, int signal) {
    if (ec) return;
    coordinator.log("stopping on signal " + std::to_string(signal) + "; state saved");
    io.stop();
  });
  asio::co_spawn(io, accept_loop(acceptor, context, coordinator), asio::detached);
  asio::co_spawn(io, tick_loop(coordinator, queue, options, io), asio::detached);
  io.run();
  write_results(queue, options, unix_now());
}

}  // namespace twincert::hil

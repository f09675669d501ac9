// How the coordinator and the rig agents talk: one JSON request line and one JSON answer line
// per TLS connection (TLS 1.2 or later), both sides proving who they are with a certificate
// signed by the lab's authority. The coordinator names each peer by its certificate's common
// name: an agent may act only for the rig its certificate names, so a command that does not
// authenticate reaches no rig. One connection per request keeps a killed agent from leaving
// anything half-open behind; heartbeats are small.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace twincert::hil {

// PEM files: this side's certificate (chain) and private key, and the authority that signs the
// other side's.
struct TlsFiles {
  std::filesystem::path certificate;
  std::filesystem::path key;
  std::filesystem::path authority;
};

struct Endpoint {
  std::string host;  // an address, or "localhost"
  std::uint16_t port = 0;
};
// "127.0.0.1:7460", "[::1]:7460", "localhost:7460"; throws ConfigError.
Endpoint parse_endpoint(const std::string& text);

// The largest request or answer line (an upload of a case's observations).
inline constexpr std::size_t kMaxMessageBytes = 256U << 20U;

struct WireError {
  enum class Kind : std::uint8_t {
    kUnreachable,     // nothing listens, or the connection broke before TLS
    kAuthentication,  // a certificate was refused, by either side
    kTimeout,
    kProtocol,  // an answer that is not one JSON line
  };
  Kind kind = Kind::kProtocol;
  std::string message;
};

struct Reply {
  std::optional<nlohmann::json> body;  // the answer, when there is one
  WireError error;                     // why not, otherwise
  bool ok() const { return body.has_value(); }
};

// A client of the coordinator. Loads the TLS files once; throws ConfigError naming
// the file that cannot be used. Not thread-safe; one per thread (the agent's heartbeat thread
// has its own).
class Client {
 public:
  Client(Endpoint coordinator, const TlsFiles& tls);
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  Reply call(const nlohmann::json& request, std::chrono::milliseconds timeout);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace twincert::hil

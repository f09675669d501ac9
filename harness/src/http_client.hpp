// A small HTTP/1.1 client for observing twins (Boost.Beast): one request per connection, a
// deadline on the whole exchange and caps on header and body size, so a twin that hangs,
// trickles or answers gigabytes costs the harness one timeout and a few MiB at most.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "asio.hpp"

namespace twincert::harness {

struct HttpUrl {
  std::string host;
  std::uint16_t port = 80;
  std::string path = "/";
};

// "http://HOST:PORT/PATH"; throws ConfigError naming what is wrong.
HttpUrl parse_http_url(const std::string& url);

inline constexpr std::size_t kMaxAnswerBytes = std::size_t{4} * 1024 * 1024;

struct HttpAnswer {
  int status = 0;  // 0: no answer (see error)
  std::string body;
  std::string error;  // "connection refused", "no answer within 1000 ms", "answer over 4 MiB"
  double latency_ms = 0.0;
};

enum class HttpMethod : std::uint8_t { kGet, kPost };

// Runs on `io` (the caller's context).
asio::awaitable<HttpAnswer> async_http(asio::io_context& io, const HttpUrl& url, HttpMethod method,
                                       std::chrono::milliseconds timeout);

}  // namespace twincert::harness

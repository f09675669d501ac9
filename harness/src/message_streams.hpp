// Streams of JSON messages a twin pushes, for the observer: WebSocket text messages (Boost.Beast;
// an optional subscribe message sent once connected) and server-sent events (an HTTP GET whose
// answer never ends; each event's data lines make one message). Each reconnects with back-off
// (100 ms doubling to 2 s, back to 100 ms once connected) and reports every break of a stream
// that was up as a gap, so a twin that drops its subscribers shows in the verdicts instead of
// as silence. A message over 4 MiB ends the connection as the twin's problem. Coroutines on
// `executor` (the observer's); they copy what they need and run until its context stops.
// Backoff and Gaps serve JSON lines and sentences over TCP too (observer.cpp).
#pragma once

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "twincert/harness/event_stream.hpp"

#include "asio.hpp"
#include "http_client.hpp"

namespace twincert::harness {

struct MessageStreamEvents {
  std::function<void(std::string_view)> message;  // one whole message (a JSON text)
  // What went wrong, and whether it is the twin's doing (a bad handshake, an over-long
  // message) rather than the line's (refused, reset).
  std::function<void(const std::string&, bool twin)> problem;
};

inline constexpr std::size_t kMaxMessageBytes = std::size_t{4} * 1024 * 1024;

// Back-off between tries: 100 ms doubling to 2 s; back to the start once connected.
class Backoff {
 public:
  std::chrono::milliseconds next() {
    const auto now = delay_;
    delay_ = std::min<std::chrono::milliseconds>(delay_ * 2, std::chrono::seconds(2));
    return now;
  }
  void connected() { delay_ = std::chrono::milliseconds(100); }

 private:
  std::chrono::milliseconds delay_{100};
};

// Counts the breaks of a stream that had been up, and says how long each gap lasted.
class Gaps {
 public:
  explicit Gaps(std::string where) : where_(std::move(where)) {}
  void up(const MessageStreamEvents& events) {
    if (down_since_) {
      const double s = std::chrono::duration<double>(Clock::now() - *down_since_).count();
      events.problem(where_ + ": the stream was down " + std::to_string(s).substr(0, 5) +
                         " s (gap " + std::to_string(count_) + "), reconnected",
                     false);
      down_since_.reset();
    }
  }
  // A try that did not connect: said once until the stream is up.
  void failed(const MessageStreamEvents& events, const std::string& why) {
    if (said_failed_) return;
    said_failed_ = true;
    events.problem(where_ + ": cannot connect (" + why + "); trying again", false);
  }
  void broke(const MessageStreamEvents& events, const std::string& why) {
    said_failed_ = false;
    ++count_;
    down_since_ = Clock::now();
    events.problem(where_ + ": the stream broke (" + why + ")", false);
  }

 private:
  using Clock = std::chrono::steady_clock;
  std::string where_;
  std::size_t count_ = 0;
  std::optional<Clock::time_point> down_since_;
  bool said_failed_ = false;
};

// ws://HOST:PORT/PATH.
asio::awaitable<void> websocket_messages(asio::any_io_executor executor, HttpUrl url,
                                         std::string subscribe, MessageStreamEvents events);

// http://HOST:PORT/PATH answered as text/event-stream.
asio::awaitable<void> server_sent_events(asio::any_io_executor executor, HttpUrl url,
                                         MessageStreamEvents events);

// "ws://HOST:PORT/PATH" as the HttpUrl it connects to; throws ConfigError.
HttpUrl parse_websocket_url(const std::string& url);

}  // namespace twincert::harness

// Streams of JSON messages a twin pushes, for the observer: WebSocket text messages (Boost.Beast;
// an optional subscribe message sent once connected) and server-sent events (an HTTP GET whose
// answer never ends; each event's data lines make one message). Each reconnects with back-off
// (100 ms doubling to 2 s, back to 100 ms once connected) and reports every break of a stream
// that was up as a gap, so a twin that drops its subscribers shows in the verdicts instead of
// as silence. A message over 4 MiB ends the connection as the twin's problem. Coroutines on
// `executor` (the observer's); they copy what they need and run until its context stops.
#pragma once

#include <functional>
#include <string>
#include <string_view>

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

// ws://HOST:PORT/PATH.
asio::awaitable<void> websocket_messages(asio::any_io_executor executor, HttpUrl url,
                                         std::string subscribe, MessageStreamEvents events);

// http://HOST:PORT/PATH answered as text/event-stream.
asio::awaitable<void> server_sent_events(asio::any_io_executor executor, HttpUrl url,
                                         MessageStreamEvents events);

// "ws://HOST:PORT/PATH" as the HttpUrl it connects to; throws ConfigError.
HttpUrl parse_websocket_url(const std::string& url);

}  // namespace twincert::harness

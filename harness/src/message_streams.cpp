#include "message_streams.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <optional>

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include "twincert/base/config_error.hpp"

namespace twincert::harness {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using asio::awaitable;
using asio::use_awaitable;
using namespace std::chrono_literals;

namespace {

awaitable<void> pause(asio::any_io_executor executor, std::chrono::milliseconds d) {
  asio::steady_timer timer(executor);
  timer.expires_after(d);
  boost::system::error_code ignored;
  co_await timer.async_wait(asio::redirect_error(use_awaitable, ignored));
}

std::string where_of(const char* scheme, const HttpUrl& url) {
  return std::string(scheme) + url.host + ":" + std::to_string(url.port) + url.path;
}

}  // namespace

HttpUrl parse_websocket_url(const std::string& url) {
  constexpr std::string_view kScheme = "ws://";
  if (!url.starts_with(kScheme)) {
    throw ConfigError("\"" + url + "\" is not a ws://HOST:PORT/PATH URL");
  }
  return parse_http_url("http://" + url.substr(kScheme.size()));
}

awaitable<void> websocket_messages(asio::any_io_executor executor, HttpUrl url,
                                   std::string subscribe, MessageStreamEvents events) {
  const std::string where = where_of("ws://", url);
  Backoff backoff;
  Gaps gaps(where);
  for (;;) {
    websocket::stream<beast::tcp_stream> ws(executor);
    boost::system::error_code ec;
    const asio::ip::tcp::endpoint at(asio::ip::make_address(url.host, ec), url.port);
    auto& tcp = beast::get_lowest_layer(ws);
    tcp.expires_after(2s);
    if (!ec) {
      co_await tcp.async_connect(at, asio::redirect_error(use_awaitable, ec));
    }
    if (!ec) {
      co_await ws.async_handshake(url.host + ":" + std::to_string(url.port), url.path,
                                  asio::redirect_error(use_awaitable, ec));
      if (ec && ec != asio::error::connection_refused && ec != asio::error::connection_reset) {
        events.problem(where + ": the WebSocket handshake failed (" + ec.message() + ")", true);
      }
    }
    if (!ec) {
      tcp.expires_never();
      ws.set_option(websocket::stream_base::timeout::suggested(beast::role_type::client));
      ws.read_message_max(kMaxMessageBytes);
      if (!subscribe.empty()) {
        ws.text(true);
        co_await ws.async_write(asio::buffer(subscribe), asio::redirect_error(use_awaitable, ec));
      }
    }
    if (!ec) {
      backoff.connected();
      gaps.up(events);
      beast::flat_buffer buffer;
      for (;;) {
        co_await ws.async_read(buffer, asio::redirect_error(use_awaitable, ec));
        if (ec) break;
        events.message(beast::buffers_to_string(buffer.data()));
        buffer.consume(buffer.size());
      }
      if (ec == websocket::error::message_too_big) {
        events.problem(where + ": a message over 4 MiB", true);
      }
      gaps.broke(events, ec == websocket::error::closed ? "closed by the twin" : ec.message());
    } else {
      gaps.failed(events, ec.message());
    }
    co_await pause(executor, backoff.next());
  }
}

awaitable<void> server_sent_events(asio::any_io_executor executor, HttpUrl url,
                                   MessageStreamEvents events) {
  const std::string where = where_of("http://", url);
  Backoff backoff;
  Gaps gaps(where);
  for (;;) {
    beast::tcp_stream stream(executor);
    boost::system::error_code ec;
    const asio::ip::tcp::endpoint at(asio::ip::make_address(url.host, ec), url.port);
    stream.expires_after(2s);
    if (!ec) {
      co_await stream.async_connect(at, asio::redirect_error(use_awaitable, ec));
    }
    http::request<http::empty_body> request(http::verb::get, url.path, 11);
    request.set(http::field::host, url.host + ":" + std::to_string(url.port));
    request.set(http::field::accept, "text/event-stream");
    request.set(http::field::cache_control, "no-cache");
    if (!ec) {
      co_await http::async_write(stream, request, asio::redirect_error(use_awaitable, ec));
    }
    beast::flat_buffer buffer;
    http::response_parser<http::buffer_body> parser;
    parser.body_limit(boost::none);  // an event stream never ends; each event is capped below
    if (!ec) {
      co_await http::async_read_header(stream, buffer, parser,
                                       asio::redirect_error(use_awaitable, ec));
    }
    if (!ec && parser.get().result_int() != 200) {
      events.problem(where + ": answered HTTP " + std::to_string(parser.get().result_int()) +
                         " to a request for events",
                     true);
      ec = asio::error::operation_aborted;
    }
    if (!ec) {
      stream.expires_never();
      backoff.connected();
      gaps.up(events);
      EventStreamParser events_in(kMaxMessageBytes);
      std::array<char, 8192> chunk{};
      while (!parser.is_done()) {
        parser.get().body().data = chunk.data();
        parser.get().body().size = chunk.size();
        co_await http::async_read_some(stream, buffer, parser,
                                       asio::redirect_error(use_awaitable, ec));
        if (ec == http::error::need_buffer) ec = {};
        if (ec) break;
        const std::size_t got = chunk.size() - parser.get().body().size;
        if (!events_in.feed(std::string_view(chunk.data(), got), events.message)) {
          events.problem(where + ": an event over 4 MiB", true);
          ec = asio::error::message_size;
          break;
        }
      }
      gaps.broke(events, ec ? ec.message() : "the answer ended");
    } else {
      gaps.failed(events, ec.message());
    }
    co_await pause(executor, backoff.next());
  }
}

}  // namespace twincert::harness

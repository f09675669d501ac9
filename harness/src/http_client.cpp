#include "http_client.hpp"

#include <charconv>

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "twincert/base/config_error.hpp"

namespace twincert::harness {

namespace {

namespace beast = boost::beast;
namespace http = beast::http;
using asio::use_awaitable;
using Clock = std::chrono::steady_clock;

constexpr std::uint32_t kMaxHeaderBytes = 16 * 1024;

std::string describe(const boost::system::error_code& ec, std::chrono::milliseconds timeout) {
  if (ec == beast::error::timeout) {
    return "no answer within " + std::to_string(timeout.count()) + " ms";
  }
  if (ec == http::error::body_limit) return "answer over 4 MiB";
  if (ec == http::error::header_limit) return "answer header over 16 KiB";
  if (ec == asio::error::connection_refused) return "connection refused";
  if (ec == asio::error::connection_reset) return "connection reset";
  if (ec == http::error::end_of_stream || ec == asio::error::eof) {
    return "connection closed before a complete answer";
  }
  if (ec.category() == make_error_code(http::error::bad_method).category()) {
    return "not HTTP: " + ec.message();
  }
  return ec.message();
}

}  // namespace

HttpUrl parse_http_url(const std::string& url) {
  constexpr std::string_view kScheme = "http://";
  if (!url.starts_with(kScheme)) {
    throw ConfigError("\"" + url + "\" is not an http://HOST:PORT/PATH URL");
  }
  const std::string rest = url.substr(kScheme.size());
  const auto slash = rest.find('/');
  const std::string authority = rest.substr(0, slash);
  HttpUrl u;
  u.path = slash == std::string::npos ? "/" : rest.substr(slash);
  const auto colon = authority.rfind(':');
  u.host = authority.substr(0, colon);
  if (colon != std::string::npos) {
    const std::string port = authority.substr(colon + 1);
    unsigned value = 0;
    const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc{} || end != port.data() + port.size() || value == 0 || value > 65535) {
      throw ConfigError("\"" + url + "\": bad port \"" + port + "\"");
    }
    u.port = static_cast<std::uint16_t>(value);
  }
  if (u.host.empty()) throw ConfigError("\"" + url + "\" has no host");
  if (u.host == "localhost") u.host = "127.0.0.1";
  return u;
}

asio::awaitable<HttpAnswer> async_http(asio::io_context& io, const HttpUrl& url, HttpMethod method,
                                       std::chrono::milliseconds timeout) {
  HttpAnswer answer;
  const auto started = Clock::now();
  beast::tcp_stream stream(io);
  boost::system::error_code ec;
  const auto finish = [&] {
    answer.latency_ms = std::chrono::duration<double, std::milli>(Clock::now() - started).count();
  };
  const auto address = asio::ip::make_address(url.host, ec);
  if (ec) {
    answer.error = "\"" + url.host + "\" is not an IP address";
    co_return answer;
  }
  stream.expires_after(timeout);  // one deadline for connect, request and answer together
  co_await stream.async_connect(asio::ip::tcp::endpoint(address, url.port),
                                asio::redirect_error(use_awaitable, ec));
  if (!ec) {
    http::request<http::empty_body> request(
        method == HttpMethod::kGet ? http::verb::get : http::verb::post, url.path, 11);
    request.set(http::field::host, url.host);
    request.set(http::field::connection, "close");
    request.prepare_payload();
    co_await http::async_write(stream, request, asio::redirect_error(use_awaitable, ec));
  }
  if (!ec) {
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.header_limit(kMaxHeaderBytes);
    parser.body_limit(kMaxAnswerBytes);
    co_await http::async_read(stream, buffer, parser, asio::redirect_error(use_awaitable, ec));
    if (!ec) {
      answer.status = static_cast<int>(parser.get().result_int());
      answer.body = std::move(parser.get().body());
    }
  }
  finish();
  if (ec) answer.error = describe(ec, timeout);
  beast::error_code ignored;
  stream.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  co_return answer;
}

}  // namespace twincert::harness

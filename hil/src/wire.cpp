#include "twincert/hil/wire.hpp"

#include <charconv>

#include "twincert/base/config_error.hpp"

#include "asio.hpp"
#include "tls.hpp"

namespace twincert::hil {

namespace asio = boost::asio;
using asio::ip::tcp;
using nlohmann::json;

Endpoint parse_endpoint(const std::string& text) {
  const auto colon = text.rfind(':');
  const auto bad = [&] {
    return ConfigError("\"" + text + "\" is not HOST:PORT (e.g. 127.0.0.1:7460)");
  };
  if (colon == std::string::npos || colon == 0) throw bad();
  Endpoint e;
  e.host = text.substr(0, colon);
  if (e.host.front() == '[' && e.host.back() == ']') e.host = e.host.substr(1, e.host.size() - 2);
  const std::string port = text.substr(colon + 1);
  unsigned value = 0;
  const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (ec != std::errc() || end != port.data() + port.size() || value > 65535 || e.host.empty()) {
    throw bad();
  }
  e.port = static_cast<std::uint16_t>(value);
  return e;
}

struct Client::Impl {
  Impl(Endpoint to, const TlsFiles& files)
      : coordinator(std::move(to)), context(tls::client_context(files)) {}
  Endpoint coordinator;
  asio::ssl::context context;
};

Client::Client(Endpoint coordinator, const TlsFiles& tls)
    : impl_(std::make_unique<Impl>(std::move(coordinator), tls)) {}
Client::~Client() = default;

namespace {

// Which step failed decides what the error means: before TLS the coordinator is unreachable;
// in the handshake, or a TLS alert while waiting for the answer (TLS 1.3 checks the client's
// certificate after the client thinks it is done), a certificate was refused.
enum class Step : std::uint8_t { kConnect, kHandshake, kExchange };

asio::awaitable<void> exchange(asio::ssl::stream<tcp::socket>& stream, const Endpoint& to,
                               const std::string& line, std::string& answer, Step& step) {
  tcp::resolver resolver(stream.get_executor());
  const auto addresses =
      co_await resolver.async_resolve(to.host, std::to_string(to.port), asio::use_awaitable);
  co_await asio::async_connect(stream.lowest_layer(), addresses, asio::use_awaitable);
  step = Step::kHandshake;
  // SNI (SSL_set_tlsext_host_name without its C cast).
  SSL_ctrl(stream.native_handle(), SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
           static_cast<void*>(const_cast<char*>(to.host.c_str())));
  stream.set_verify_callback(asio::ssl::host_name_verification(to.host));
  co_await stream.async_handshake(asio::ssl::stream_base::client, asio::use_awaitable);
  step = Step::kExchange;
  co_await asio::async_write(stream, asio::buffer(line), asio::use_awaitable);
  co_await asio::async_read_until(stream, asio::dynamic_buffer(answer, kMaxMessageBytes), '\n',
                                  asio::use_awaitable);
}

}  // namespace

Reply Client::call(const json& request, std::chrono::milliseconds timeout) {
  asio::io_context io;
  asio::ssl::stream<tcp::socket> stream(io, impl_->context);
  const std::string line = request.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
  std::string answer;
  Step step = Step::kConnect;
  std::exception_ptr failure;
  bool finished = false;
  asio::co_spawn(io, exchange(stream, impl_->coordinator, line, answer, step),
                 [&](std::exception_ptr e) {
                   failure = std::move(e);
                   finished = true;
                 });
  io.run_for(timeout);
  const std::string where =
      "coordinator " + impl_->coordinator.host + ":" + std::to_string(impl_->coordinator.port);
  Reply reply;
  if (!finished) {
    reply.error = {WireError::Kind::kTimeout,
                   where + " did not answer within " + std::to_string(timeout.count()) + " ms"};
    return reply;
  }
  if (failure) {
    try {
      std::rethrow_exception(failure);
    } catch (const std::length_error&) {
      reply.error = {WireError::Kind::kProtocol, where + " answered more than the limit of " +
                                                     std::to_string(kMaxMessageBytes) + " bytes"};
    } catch (const boost::system::system_error& e) {
      const bool tls_error = e.code().category() == asio::error::get_ssl_category();
      if (step == Step::kConnect) {
        reply.error = {WireError::Kind::kUnreachable, where + ": " + e.code().message()};
      } else if (step == Step::kHandshake || tls_error) {
        reply.error = {WireError::Kind::kAuthentication,
                       where + ": TLS refused: " + tls::describe(e.code())};
      } else if (answer.empty()) {
        reply.error = {WireError::Kind::kAuthentication,
                       where + " closed the connection without an answer (" +
                           tls::describe(e.code()) + "; does it accept this certificate?)"};
      } else {
        reply.error = {WireError::Kind::kProtocol, where + ": " + tls::describe(e.code())};
      }
    } catch (const std::exception& e) {
      reply.error = {WireError::Kind::kProtocol, where + ": " + e.what()};
    }
    return reply;
  }
  const json body = json::parse(answer, nullptr, false);
  if (body.is_discarded() || !body.is_object()) {
    reply.error = {WireError::Kind::kProtocol, where + " answered something that is not JSON"};
    return reply;
  }
  reply.body = body;
  return reply;
}

}  // namespace twincert::hil

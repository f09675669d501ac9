// TLS set-up shared by the coordinator and the client (private to hil/): contexts that demand
// and check the peer's certificate against the lab's authority, and the peer's common name.
#pragma once

#include <string>

#include "twincert/hil/wire.hpp"

#include "asio.hpp"

namespace twincert::hil::tls {

// Throw ConfigError naming the file that cannot be used and OpenSSL's reason.
boost::asio::ssl::context server_context(const TlsFiles& files);
boost::asio::ssl::context client_context(const TlsFiles& files);

// The common name of the peer's (verified) certificate, or "" when there is none.
std::string peer_common_name(SSL* ssl);

// OpenSSL's reason for the last failure, e.g. "certificate verify failed".
std::string describe(const boost::system::error_code& ec);

}  // namespace twincert::hil::tls

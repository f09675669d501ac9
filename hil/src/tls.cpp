#include "tls.hpp"

#include <array>

#include "twincert/base/config_error.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

namespace twincert::hil::tls {

namespace ssl = boost::asio::ssl;

namespace {

// Loads a file into the context and names it when OpenSSL refuses it.
template <class Load>
void load(const std::filesystem::path& file, const char* what, Load step) {
  if (file.empty()) throw ConfigError(std::string("no ") + what + " given");
  if (!std::filesystem::exists(file)) {
    throw ConfigError(std::string("cannot read ") + what + " " + file.string());
  }
  boost::system::error_code ec;
  step(ec);
  if (ec) {
    throw ConfigError(file.string() + ": not a usable " + what + " (" + describe(ec) + ")");
  }
}

ssl::context context(ssl::context::method method, const TlsFiles& files) {
  ssl::context c(method);
  c.set_options(ssl::context::default_workarounds | ssl::context::no_compression);
  SSL_CTX_set_min_proto_version(c.native_handle(), TLS1_2_VERSION);
  load(files.certificate, "certificate",
       [&](auto& ec) { c.use_certificate_chain_file(files.certificate.string(), ec); });
  load(files.key, "private key",
       [&](auto& ec) { c.use_private_key_file(files.key.string(), ssl::context::pem, ec); });
  if (SSL_CTX_check_private_key(c.native_handle()) != 1) {
    throw ConfigError(files.key.string() + ": not the key of certificate " +
                      files.certificate.string());
  }
  load(files.authority, "certificate authority",
       [&](auto& ec) { c.load_verify_file(files.authority.string(), ec); });
  return c;
}

}  // namespace

ssl::context server_context(const TlsFiles& files) {
  ssl::context c = context(ssl::context::tls_server, files);
  c.set_verify_mode(ssl::verify_peer | ssl::verify_fail_if_no_peer_cert);
  return c;
}

ssl::context client_context(const TlsFiles& files) {
  ssl::context c = context(ssl::context::tls_client, files);
  c.set_verify_mode(ssl::verify_peer);
  return c;
}

std::string peer_common_name(SSL* ssl) {
  X509* cert = SSL_get1_peer_certificate(ssl);
  if (cert == nullptr) return "";
  std::array<char, 256> name{};
  const int n = X509_NAME_get_text_by_NID(X509_get_subject_name(cert), NID_commonName, name.data(),
                                          name.size());
  X509_free(cert);
  return n > 0 ? std::string(name.data(), static_cast<std::size_t>(n)) : "";
}

std::string describe(const boost::system::error_code& ec) {
  if (ec.category() == boost::asio::error::get_ssl_category()) {
    std::array<char, 256> text{};
    ERR_error_string_n(static_cast<unsigned long>(ec.value()), text.data(), text.size());
    // "error:0A000086:SSL routines::certificate verify failed" -> the reason after the last ':'
    std::string s = text.data();
    const auto colon = s.rfind(':');
    return colon == std::string::npos ? s : s.substr(colon + 1);
  }
  return ec.message();
}

}  // namespace twincert::hil::tls

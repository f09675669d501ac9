#include "twincert/harness/target.hpp"

#include <charconv>
#include <map>

#include "twincert/base/config_error.hpp"

#include <arpa/inet.h>

namespace twincert::harness {

namespace {

std::map<std::string, std::string, std::less<>> query_of(std::string_view query,
                                                         std::string_view url) {
  std::map<std::string, std::string, std::less<>> out;
  while (!query.empty()) {
    const auto amp = query.find('&');
    const std::string_view item = query.substr(0, amp);
    const auto eq = item.find('=');
    if (eq == std::string_view::npos || eq == 0) {
      throw ConfigError("target \"" + std::string(url) +
                        "\": expected key=value in the query, got \"" + std::string(item) + "\"");
    }
    out.emplace(std::string(item.substr(0, eq)), std::string(item.substr(eq + 1)));
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return out;
}

unsigned number(const std::string& text, std::string_view what, std::string_view url,
                unsigned max) {
  unsigned value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || value > max) {
    throw ConfigError("target \"" + std::string(url) + "\": " + std::string(what) +
                      " must be a number 0.." + std::to_string(max) + ", got \"" + text + "\"");
  }
  return value;
}

void host_port(std::string_view rest, std::string_view url, Target& t) {
  const auto colon = rest.rfind(':');
  if (colon == std::string_view::npos || colon == 0) {
    throw ConfigError("target \"" + std::string(url) + "\": expected HOST:PORT");
  }
  t.host = std::string(rest.substr(0, colon));
  if (t.host.size() > 2 && t.host.front() == '[' && t.host.back() == ']') {
    t.host = t.host.substr(1, t.host.size() - 2);
  }
  t.port = static_cast<std::uint16_t>(
      number(std::string(rest.substr(colon + 1)), "the port", url, 65535));
}

bool is_loopback(const std::string& host) {
  in_addr v4{};
  if (inet_pton(AF_INET, host.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24U) == 127U;
  in6_addr v6{};
  if (inet_pton(AF_INET6, host.c_str(), &v6) == 1) return IN6_IS_ADDR_LOOPBACK(&v6);
  return host == "localhost";
}

}  // namespace

namespace {

void parse_kind(std::string_view base, std::string_view url, Target& t) {
  const auto scheme_end = base.find(':');
  const std::string_view scheme = base.substr(0, scheme_end);
  std::string_view rest = base.substr(scheme_end + 1);
  const bool slashes = rest.starts_with("//");
  if (slashes) rest.remove_prefix(2);
  if (scheme == "udp" || scheme == "mcast" || scheme == "tcp" || scheme == "tcp-listen") {
    if (!slashes) {
      throw ConfigError("target \"" + std::string(url) + "\": expected " + std::string(scheme) +
                        "://HOST:PORT");
    }
    if (scheme == "mcast" && rest == "standard") {
      t.host = "standard";
    } else {
      host_port(rest, url, t);
    }
    t.kind = scheme == "udp"     ? TargetKind::kUdp
             : scheme == "mcast" ? TargetKind::kMulticast
             : scheme == "tcp"   ? TargetKind::kTcp
                                 : TargetKind::kTcpListen;
  } else if (scheme == "pty" || scheme == "file") {
    if (rest.empty()) {
      throw ConfigError("target \"" + std::string(url) + "\": expected a path after " +
                        std::string(scheme) + ":");
    }
    t.kind = scheme == "pty" ? TargetKind::kPty : TargetKind::kFile;
    t.path = std::string(rest);
  } else {
    throw ConfigError("target \"" + std::string(url) + "\": unknown kind \"" + std::string(scheme) +
                      "\"; expected udp://, mcast://, tcp://, tcp-listen://, pty:, file: or -");
  }
}

void apply_options(const std::map<std::string, std::string, std::less<>>& query,
                   std::string_view url, Target& t) {
  t.format = t.kind == TargetKind::kUdp || t.kind == TargetKind::kMulticast ? WireFormat::k450
                                                                            : WireFormat::kLines;
  for (const auto& [key, value] : query) {
    if (key == "ttl" && t.kind == TargetKind::kMulticast) {
      t.ttl = static_cast<int>(number(value, "ttl", url, 255));
    } else if (key == "iface" && t.kind == TargetKind::kMulticast) {
      t.interface_address = value;
    } else if (key == "baud" && t.kind == TargetKind::kPty) {
      t.baud = number(value, "baud", url, 1'000'000);
      if (t.baud == 0) {
        throw ConfigError("target \"" + std::string(url) + "\": baud must be above 0");
      }
    } else if (key == "format") {
      if (value == "450") {
        t.format = WireFormat::k450;
      } else if (value == "lines") {
        t.format = WireFormat::kLines;
      } else if (value == "sentences") {
        t.format = WireFormat::kSentences;
      } else {
        throw ConfigError("target \"" + std::string(url) +
                          "\": format is 450, lines or sentences, got \"" + value + "\"");
      }
    } else {
      throw ConfigError("target \"" + std::string(url) + "\": unknown option \"" + key +
                        "\" for this kind");
    }
  }
}

}  // namespace

Target parse_target(std::string_view url) {
  Target t;
  t.text = std::string(url);
  const auto q = url.find('?');
  const std::string_view base = url.substr(0, q);
  const auto query =
      query_of(q == std::string_view::npos ? std::string_view{} : url.substr(q + 1), url);
  const auto scheme_end = base.find(':');
  if (base == "-") {
    t.kind = TargetKind::kStdout;
  } else if (scheme_end == std::string_view::npos) {
    throw ConfigError("target \"" + std::string(url) +
                      "\": expected udp://, mcast://, tcp://, tcp-listen://, pty:, file: or -");
  } else {
    parse_kind(base, url, t);
  }
  apply_options(query, url, t);
  return t;
}

std::optional<std::string> check_target_allowed(const Target& t) {
  switch (t.kind) {
    case TargetKind::kUdp:
    case TargetKind::kTcp:
    case TargetKind::kTcpListen:
      if (!is_loopback(t.host)) {
        return t.text +
               " is not on this host (127.0.0.0/8 or ::1); pass --allow-external to send there";
      }
      return std::nullopt;
    case TargetKind::kMulticast:
      if (t.ttl > 0) {
        return t.text + ": multicast with TTL > 0 leaves this host; pass --allow-external";
      }
      if (!is_loopback(t.interface_address)) {
        return t.text + ": multicast on interface " + t.interface_address +
               " reaches the network; pass --allow-external";
      }
      return std::nullopt;
    default:
      return std::nullopt;
  }
}

}  // namespace twincert::harness

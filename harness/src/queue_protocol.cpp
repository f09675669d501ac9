#include "twincert/harness/queue_protocol.hpp"

#include <algorithm>
#include <charconv>
#include <limits>

#include "twincert/base/config_error.hpp"
#include "twincert/harness/target.hpp"

namespace twincert::harness {

namespace {

using Type = RedisReply::Type;

constexpr std::string_view kStoredSchema = "twincert.queue-case/1";

bool is_text(const RedisReply& r) {
  return r.type == Type::kString || r.type == Type::kStatus;
}

template <class T>
bool parse_number(std::string_view text, T& out) {
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc{} && end == text.data() + text.size() && !text.empty();
}

// [id, [field, value, ...]]; nullopt for an entry deleted while pending (nil fields).
Decoded<std::optional<QueueEntry>> entry_of(const RedisReply& r) {
  using Out = Decoded<std::optional<QueueEntry>>;
  if (r.type != Type::kArray || r.elements.size() != 2 || !is_text(r.elements[0])) {
    return Out::failure("a stream entry is not [id, fields]");
  }
  QueueEntry e;
  e.id = r.elements[0].text;
  const RedisReply& fields = r.elements[1];
  if (fields.type == Type::kNil) return std::optional<QueueEntry>{};
  if (fields.type != Type::kArray || fields.elements.size() % 2 != 0) {
    return Out::failure("entry " + e.id + ": its fields are not a list of pairs");
  }
  bool has_case = false;
  for (std::size_t i = 0; i < fields.elements.size(); i += 2) {
    const RedisReply& k = fields.elements[i];
    const RedisReply& v = fields.elements[i + 1];
    if (!is_text(k) || !is_text(v)) return Out::failure("entry " + e.id + ": a field is no string");
    if (k.text == "case") {
      e.case_id = v.text;
      has_case = !v.text.empty();
    } else if (k.text == "attempt") {
      if (!parse_number(v.text, e.attempt) || e.attempt == 0) {
        return Out::failure("entry " + e.id + ": \"attempt\" is not a positive number");
      }
    }
  }
  if (!has_case) return Out::failure("entry " + e.id + ": no \"case\" field");
  return std::optional<QueueEntry>{std::move(e)};
}

Decoded<std::vector<QueueEntry>> entries_of(const RedisReply& r) {
  using Out = Decoded<std::vector<QueueEntry>>;
  if (r.type != Type::kArray) return Out::failure("the entries are not a list");
  std::vector<QueueEntry> out;
  for (const auto& element : r.elements) {
    auto e = entry_of(element);
    if (!e) return Out::failure(e.error());
    if (e->has_value()) out.push_back(std::move(**e));
  }
  return out;
}

}  // namespace

std::string QueueAddress::text() const {
  const bool v6 = host.find(':') != std::string::npos;
  return std::string(tls ? "rediss://" : "redis://") + (v6 ? "[" + host + "]" : host) + ":" +
         std::to_string(port) + "/" + std::to_string(db);
}

QueueAddress parse_queue_url(const std::string& url) {
  // The URL as the message shows it: a password someone put in it stays out of logs.
  std::string shown = url;
  if (const auto at = shown.find('@'), start = shown.find("://");
      at != std::string::npos && start != std::string::npos && start + 3 < at) {
    shown.replace(start + 3, at - start - 3, "...");
  }
  const auto bad = [&](const std::string& why) {
    return ConfigError("--queue \"" + shown + "\": " + why +
                       " (expected redis://HOST[:PORT][/DB], e.g. redis://127.0.0.1:6379/0)");
  };
  QueueAddress a;
  std::string_view rest(url);
  if (rest.starts_with("redis://")) {
    rest.remove_prefix(8);
  } else if (rest.starts_with("rediss://")) {
    rest.remove_prefix(9);
    a.tls = true;
  } else {
    throw bad("not a redis:// URL");
  }
  if (rest.find('@') != std::string_view::npos) {
    throw bad(
        "credentials do not go into the URL (they would show in ps and shell histories); set "
        "TWINCERT_REDIS_USER and TWINCERT_REDIS_PASSWORD, or pass --password-file");
  }
  const auto slash = rest.find('/');
  std::string_view hostport = rest.substr(0, slash);
  if (slash != std::string_view::npos) {
    const std::string_view db = rest.substr(slash + 1);
    if (!db.empty() && (!parse_number(db, a.db) || a.db > 1000)) throw bad("bad database number");
  }
  std::string_view port;
  if (hostport.starts_with("[")) {
    const auto close = hostport.find(']');
    if (close == std::string_view::npos) throw bad("unclosed [");
    a.host = std::string(hostport.substr(1, close - 1));
    const std::string_view after = hostport.substr(close + 1);
    if (!after.empty()) {
      if (!after.starts_with(":")) throw bad("junk after ]");
      port = after.substr(1);
    }
  } else {
    const auto colon = hostport.rfind(':');
    a.host = std::string(hostport.substr(0, colon));
    if (colon != std::string_view::npos) port = hostport.substr(colon + 1);
  }
  if (a.host.empty()) throw bad("no host");
  if (!port.empty() && (!parse_number(port, a.port) || a.port == 0)) throw bad("bad port");
  return a;
}

std::optional<std::string> check_queue_allowed(const QueueAddress& address) {
  // The replay's rule, through its own check: a TCP target at the same host.
  const bool v6 = address.host.find(':') != std::string::npos;
  const Target t = parse_target("tcp://" + (v6 ? "[" + address.host + "]" : address.host) + ":" +
                                std::to_string(address.port));
  if (const auto why = check_target_allowed(t)) {
    return "Redis at " + address.text() + " is not on this host (127.0.0.0/8 or ::1); pass " +
           "--allow-external to use it (and protect it: ACL user and password, a private " +
           "network)";
  }
  return std::nullopt;
}

Decoded<std::vector<std::pair<std::string, std::vector<QueueEntry>>>> read_entries(
    const RedisReply& reply) {
  using Streams = std::vector<std::pair<std::string, std::vector<QueueEntry>>>;
  using Out = Decoded<Streams>;
  Streams out;
  if (reply.type == Type::kNil) return out;
  if (reply.type != Type::kArray) return Out::failure("the read's reply is not a list of streams");
  for (const auto& s : reply.elements) {
    if (s.type != Type::kArray || s.elements.size() != 2 || !is_text(s.elements[0])) {
      return Out::failure("a stream of the read's reply is not [name, entries]");
    }
    auto entries = entries_of(s.elements[1]);
    if (!entries) return Out::failure(s.elements[0].text + ": " + entries.error());
    out.emplace_back(s.elements[0].text, std::move(*entries));
  }
  return out;
}

Decoded<Claimed> claimed_entries(const RedisReply& reply) {
  if (reply.type != Type::kArray || reply.elements.size() < 2 || !is_text(reply.elements[0])) {
    return Decoded<Claimed>::failure("XAUTOCLAIM's reply is not [next, entries, ...]");
  }
  auto entries = entries_of(reply.elements[1]);
  if (!entries) return Decoded<Claimed>::failure("XAUTOCLAIM: " + entries.error());
  return Claimed{reply.elements[0].text, std::move(*entries)};
}

Decoded<std::uint64_t> delivery_count(const RedisReply& reply) {
  using Out = Decoded<std::uint64_t>;
  if (reply.type != Type::kArray) return Out::failure("XPENDING's reply is not a list");
  if (reply.elements.empty()) return std::uint64_t{0};
  const RedisReply& e = reply.elements.front();
  if (e.type != Type::kArray || e.elements.size() != 4 || e.elements[3].type != Type::kInteger ||
      e.elements[3].integer < 0) {
    return Out::failure("XPENDING's entry is not [id, consumer, idle, deliveries]");
  }
  return static_cast<std::uint64_t>(e.elements[3].integer);
}

std::string encode_stored_case(const StoredCase& stored) {
  const nlohmann::json j = {{"schema", kStoredSchema},         {"case", stored.case_id},
                            {"attempt", stored.attempt},       {"worker", stored.worker},
                            {"evidence", stored.evidence_key}, {"result", stored.result}};
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Decoded<StoredCase> decode_stored_case(std::string_view bytes) {
  using Out = Decoded<StoredCase>;
  const nlohmann::json j = nlohmann::json::parse(bytes, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return Out::failure("a stored case is not a JSON object");
  const auto text = [&](const char* key) -> const std::string* {
    const auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get_ptr<const std::string*>() : nullptr;
  };
  const std::string* schema = text("schema");
  if (schema == nullptr || *schema != kStoredSchema) {
    return Out::failure(R"(a stored case has no "schema": ")" + std::string(kStoredSchema) + "\"");
  }
  StoredCase s;
  for (const auto& [key, target] : {std::pair<const char*, std::string*>{"case", &s.case_id},
                                    {"worker", &s.worker},
                                    {"evidence", &s.evidence_key}}) {
    const std::string* value = text(key);
    if (value == nullptr) {
      return Out::failure(std::string("a stored case has no string \"") + key + "\"");
    }
    *target = *value;
  }
  const auto attempt = j.find("attempt");
  if (attempt == j.end() || !attempt->is_number_unsigned() ||
      attempt->get<std::uint64_t>() > std::numeric_limits<unsigned>::max()) {
    return Out::failure("stored case " + s.case_id + ": \"attempt\" is not a count");
  }
  s.attempt = attempt->get<unsigned>();
  const auto result = j.find("result");
  if (result == j.end() || !result->is_object()) {
    return Out::failure("stored case " + s.case_id + ": \"result\" is not an object");
  }
  const auto id = result->find("id");
  if (id == result->end() || !id->is_string() || id->get<std::string>() != s.case_id) {
    return Out::failure("stored case " + s.case_id + ": its result is of another case");
  }
  s.result = *result;
  return s;
}

bool is_safe_relative_path(std::string_view path) {
  if (path.empty() || path.size() > 4096 || path.front() == '/') return false;
  if (path.find('\0') != std::string_view::npos || path.find('\\') != std::string_view::npos) {
    return false;
  }
  while (!path.empty()) {
    const auto slash = path.find('/');
    const std::string_view part = path.substr(0, slash);
    if (part.empty() || part == "." || part == "..") return false;
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
    if (path.empty()) return false;  // a trailing '/'
  }
  return true;
}

Decoded<std::vector<EvidenceFile>> evidence_files(const RedisReply& reply) {
  using Out = Decoded<std::vector<EvidenceFile>>;
  if (reply.type != Type::kArray || reply.elements.size() % 2 != 0) {
    return Out::failure("the evidence is not a hash of path -> bytes");
  }
  if (reply.elements.size() / 2 > kMaxEvidenceFiles) {
    return Out::failure("the evidence holds more than " + std::to_string(kMaxEvidenceFiles) +
                        " files");
  }
  std::vector<EvidenceFile> out;
  std::size_t total = 0;
  for (std::size_t i = 0; i < reply.elements.size(); i += 2) {
    const RedisReply& k = reply.elements[i];
    const RedisReply& v = reply.elements[i + 1];
    if (!is_text(k) || !is_text(v)) return Out::failure("an evidence path or file is no string");
    if (!is_safe_relative_path(k.text)) {
      return Out::failure("evidence path \"" + k.text.substr(0, 200) +
                          "\" would leave the case folder");
    }
    total += v.text.size();
    if (total > kMaxEvidenceBytes) return Out::failure("the evidence is larger than 1 GiB");
    out.push_back({k.text, v.text});
  }
  std::sort(out.begin(), out.end(),
            [](const EvidenceFile& a, const EvidenceFile& b) { return a.path < b.path; });
  return out;
}

QueueKeys queue_keys(const std::string& campaign_sha256, const std::string& nonce) {
  return QueueKeys{"twincert:run:" + campaign_sha256.substr(0, 16) + ":" + nonce};
}

bool is_queue_prefix(std::string_view prefix) {
  constexpr std::string_view kStart = "twincert:run:";
  if (!prefix.starts_with(kStart) || prefix.size() > 128) return false;
  prefix.remove_prefix(kStart.size());
  const auto colon = prefix.find(':');
  if (colon != 16 || colon + 1 >= prefix.size()) return false;
  return std::all_of(prefix.begin(), prefix.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || c == ':' || c == '-';
  });
}

}  // namespace twincert::harness

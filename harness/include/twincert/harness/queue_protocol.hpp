// The Redis Streams work queue's protocol, without any I/O: the queue's URL, the keys a run
// uses, the replies Redis sends as plain values, and the records workers store. Everything read
// back from Redis is untrusted (any client of the server may have written it), so the readers
// return Decoded<T> naming what was wrong instead of throwing, and evidence paths are checked
// before anything is written under a run's folder (docs/formats/queue.md). Pure functions and
// plain values: thread-compatible.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

namespace twincert::harness {

// A value read from Redis, or why it could not be read. protocols' Result<T> carries NMEA parse
// codes; a queue record's error is a sentence naming the key or field instead.
template <class T>
class [[nodiscard]] Decoded {
 public:
  // NOLINTNEXTLINE(google-explicit-constructor): implicit like Result<T>'s constructors
  Decoded(T value) : state_(std::move(value)) {}
  static Decoded failure(std::string why) { return Decoded(Error{std::move(why)}); }

  [[nodiscard]] bool has_value() const noexcept { return state_.index() == 0; }
  explicit operator bool() const noexcept { return has_value(); }
  const T& operator*() const& { return std::get<0>(state_); }
  T& operator*() & { return std::get<0>(state_); }
  const T* operator->() const { return &std::get<0>(state_); }
  T* operator->() { return &std::get<0>(state_); }
  [[nodiscard]] const std::string& error() const { return std::get<1>(state_).why; }

 private:
  struct Error {
    std::string why;
  };
  explicit Decoded(Error e) : state_(std::move(e)) {}
  std::variant<T, Error> state_;
};

// redis://HOST[:PORT][/DB] (PORT 6379, DB 0 by default); rediss:// is TLS.
struct QueueAddress {
  std::string host;
  std::uint16_t port = 6379;
  unsigned db = 0;
  bool tls = false;
  // The URL again, never with credentials: safe for logs and queue.json.
  [[nodiscard]] std::string text() const;
};

// Throws ConfigError for anything but the forms above, and for a URL with a user or password
// in it (they would show in `ps` and shell histories: they come from the environment or a file).
QueueAddress parse_queue_url(const std::string& url);

// Why a Redis at this address is refused without --allow-external (the same this-host rule as
// replay targets: 127.0.0.0/8, ::1, localhost), or nothing when it is on this host.
std::optional<std::string> check_queue_allowed(const QueueAddress& address);

// A reply as hiredis hands it over (RESP2), copied out of hiredis's own structure.
struct RedisReply {
  enum class Type : std::uint8_t { kNil, kString, kStatus, kError, kInteger, kArray };
  Type type = Type::kNil;
  std::string text;  // kString, kStatus, kError
  long long integer = 0;
  std::vector<RedisReply> elements;  // kArray
};

// A case on a run's stream: the entry id Redis gave it and its fields.
struct QueueEntry {
  std::string id;        // "1700000000000-0"
  std::string case_id;   // field "case"
  unsigned attempt = 1;  // field "attempt": 1, or more when a collector enqueued it again
};

// XREADGROUP / XREAD: nil (nothing before the block timed out) or [[stream, [[id, [f, v, ...]],
// ...]], ...]. Entries whose fields are nil (deleted from the stream while pending) are skipped.
Decoded<std::vector<std::pair<std::string, std::vector<QueueEntry>>>> read_entries(
    const RedisReply& reply);

// XAUTOCLAIM (Redis >= 7): [next start id, entries, deleted ids].
struct Claimed {
  std::string next;
  std::vector<QueueEntry> entries;
};
Decoded<Claimed> claimed_entries(const RedisReply& reply);

// XPENDING KEY GROUP ID ID 1: [[id, consumer, idle ms, deliveries]] -> deliveries; 0 when the
// entry is no longer pending (acknowledged meanwhile).
Decoded<std::uint64_t> delivery_count(const RedisReply& reply);

// What a worker stores for a finished case, in the run's results hash under the case id.
// NOLINTNEXTLINE(bugprone-exception-escape): its moves are noexcept (nlohmann::json's are)
struct StoredCase {
  std::string case_id;
  unsigned attempt = 1;      // deliveries of the entry when it was run
  std::string worker;        // consumer name: host/pid/job
  std::string evidence_key;  // the hash holding the case folder's files
  nlohmann::json result;     // the case result as journal.jsonl holds it
};
std::string encode_stored_case(const StoredCase& stored);
// Checks the envelope (schema, types, that the result names the same case); the result
// itself is read by case_result_from_json.
Decoded<StoredCase> decode_stored_case(std::string_view bytes);

// One file of a case folder: its path relative to the folder, and its bytes.
struct EvidenceFile {
  std::string path;
  std::string bytes;
};
// HGETALL of an evidence hash: [path, bytes, path, bytes, ...]. Refuses paths that could
// leave the case folder (absolute, "..", empty or "." components, NUL or backslash).
Decoded<std::vector<EvidenceFile>> evidence_files(const RedisReply& reply);
bool is_safe_relative_path(std::string_view path);

// Limits on what a collector accepts from Redis for one case.
inline constexpr std::size_t kMaxEvidenceFiles = 10000;
inline constexpr std::size_t kMaxEvidenceBytes = std::size_t{1} << 30U;

// The keys of one run of a campaign on the queue. The prefix is derived from the campaign's
// SHA-256 and a nonce drawn when the run starts, so two runs of one campaign never share a
// stream, and a collector that resumes finds its own in OUT/queue.json.
struct QueueKeys {
  std::string prefix;  // "twincert:run:<first 16 hex of the campaign digest>:<nonce>"

  static constexpr std::string_view kRuns = "twincert:runs";  // set of active prefixes
  static constexpr std::string_view kGroup = "twincert-workers";

  [[nodiscard]] std::string cases() const { return prefix + ":cases"; }      // stream
  [[nodiscard]] std::string done() const { return prefix + ":done"; }        // stream
  [[nodiscard]] std::string results() const { return prefix + ":results"; }  // hash
  [[nodiscard]] std::string meta() const { return prefix + ":meta"; }        // hash
  // Each run of a case stores its files under its own key; the one whose result was recorded
  // first is the case's evidence.
  [[nodiscard]] std::string evidence(const std::string& case_id, const std::string& token) const {
    return prefix + ":evidence:" + case_id + ":" + token;
  }
};
// Requires: campaign_sha256 has at least 16 characters.
QueueKeys queue_keys(const std::string& campaign_sha256, const std::string& nonce);
// A prefix read back from Redis or queue.json: true when it has the form above.
bool is_queue_prefix(std::string_view prefix);

}  // namespace twincert::harness

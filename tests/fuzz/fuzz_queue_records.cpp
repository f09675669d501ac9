// What a collector or worker reads back from Redis, which any client of the server may have
// written: the input is read as RESP replies through hiredis's reader and each reply is given
// to every reader of the queue (stream entries, XAUTOCLAIM, XPENDING, evidence hashes), and
// the input itself is read as a stored case. None may crash; evidence paths that pass the
// check must stay inside the case folder; a stored case that decodes encodes and decodes to
// the same.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "twincert/harness/queue_protocol.hpp"

#include "fuzz_check.hpp"
#include "redis_reply.hpp"

namespace {

using twincert::harness::RedisReply;

void check_evidence(const RedisReply& reply) {
  const auto files = twincert::harness::evidence_files(reply);
  if (!files) return;
  for (const auto& f : *files) {
    const std::filesystem::path p(f.path);
    FUZZ_CHECK(p.is_relative());
    for (const auto& part : p.lexically_normal()) FUZZ_CHECK(part != "..");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // Its own allocation, so reads past the end are caught (fmt).
  const std::string input(reinterpret_cast<const char*>(data), size);
  for (const auto& reply : twincert::harness::detail::read_replies(input)) {
    (void)twincert::harness::read_entries(reply);
    (void)twincert::harness::claimed_entries(reply);
    (void)twincert::harness::delivery_count(reply);
    check_evidence(reply);
  }
  if (const auto stored = twincert::harness::decode_stored_case(input)) {
    const auto again =
        twincert::harness::decode_stored_case(twincert::harness::encode_stored_case(*stored));
    FUZZ_CHECK(again.has_value());
    FUZZ_CHECK(again->case_id == stored->case_id && again->result == stored->result);
  }
  (void)twincert::harness::is_safe_relative_path(input);
  return 0;
}

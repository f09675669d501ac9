#include "redis_reply.hpp"

#include <memory>

#include <hiredis/hiredis.h>

namespace twincert::harness::detail {

RedisReply copy_reply(const redisReply& r) {
  using Type = RedisReply::Type;
  RedisReply out;
  switch (r.type) {
    case REDIS_REPLY_STRING:
      out.type = Type::kString;
      out.text.assign(r.str, r.len);
      break;
    case REDIS_REPLY_STATUS:
      out.type = Type::kStatus;
      out.text.assign(r.str, r.len);
      break;
    case REDIS_REPLY_ERROR:
      out.type = Type::kError;
      out.text.assign(r.str, r.len);
      break;
    case REDIS_REPLY_INTEGER:
      out.type = Type::kInteger;
      out.integer = r.integer;
      break;
    case REDIS_REPLY_ARRAY:
      out.type = Type::kArray;
      out.elements.reserve(r.elements);
      for (std::size_t i = 0; i < r.elements; ++i) {
        if (r.element[i] != nullptr) out.elements.push_back(copy_reply(*r.element[i]));
      }
      break;
    default:  // REDIS_REPLY_NIL
      break;
  }
  return out;
}

namespace {

// hiredis 0.14 allocates an array's elements as announced, before any arrives ("*777777773"
// asks for 6 GB): such a header ends the reading instead.
bool announces_huge_array(std::string_view bytes) {
  constexpr std::size_t kMaxElements = std::size_t{1} << 20U;
  for (std::size_t at = 0; at < bytes.size(); ++at) {
    if (bytes[at] != '*' || (at > 0 && bytes[at - 1] != '\n')) continue;
    std::size_t n = 0;
    for (std::size_t i = at + 1; i < bytes.size() && bytes[i] >= '0' && bytes[i] <= '9'; ++i) {
      n = n * 10 + static_cast<std::size_t>(bytes[i] - '0');
      if (n > kMaxElements) return true;
    }
  }
  return false;
}

}  // namespace

std::vector<RedisReply> read_replies(std::string_view bytes) {
  std::vector<RedisReply> out;
  if (announces_huge_array(bytes)) return out;
  const std::unique_ptr<redisReader, void (*)(redisReader*)> reader(redisReaderCreate(),
                                                                    redisReaderFree);
  if (!reader || redisReaderFeed(reader.get(), bytes.data(), bytes.size()) != REDIS_OK) return out;
  while (true) {
    void* raw = nullptr;
    if (redisReaderGetReply(reader.get(), &raw) != REDIS_OK || raw == nullptr) break;
    const std::unique_ptr<redisReply, void (*)(void*)> reply(static_cast<redisReply*>(raw),
                                                             freeReplyObject);
    out.push_back(copy_reply(*reply));
  }
  return out;
}

}  // namespace twincert::harness::detail

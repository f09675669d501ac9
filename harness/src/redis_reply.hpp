// hiredis's reply structure copied into a RedisReply (queue_protocol.hpp), so everything after
// the socket reads plain values; and RESP bytes read through hiredis's own reader, for the
// fuzz target that feeds the queue's readers what a hostile server could send. Pure functions:
// thread-safe.
#pragma once

#include <string_view>
#include <vector>

#include "twincert/harness/queue_protocol.hpp"

struct redisReply;

namespace twincert::harness::detail {

RedisReply copy_reply(const redisReply& reply);

// The replies in `bytes` (RESP2), as many as are whole; stops at the first malformed one, and
// reads nothing from input that announces an array of more than 2^20 elements (hiredis 0.14
// would allocate it whole; a live connection has the same limit of hiredis, see queue.md).
std::vector<RedisReply> read_replies(std::string_view bytes);

}  // namespace twincert::harness::detail

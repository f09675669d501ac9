// Transports of a replay: where encoded frames go. One implementation per target kind.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "twincert/harness/replay.hpp"
#include "twincert/harness/replay_plan.hpp"
#include "twincert/harness/target.hpp"

namespace twincert::harness {

class Sink {
 public:
  virtual ~Sink() = default;
  // Sends one encoded frame; false on a send error (counted, the replay goes on).
  virtual bool send(std::string_view bytes, const Frame& frame) = 0;
  // Sends what a batching sink still holds; false on a send error.
  virtual bool finish() { return true; }
  // Seconds the wire needs for `bytes` (a serial line's baud rate), 0 for networks.
  virtual double wire_time_s(std::size_t /*bytes*/) const { return 0.0; }
};

// Opens the target; throws ConfigError when that fails.
std::unique_ptr<Sink> open_sink(const Target& target, const ReplayOptions& options);

}  // namespace twincert::harness

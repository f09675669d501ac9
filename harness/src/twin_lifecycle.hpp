// The twin of one case from its start to its end: loopback ports chosen for it, started and
// waited for (or a twin kept from the case before, reset), and what a keeper holds between
// cases. Private to harness (case_runner.cpp, case_replay.cpp). Each case has its own Held, so
// cases in parallel share nothing here but the process-wide list of ports lately handed out,
// which a mutex guards: thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <memory>

#include "twincert/harness/adapter.hpp"
#include "twincert/harness/case_runner.hpp"
#include "twincert/harness/child_process.hpp"

namespace twincert::harness {

struct TwinKeeper::Held {
  Held() = default;
  Held(const Held&) = delete;
  Held& operator=(const Held&) = delete;
  ~Held() {
    for (const auto& [port, fd] : listening_udp) ::close(fd);
  }
  TwinAdapter twin;  // placeholders filled in
  std::unique_ptr<ChildProcess> process;
  // The observer's UDP ports on loopback, bound before the twin started and kept with it.
  std::map<std::uint16_t, int> listening_udp;
};

// Starts the twin for a case. A twin that exits before it is ready gets one more start on other
// ports: another program may have taken a port between our choosing it and the twin binding it.
std::unique_ptr<TwinKeeper::Held> start_twin(const CaseSetup& setup, const CaseResult& result,
                                             ReadyResult& ready);

// The kept twin, reset for this case, or nullptr (none kept, it ended, or the reset failed).
std::unique_ptr<TwinKeeper::Held> reuse_twin(const CaseSetup& setup, TwinKeeper* keeper,
                                             CaseResult& result);

}  // namespace twincert::harness

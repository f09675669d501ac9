// One case on a started twin: its bundle replayed into the twin while the twin is observed, a
// watchdog that kills the twin when the case runs out of time, flow control and settling on the
// twin's counter, and the verdicts over what was observed (case_verdicts.hpp). Private to
// harness. Each call owns its replay, observer and threads: thread-safe for different cases.
#pragma once

#include <chrono>
#include <filesystem>

#include "twincert/harness/case_runner.hpp"

#include "twin_lifecycle.hpp"

namespace twincert::harness {

// Replays `bundle` into `held`'s twin, observes it, judges the observations with the rules and
// writes observations.jsonl; fills in `result` (an error status when the replay could not reach
// the twin, the twin answered wrongly or the case ran out of time since `started`). Throws
// ConfigError when the adapter sends beyond this host without allow_external.
void observe_and_replay(const TwinKeeper::Held& held, const CaseSetup& setup,
                        const std::filesystem::path& bundle, CaseResult& result,
                        std::chrono::steady_clock::time_point started);

}  // namespace twincert::harness

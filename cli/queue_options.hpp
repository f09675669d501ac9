// The Redis work queue's options as `run --queue` and `worker` take them: the URL, the
// credentials from the environment or a file, and the this-host check. Reads the environment:
// call at start-up, before any thread exists.
#pragma once

#include <string>

#include "twincert/harness/work_queue.hpp"

namespace twincert::cli {

// Throws ConfigError for a bad URL, rediss:// (no TLS in Debian 12's hiredis), a Redis not on
// this host without `allow_external`, an unreadable password file, or a Redis that cannot be
// reached or refuses the credentials. `log` prints progress lines unless `quiet`.
harness::QueueOptions queue_options(const std::string& url, const std::string& password_file,
                                    bool allow_external, bool quiet);

}  // namespace twincert::cli

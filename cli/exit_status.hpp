// The exit status of every twincert command, and the one mapping from the error that ends a
// command to its status and message. `twincert --help` and README.md ("Exit codes everywhere")
// show the same table. Constants and a pure function of its arguments: thread-safe.
#pragma once

#include <iosfwd>
#include <string_view>

namespace twincert::cli {

inline constexpr int kExitOk = 0;            // success: nothing failed
inline constexpr int kExitChecksFailed = 1;  // a check failed: errors found, a case failed,
                                             // results incomplete, a mutant survived
inline constexpr int kExitUsage = 2;         // usage or configuration error: a bad option,
                                             // file, key or value (the message names it)
inline constexpr int kExitToolFailed = 3;    // twincert itself failed (a folder it cannot
                                             // write, an internal error)
inline constexpr int kExitNothingDone = 4;   // HIL: the other side refused or was not there, or
                                             // there was nothing to do in time

// The table above as the text `twincert --help` ends with.
extern const std::string_view kExitStatusHelp;

// Prints "twincert COMMAND: what went wrong" to `err` and returns the exit status for the
// exception being handled: ConfigError and JSON that is not what was expected are usage errors
// (2), anything else is a failure of twincert itself (3).
// Requires: called from a catch block.
int exit_status_of_current_exception(std::string_view command, std::ostream& err);

}  // namespace twincert::cli

// The files that run when a twin's command line starts: its program (found on PATH like execvp
// finds it) and, for a script, the interpreter its "#!" line names, followed to the binary that
// really executes (a script may name another script; `#!/usr/bin/env NAME` looks NAME up on
// PATH; symbolic links are resolved). The evidence manifest hashes all of them, so a certificate
// says which interpreter ran a twin written in Python, not only the script. Reads the file
// system and the PATH environment variable; thread-safe as long as no thread changes PATH.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace twincert::harness {

// A program named in a command line: as given when it has a slash, else the first executable
// of that name on PATH; the name itself when none is found.
std::filesystem::path program_path(const std::string& name);

// The program, then each interpreter in its "#!" chain (at most four deep), in that order.
std::vector<std::filesystem::path> programs_that_run(const std::string& name);

}  // namespace twincert::harness

// Writing files so that a reader never sees half of one: reports, manifests, plans, the HIL
// coordinator's results. No shared state: thread-safe as long as two callers never write the
// same path at once (its temporary name is fixed).
#pragma once

#include <filesystem>
#include <string_view>

namespace twincert {

// Writes `bytes` to path.partial, flushes and fsyncs it, renames it over `path`: a reader never
// sees half a file, and a power cut after the rename leaves the whole one. Creates the folder.
// Throws std::filesystem::filesystem_error.
void write_file_atomically(const std::filesystem::path& path, std::string_view bytes);

}  // namespace twincert

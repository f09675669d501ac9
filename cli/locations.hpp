// Where twincert finds what it ships: the fixtures (the default campaign, adapters, rules,
// requirement sets, scenarios, rigs) and the reference twin. An installed twincert (`cmake
// --install`, the .deb) finds them beside its own executable — PREFIX/bin/twincert →
// PREFIX/share/twincert/fixtures and PREFIX/bin/twincert-reference-twin — so it runs from any
// folder with no source tree; a twincert in its build tree falls back to the source and build
// trees it was built from. Environment variables override both. Reads the environment and
// /proc/self/exe: call at start-up, before any thread exists.
#pragma once

#include <filesystem>
#include <string>

namespace twincert::cli {

// $TWINCERT_DATA_DIR, else PREFIX/share/twincert when it holds the fixtures, else the source
// tree this twincert was built from.
std::filesystem::path data_dir();

// data_dir()/fixtures/campaigns/default.json.
std::filesystem::path default_campaign();

// The reference twin to run: `given`, else $TWINCERT_REFERENCE_TWIN, else
// twincert-reference-twin beside this executable, else the one built with it.
std::filesystem::path reference_twin_path(const std::string& given);

}  // namespace twincert::cli

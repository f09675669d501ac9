#include "twincert/harness/journal.hpp"

#include <fstream>

#include <nlohmann/json.hpp>

#include "twincert/base/config_error.hpp"
#include "twincert/base/files.hpp"

namespace twincert::harness {

using nlohmann::json;

json to_json(const JournalHeader& header) {
  return {{"kind", "campaign"},
          {"campaign", header.campaign},
          {"campaign_sha256", header.campaign_sha256},
          {"shard", header.shard},
          {"mutant", header.mutant}};
}

namespace {

JournalHeader header_from_json(const json& j, const std::string& where) {
  const auto text = [&](const char* key) {
    if (!j.contains(key) || !j[key].is_string()) {
      throw ConfigError(where + ": line 1 is not a journal header (no text \"" + key + "\")");
    }
    return j[key].get<std::string>();
  };
  if (!j.is_object() || j.value("kind", "") != "campaign") {
    throw ConfigError(where + R"(: line 1 is not a journal header (expected "kind": "campaign"))");
  }
  return {text("campaign"), text("campaign_sha256"), text("shard"), text("mutant")};
}

}  // namespace

JournalFile read_journal(const std::filesystem::path& path) {
  const std::string where = path.string();
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ConfigError("cannot read the journal " + where);
  JournalFile journal;
  std::string line;
  std::size_t n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (in.eof()) break;  // no newline: a line cut short by a kill
    const json j = json::parse(line, nullptr, false);
    if (j.is_discarded()) {
      // Only the last line can be torn; anything before it is damage, not a kill.
      if (in.peek() == std::char_traits<char>::eof()) break;
      throw ConfigError(where + ":" + std::to_string(n) + ": not JSON");
    }
    if (n == 1) {
      journal.header = header_from_json(j, where);
    } else {
      try {
        journal.results.push_back(case_result_from_json(j));
      } catch (const ConfigError& e) {
        throw ConfigError(where + ":" + std::to_string(n) + ": " + e.what());
      }
    }
    journal.whole_bytes += line.size() + 1;
  }
  if (n == 0) throw ConfigError(where + " is empty: not a journal");
  return journal;
}

void write_journal(const std::filesystem::path& path, const JournalFile& journal) {
  std::string text = to_json(journal.header).dump() + "\n";
  for (const CaseResult& r : journal.results) {
    text += to_json(r).dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
  }
  write_file_atomically(path, text);
}

}  // namespace twincert::harness

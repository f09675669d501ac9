// journal.jsonl, the record of a campaign run that survives a kill: a header line naming the
// campaign (id and SHA-256), the shard and the mutant, then one finished case per line
// (docs/formats/campaign.md). run_campaign appends to it; --resume and `twincert merge` read
// it back as typed case results. Pure functions over files; thread-compatible.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "twincert/harness/case_runner.hpp"

namespace twincert::harness {

struct JournalHeader {
  std::string campaign;         // the campaign's id
  std::string campaign_sha256;  // of the campaign file
  std::string shard = "1/1";    // "2/4"; a merge of shards: "1+3/4"
  std::string mutant;           // empty: the twin itself
};

struct JournalFile {
  JournalHeader header;
  std::vector<CaseResult> results;  // in the order they finished
  std::uintmax_t whole_bytes = 0;   // up to the end of the last whole line
};

// Reads a journal. A last line cut short by a kill ends the reading (its case did not finish).
// Throws ConfigError naming the file when it is missing, unreadable, or its first
// line is not a journal header, and naming the line when a whole line is not a case result.
JournalFile read_journal(const std::filesystem::path& path);

// Writes a whole journal at once (a temporary file renamed into place): a merged run's.
void write_journal(const std::filesystem::path& path, const JournalFile& journal);

// The header as the journal's first line holds it.
nlohmann::json to_json(const JournalHeader& header);

}  // namespace twincert::harness

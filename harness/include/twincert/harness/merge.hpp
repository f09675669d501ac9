// Joining the outputs of a campaign's shards (`twincert run --shard I/N` on many machines) into
// one run, as if it had run in one place: the journals are read back as typed case results,
// checked to be of the same campaign (same file digest) and of disjoint shards of the same
// count, the case folders are linked (or copied) into the output folder, and the merged
// journal is written there, so that merged runs can be merged again (associative). What is
// missing — shards, and cases of the campaign found in no input — is named, never guessed.
// Reads and writes files; not thread-safe on the same output folder.
#pragma once

#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "twincert/harness/campaign.hpp"

namespace twincert::harness {

// The shards a journal holds: "2/4" or, merged, "1+3/4".
struct ShardSet {
  std::set<unsigned> indices;
  unsigned count = 1;
  std::string text() const;  // "1+3/4"; "1/1" when it is the whole campaign
  bool complete() const { return indices.size() == count; }
};
// Throws ConfigError for text that is no shard set.
ShardSet parse_shard_set(const std::string& text);

struct MergedRun {
  CampaignRun run;                             // every case found, in campaign order
  std::map<std::string, CampaignRun> mutants;  // by mutant name, when the shards ran them
  ShardSet shards;                             // what the inputs held together
  std::vector<std::string> missing_shards;     // "3/4", ...
  std::vector<std::string> missing_cases;      // case ids of the campaign in no input
  bool complete() const { return missing_shards.empty() && missing_cases.empty(); }
};

// Merges the run folders `inputs` (each holding journal.jsonl, cases/, and mutants/NAME/ when
// it ran mutants) of `campaign` into `out_dir`. Throws ConfigError naming the
// folder when an input is of another campaign, of another shard count, repeats a shard or a
// case another input holds, or has no journal.
MergedRun merge_runs(const Campaign& campaign, const std::vector<std::filesystem::path>& inputs,
                     const std::filesystem::path& out_dir);

}  // namespace twincert::harness

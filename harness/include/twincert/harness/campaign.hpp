// A campaign (schema twincert.campaign/1, docs/formats/campaign.md): a twin adapter, rules and
// requirements, and a matrix of scenarios x fault sets x seeds, run as cases with a timeout
// each, in parallel where the adapter allows. Each finished case is appended to journal.jsonl
// and fsynced before the next is reported, so a run that is killed loses nothing finished and
// `--resume` carries on where it stopped.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "twincert/harness/case_runner.hpp"

namespace twincert::harness {

struct Campaign {
  std::string id;
  std::string title;
  std::filesystem::path origin;
  std::string sha256;  // of the campaign file
  std::filesystem::path adapter;
  std::filesystem::path rules;
  std::filesystem::path requirements;  // may be empty
  std::string pacing;                  // empty: the adapter's
  unsigned jobs = 1;
  std::chrono::milliseconds case_timeout{120000};
  int repetitions = 1;
  std::vector<CaseSpec> cases;  // the whole matrix, sorted by id
};

// Reads and checks a campaign: the adapter, rules, scenarios and faults it names must exist
// and parse. Throws ConfigError naming the file and what is wrong.
Campaign load_campaign(const std::filesystem::path& path);

// A case id without the "/rN" a campaign with repetitions gives each repetition: the case all
// its repetitions are of ("open-sea-transit/normal/s1/r2" -> "open-sea-transit/normal/s1").
std::string case_id_without_repetition(const std::string& id);

struct Shard {
  unsigned index = 1;  // 1..count
  unsigned count = 1;
};
// "2/4"; throws ConfigError.
Shard parse_shard(const std::string& text);
// Every count-th case starting at index-1, by position in the sorted matrix: the shards of a
// campaign are disjoint and together hold every case.
std::vector<CaseSpec> cases_of_shard(const std::vector<CaseSpec>& cases, Shard shard);

struct RunOptions;
// Runs the cases elsewhere instead of on this machine's threads (the Redis work queue,
// work_queue.hpp): called once with the cases not yet in the journal; calls `finished` once per
// case, from the calling thread, with the case's folder already in options.out_dir/cases/.
// Returns when every case is finished; throws ConfigError when it cannot start.
using Distribute = std::function<void(const Campaign& campaign, const RunOptions& options,
                                      const std::vector<CaseSpec>& todo,
                                      const std::function<void(CaseResult)>& finished)>;

struct RunOptions {
  std::filesystem::path out_dir;
  unsigned jobs = 0;  // 0: the campaign's
  bool resume = false;
  Shard shard;
  // Only these cases of the shard (ids as in results.json; empty: all) — to reproduce one.
  std::vector<std::string> only;
  std::string mutant;
  std::filesystem::path reference_twin;
  bool allow_external = false;
  std::string tool;
  // Called after each case, from the thread that ran it, one call at a time.
  std::function<void(const CaseResult& result, std::size_t done, std::size_t total)> on_case;
  Distribute distribute;  // empty: run the cases here, `jobs` at a time
};

struct CampaignRun {
  std::vector<CaseResult> results;  // every case of the shard, in case order
  std::size_t resumed = 0;          // taken from the journal instead of run
  double wall_s = 0.0;
  std::string started_utc;
};

// Runs the shard's cases not already in the journal (with resume) and returns all of them.
// Throws ConfigError for configuration problems (resuming another campaign's
// journal, a bad adapter) and std::filesystem::filesystem_error when out_dir is unwritable.
CampaignRun run_campaign(const Campaign& campaign, const RunOptions& options);

}  // namespace twincert::harness

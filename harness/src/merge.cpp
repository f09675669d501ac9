#include "twincert/harness/merge.hpp"

#include <algorithm>
#include <charconv>

#include "twincert/base/config_error.hpp"
#include "twincert/harness/journal.hpp"

namespace twincert::harness {

namespace fs = std::filesystem;

std::string ShardSet::text() const {
  if (complete()) return "1/1";
  std::string out;
  for (const unsigned i : indices) out += (out.empty() ? "" : "+") + std::to_string(i);
  return out + "/" + std::to_string(count);
}

ShardSet parse_shard_set(const std::string& text) {
  const auto bad = [&] {
    return ConfigError("shard \"" + text + "\": expected I/N or I+J+.../N with 1 <= I <= N");
  };
  const auto slash = text.find('/');
  if (slash == std::string::npos) throw bad();
  const auto number = [&](std::string_view digits) {
    unsigned value = 0;
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (ec != std::errc() || end != digits.data() + digits.size() || value == 0) throw bad();
    return value;
  };
  ShardSet set;
  set.count = number(std::string_view(text).substr(slash + 1));
  std::string_view list = std::string_view(text).substr(0, slash);
  while (true) {
    const auto plus = list.find('+');
    const unsigned index = number(list.substr(0, plus));
    if (index > set.count || !set.indices.insert(index).second) throw bad();
    if (plus == std::string_view::npos) break;
    list.remove_prefix(plus + 1);
  }
  return set;
}

namespace {

// Hard links where the file system allows (instant, no second copy of the evidence), else a
// copy.
void link_or_copy_tree(const fs::path& from, const fs::path& to) {
  std::error_code ec;
  fs::create_directories(to.parent_path());
  fs::copy(from, to, fs::copy_options::recursive | fs::copy_options::create_hard_links, ec);
  if (ec) {
    fs::remove_all(to);
    fs::copy(from, to, fs::copy_options::recursive);
  }
}

// One run folder's journal (the twin's, or a mutant's), checked against the campaign.
struct Part {
  fs::path dir;  // the run folder the journal and cases/ are in
  JournalFile journal;
  ShardSet shards;
};

Part read_part(const Campaign& campaign, const fs::path& dir) {
  const fs::path file = dir / "journal.jsonl";
  if (!fs::is_regular_file(file)) {
    throw ConfigError(dir.string() + " holds no journal.jsonl: not the output of twincert run");
  }
  Part part{dir, read_journal(file), {}};
  if (part.journal.header.campaign_sha256 != campaign.sha256) {
    throw ConfigError(dir.string() + " is a run of campaign \"" + part.journal.header.campaign +
                      "\" with another file (SHA-256 " +
                      part.journal.header.campaign_sha256.substr(0, 12) + "...) than " +
                      campaign.origin.string() + " (" + campaign.sha256.substr(0, 12) +
                      "...): shards must run the same campaign file");
  }
  part.shards = parse_shard_set(part.journal.header.shard);
  return part;
}

void check_one_split(const std::vector<Part>& parts) {
  const unsigned count = parts.front().shards.count;
  for (const Part& part : parts) {
    if (part.shards.count != count) {
      throw ConfigError(part.dir.string() + " is shard " + part.shards.text() + " of " +
                        std::to_string(part.shards.count) + " where " + parts.front().dir.string() +
                        " is of " + std::to_string(count) + ": merge shards of one split");
    }
  }
}

// The parts of one run (the twin's or one mutant's) joined into out_dir.
CampaignRun join(const Campaign& campaign, const std::vector<Part>& parts, const fs::path& out_dir,
                 const std::string& mutant, ShardSet& shards) {
  std::map<std::string, std::size_t> order;
  for (std::size_t i = 0; i < campaign.cases.size(); ++i) order[campaign.cases[i].id] = i;
  std::map<std::string, fs::path> seen;  // case id -> the input it came from
  shards = ShardSet{{}, parts.front().shards.count};
  CampaignRun run;
  check_one_split(parts);
  for (const Part& part : parts) {
    for (const unsigned i : part.shards.indices) {
      if (!shards.indices.insert(i).second) {
        throw ConfigError("shard " + std::to_string(i) + "/" + std::to_string(shards.count) +
                          " is in two inputs (one of them " + part.dir.string() + ")");
      }
    }
    for (CaseResult r : part.journal.results) {
      if (!order.contains(r.spec.id)) {
        throw ConfigError(part.dir.string() + " holds case \"" + r.spec.id + "\", which " +
                          campaign.origin.string() + " does not have");
      }
      if (const auto [at, fresh] = seen.emplace(r.spec.id, part.dir); !fresh) {
        throw ConfigError("case \"" + r.spec.id + "\" is in both " + at->second.string() + " and " +
                          part.dir.string());
      }
      const fs::path folder = part.dir / "cases" / r.dir.filename();
      if (!fs::is_directory(folder)) {
        throw ConfigError(part.dir.string() + ": case \"" + r.spec.id + "\" has no folder " +
                          folder.string() + " (its evidence)");
      }
      r.dir = out_dir / "cases" / r.dir.filename();
      link_or_copy_tree(folder, r.dir);
      run.results.push_back(std::move(r));
    }
  }
  std::sort(run.results.begin(), run.results.end(), [&](const CaseResult& a, const CaseResult& b) {
    return order[a.spec.id] < order[b.spec.id];
  });
  JournalFile merged;
  merged.header = {campaign.id, campaign.sha256, shards.text(), mutant};
  merged.results = run.results;
  fs::create_directories(out_dir);
  write_journal(out_dir / "journal.jsonl", merged);
  return run;
}

std::set<std::string> mutants_of(const fs::path& dir) {
  std::set<std::string> names;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir / "mutants", ec)) {
    if (fs::is_regular_file(entry.path() / "journal.jsonl")) {
      names.insert(entry.path().filename().string());
    }
  }
  return names;
}

}  // namespace

MergedRun merge_runs(const Campaign& campaign, const std::vector<fs::path>& inputs,
                     const fs::path& out_dir) {
  if (inputs.empty()) throw ConfigError("nothing to merge: name the run folders of the shards");
  for (const fs::path& in : inputs) {
    std::error_code ec;
    if (fs::exists(out_dir, ec) && fs::equivalent(in, out_dir, ec)) {
      throw ConfigError("the output folder " + out_dir.string() + " is one of the inputs");
    }
  }
  if (fs::exists(out_dir / "journal.jsonl")) {
    throw ConfigError(out_dir.string() +
                      " already holds a run (journal.jsonl): merge into a "
                      "new folder");
  }
  std::vector<Part> parts;
  parts.reserve(inputs.size());
  for (const fs::path& in : inputs) parts.push_back(read_part(campaign, in));
  for (const Part& p : parts) {
    if (!p.journal.header.mutant.empty()) {
      throw ConfigError(p.dir.string() + " is a run against mutant \"" + p.journal.header.mutant +
                        "\": merge the run folders, whose mutants/ are merged with them");
    }
  }
  check_one_split(parts);
  const std::set<std::string> mutant_names = mutants_of(inputs.front());
  for (const fs::path& in : inputs) {
    if (mutants_of(in) != mutant_names) {
      throw ConfigError(in.string() + " ran other mutants than " + inputs.front().string() +
                        " (see their mutants/ folders): run every shard with the same --mutants");
    }
  }

  MergedRun merged;
  merged.run = join(campaign, parts, out_dir, "", merged.shards);
  for (const std::string& name : mutant_names) {
    std::vector<Part> mutant_parts;
    mutant_parts.reserve(inputs.size());
    for (const fs::path& in : inputs) {
      mutant_parts.push_back(read_part(campaign, in / "mutants" / name));
    }
    ShardSet ignored;
    merged.mutants[name] = join(campaign, mutant_parts, out_dir / "mutants" / name, name, ignored);
  }

  for (unsigned i = 1; i <= merged.shards.count; ++i) {
    if (!merged.shards.indices.contains(i)) {
      merged.missing_shards.push_back(std::to_string(i) + "/" +
                                      std::to_string(merged.shards.count));
    }
  }
  std::set<std::string> found;
  for (const auto& r : merged.run.results) found.insert(r.spec.id);
  for (const auto& c : campaign.cases) {
    if (!found.contains(c.id)) merged.missing_cases.push_back(c.id);
  }
  return merged;
}

}  // namespace twincert::harness

#include "twincert/harness/campaign.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <charconv>
#include <ctime>
#include <fstream>
#include <mutex>
#include <set>
#include <thread>

#include <nlohmann/json.hpp>

#include "twincert/base/config_error.hpp"
#include "twincert/base/json_fields.hpp"
#include "twincert/base/sha256.hpp"
#include "twincert/generators/bundle.hpp"
#include "twincert/generators/faults.hpp"
#include "twincert/generators/scenario.hpp"
#include "twincert/harness/evidence_files.hpp"
#include "twincert/harness/journal.hpp"

#include <fcntl.h>
#include <unistd.h>

namespace twincert::harness {

namespace {

using json_fields::field;
using json_fields::only_keys;
using json_fields::optional_field;
using nlohmann::json;

std::filesystem::path beside(const std::filesystem::path& file, const std::string& name) {
  const std::filesystem::path p(name);
  return p.is_absolute() ? p : file.parent_path() / p;
}

// "dropout:HE0001@60+60,probability=0.5" -> "dropout-HE0001"
std::string label_of(const std::vector<std::string>& faults) {
  if (faults.empty()) return "normal";
  std::string out;
  for (const auto& f : faults) {
    const auto spec = generators::parse_fault(f);
    if (!out.empty()) out += '+';
    out += spec.kind + "-" + spec.source;
  }
  return out;
}

std::string utc_now() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  std::array<char, 32> text{};
  std::strftime(text.data(), text.size(), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return text.data();
}

// The cases of one scenario of a matrix entry: fault sets x seeds x repetitions.
void expand_scenario(const Campaign& c, const std::string& at, const std::string& scenario_name,
                     const std::vector<std::vector<std::string>>& fault_sets,
                     const std::vector<std::uint64_t>& seeds, double duration,
                     std::vector<CaseSpec>& out) {
  // A scenario is a built-in name, or a file beside the campaign.
  const auto file = beside(c.origin, scenario_name);
  const std::string scenario = std::filesystem::exists(file) ? file.string() : scenario_name;
  generators::Scenario loaded;
  try {
    loaded = generators::load_scenario(scenario);
  } catch (const ConfigError& e) {
    throw ConfigError(at + ": " + e.what());
  }
  if (duration > 0.0) loaded.duration_s = duration;
  for (const auto& faults : fault_sets) {
    generators::Scenario check = loaded;
    try {
      for (const auto& f : faults) generators::add_fault(check, generators::parse_fault(f));
    } catch (const ConfigError& e) {
      throw ConfigError(at + ": " + e.what());
    }
    for (const auto seed : seeds) {
      for (int r = 1; r <= c.repetitions; ++r) {
        CaseSpec s;
        s.scenario = scenario;
        s.faults = faults;
        s.seed = seed;
        s.duration_s = duration;
        s.repetition = r;
        s.id = loaded.name + "/" + label_of(faults) + "/s" + std::to_string(seed);
        if (c.repetitions > 1) s.id += "/r" + std::to_string(r);
        out.push_back(std::move(s));
      }
    }
  }
}

void read_matrix(const json& list, const Campaign& c, const std::string& where,
                 std::vector<CaseSpec>& out) {
  if (!list.is_array() || list.empty()) {
    throw ConfigError(where +
                      R"(: "matrix" is a non-empty list of {"scenarios", "faults", "seeds"})");
  }
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string at = where + ": matrix[" + std::to_string(i) + "]";
    const json& m = list[i];
    only_keys(m, {"scenarios", "faults", "seeds", "duration_s", "description"}, at);
    const auto scenarios = field<std::vector<std::string>>(m, "scenarios", at);
    const auto fault_sets = optional_field<std::vector<std::vector<std::string>>>(
        m, "faults", {std::vector<std::string>{}}, at);
    const auto seeds = optional_field<std::vector<std::uint64_t>>(m, "seeds", {1}, at);
    const auto duration = optional_field<double>(m, "duration_s", 0.0, at);
    if (scenarios.empty() || fault_sets.empty() || seeds.empty()) {
      throw ConfigError(at + ": scenarios, faults and seeds must not be empty lists");
    }
    for (const auto& scenario_name : scenarios) {
      expand_scenario(c, at, scenario_name, fault_sets, seeds, duration, out);
    }
  }
}

// journal.jsonl: a header naming the campaign and shard, then one finished case per line.
class Journal {
 public:
  Journal(const std::filesystem::path& path, const json& header, bool resume,
          std::vector<CaseResult>& done)
      : path_(path) {
    if (resume && std::filesystem::exists(path)) {
      read(header, done);
    } else {
      std::filesystem::remove(path);
    }
    fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd_ < 0) throw ConfigError("cannot write the journal " + path.string());
    if (::lseek(fd_, 0, SEEK_END) == 0) append(header);
  }
  Journal(const Journal&) = delete;
  Journal& operator=(const Journal&) = delete;
  ~Journal() { ::close(fd_); }

  // One line, then fsync: when this returns, the case survives a kill or a power cut.
  void append(const json& record) {
    const std::scoped_lock lock(mutex_);
    const std::string line =
        record.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
    std::size_t written = 0;
    while (written < line.size()) {
      const auto n = ::write(fd_, line.data() + written, line.size() - written);
      if (n <= 0) throw ConfigError("cannot write the journal " + path_.string());
      written += static_cast<std::size_t>(n);
    }
    ::fsync(fd_);
  }

 private:
  void read(const json& header, std::vector<CaseResult>& done) {
    JournalFile journal = read_journal(path_);
    if (to_json(journal.header) != header) {
      throw ConfigError(path_.string() +
                        " is the journal of another campaign, shard or mutant; --resume "
                        "continues only the same run (use another --out, or drop --resume)");
    }
    for (auto& r : journal.results) done.push_back(std::move(r));
    std::filesystem::resize_file(path_, journal.whole_bytes);  // drop a torn last line
  }

  std::filesystem::path path_;
  int fd_ = -1;
  std::mutex mutex_;
};

// The twin's program must be there before the first case: the program only, since ports and
// folders are not known yet.
void check_twin_program(const CaseSetup& setup) {
  AdapterVariables variables;
  variables.reference_twin = setup.reference_twin;
  for (const auto& n : port_names(setup.adapter)) variables.ports[n] = 1;
  check_program(setup.adapter, variables);
}

}  // namespace

Campaign load_campaign(const std::filesystem::path& path) {
  const json doc = json_fields::read_json_file(path, "campaign");
  const std::string where = path.string();
  only_keys(doc,
            {"schema", "id", "title", "description", "adapter", "rules", "requirements", "pacing",
             "jobs", "case_timeout_s", "repetitions", "matrix"},
            where);
  if (optional_field<std::string>(doc, "schema", "", where) != "twincert.campaign/1") {
    throw ConfigError(where + R"(: expected "schema": "twincert.campaign/1")");
  }
  Campaign c;
  c.origin = path;
  c.sha256 = sha256_file(path);
  c.id = field<std::string>(doc, "id", where);
  c.title = optional_field<std::string>(doc, "title", c.id, where);
  c.adapter = beside(path, field<std::string>(doc, "adapter", where));
  c.rules = beside(path, field<std::string>(doc, "rules", where));
  const auto requirements = optional_field<std::string>(doc, "requirements", "", where);
  if (!requirements.empty()) c.requirements = beside(path, requirements);
  c.pacing = optional_field<std::string>(doc, "pacing", "", where);
  c.jobs = optional_field<unsigned>(doc, "jobs", 1, where);
  const auto timeout = optional_field<double>(doc, "case_timeout_s", 120.0, where);
  if (!(timeout > 0.0) || timeout > 86400.0) {
    throw ConfigError(where + ": case_timeout_s must be between 0 and 86400");
  }
  c.case_timeout = std::chrono::milliseconds(static_cast<std::int64_t>(timeout * 1000.0));
  c.repetitions = optional_field<int>(doc, "repetitions", 1, where);
  if (c.repetitions < 1 || c.repetitions > 100) {
    throw ConfigError(where + ": repetitions must be 1..100");
  }
  if (c.jobs < 1 || c.jobs > 256) throw ConfigError(where + ": jobs must be 1..256");
  if (!doc.contains("matrix")) throw ConfigError(where + ": missing \"matrix\"");
  read_matrix(doc["matrix"], c, where, c.cases);
  std::sort(c.cases.begin(), c.cases.end(),
            [](const CaseSpec& a, const CaseSpec& b) { return a.id < b.id; });
  for (std::size_t i = 1; i < c.cases.size(); ++i) {
    if (c.cases[i].id == c.cases[i - 1].id) {
      throw ConfigError(where + ": case " + c.cases[i].id +
                        " twice (the same scenario, fault kinds and sources, and seed)");
    }
  }
  // The files it names must load now, not after the first hour of cases.
  (void)load_adapter(c.adapter);
  (void)load_rules(c.rules);
  return c;
}

std::string case_id_without_repetition(const std::string& id) {
  const auto at = id.rfind("/r");
  if (at == std::string::npos || at + 2 == id.size()) return id;
  const bool digits = std::all_of(id.begin() + static_cast<std::ptrdiff_t>(at) + 2, id.end(),
                                  [](char c) { return c >= '0' && c <= '9'; });
  return digits ? id.substr(0, at) : id;
}

Shard parse_shard(const std::string& text) {
  const auto slash = text.find('/');
  Shard s;
  const auto number = [&](std::string_view part, unsigned& out) {
    const auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), out);
    return ec == std::errc{} && end == part.data() + part.size();
  };
  const std::string_view all(text);
  if (slash == std::string::npos || !number(all.substr(0, slash), s.index) ||
      !number(all.substr(slash + 1), s.count) || s.count == 0 || s.index == 0 ||
      s.index > s.count) {
    throw ConfigError("--shard \"" + text + "\": expected I/N with 1 <= I <= N, e.g. 2/4");
  }
  return s;
}

std::vector<CaseSpec> cases_of_shard(const std::vector<CaseSpec>& cases, Shard shard) {
  std::vector<CaseSpec> out;
  for (std::size_t i = shard.index - 1; i < cases.size(); i += shard.count) {
    out.push_back(cases[i]);
  }
  return out;
}

CampaignRun run_campaign(const Campaign& campaign, const RunOptions& options) {
  CampaignRun run;
  run.started_utc = utc_now();
  const auto started = std::chrono::steady_clock::now();
  std::filesystem::create_directories(options.out_dir);

  CaseSetup setup;
  setup.adapter = load_adapter(campaign.adapter);
  setup.rules = load_rules(campaign.rules);
  setup.pacing = campaign.pacing;
  setup.timeout = campaign.case_timeout;
  setup.cases_dir = options.out_dir / "cases";
  setup.reference_twin = options.reference_twin;
  setup.mutant = options.mutant;
  setup.allow_external = options.allow_external;
  setup.tool = options.tool;
  if (!setup.mutant.empty() &&
      std::none_of(setup.adapter.mutants.begin(), setup.adapter.mutants.end(),
                   [&](const Mutant& m) { return m.name == setup.mutant; })) {
    throw ConfigError("adapter " + campaign.adapter.string() + " has no mutant \"" + setup.mutant +
                      "\"");
  }

  if (!options.distribute) check_twin_program(setup);  // workers check their own

  auto cases = cases_of_shard(campaign.cases, options.shard);
  if (!options.only.empty()) {
    for (const auto& id : options.only) {
      if (std::none_of(cases.begin(), cases.end(), [&](const CaseSpec& c) { return c.id == id; })) {
        throw ConfigError("campaign " + campaign.origin.string() + " has no case \"" + id + "\"" +
                          (options.shard.count > 1 ? " in this shard" : ""));
      }
    }
    std::erase_if(cases, [&](const CaseSpec& c) {
      return std::find(options.only.begin(), options.only.end(), c.id) == options.only.end();
    });
  }
  const json header = to_json(
      JournalHeader{campaign.id, campaign.sha256,
                    std::to_string(options.shard.index) + "/" + std::to_string(options.shard.count),
                    options.mutant});
  std::vector<CaseResult> done;
  Journal journal(options.out_dir / "journal.jsonl", header, options.resume, done);
  std::set<std::string> done_ids;
  for (const auto& r : done) done_ids.insert(r.spec.id);
  std::vector<CaseSpec> todo;
  for (const auto& c : cases) {
    if (!done_ids.contains(c.id)) todo.push_back(c);
  }
  run.resumed = cases.size() - todo.size();

  std::mutex mutex;
  std::atomic<std::size_t> next{0};
  std::size_t finished = run.resumed;
  std::exception_ptr failure;
  const auto worker = [&] {
    TwinKeeper keeper;  // a twin kept between this worker's cases (adapters that reset)
    for (std::size_t i = next++; i < todo.size(); i = next++) {
      try {
        CaseResult r = run_case(todo[i], setup, &keeper);
        journal.append(to_json(r));
        const std::scoped_lock lock(mutex);
        ++finished;
        if (options.on_case) options.on_case(r, finished, cases.size());
        done.push_back(std::move(r));
      } catch (...) {
        const std::scoped_lock lock(mutex);
        if (!failure) failure = std::current_exception();
        next = todo.size();  // stop handing out cases; finished ones are in the journal
      }
    }
  };
  if (options.distribute && !todo.empty()) {
    options.distribute(campaign, options, todo, [&](CaseResult r) {
      journal.append(to_json(r));
      ++finished;
      if (options.on_case) options.on_case(r, finished, cases.size());
      done.push_back(std::move(r));
    });
    todo.clear();  // no local worker below
  }
  unsigned jobs = options.jobs > 0 ? options.jobs : campaign.jobs;
  if (!setup.adapter.parallel) jobs = 1;
  jobs = std::max(1U, std::min<unsigned>(jobs, static_cast<unsigned>(todo.size())));
  std::vector<std::thread> threads;
  for (unsigned j = 1; j < jobs; ++j) threads.emplace_back(worker);
  worker();
  for (auto& t : threads) t.join();
  if (failure) std::rethrow_exception(failure);

  // In case order, whatever order they finished in.
  std::map<std::string, std::size_t> order;
  for (std::size_t i = 0; i < cases.size(); ++i) order[cases[i].id] = i;
  std::erase_if(done, [&](const CaseResult& r) { return !order.contains(r.spec.id); });
  std::sort(done.begin(), done.end(), [&](const CaseResult& a, const CaseResult& b) {
    return order[a.spec.id] < order[b.spec.id];
  });
  run.results = std::move(done);
  run.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return run;
}

}  // namespace twincert::harness

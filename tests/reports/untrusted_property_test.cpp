// Results folders are read back years later and may have been edited, truncated or forged:
// whatever results.json, manifest.json or manifest.sig hold, the readers answer with a
// finding or a ConfigError, and every report of a document harness::load_results() accepts is
// written without an exception.
#include <fstream>
#include <random>
#include <string>

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "twincert/base/config_error.hpp"
#include "twincert/harness/results_document.hpp"
#include "twincert/reports/compare.hpp"
#include "twincert/reports/html.hpp"
#include "twincert/reports/manifest.hpp"
#include "twincert/reports/markdown.hpp"
#include "twincert/reports/outputs.hpp"
#include "twincert/reports/results.hpp"
#include "twincert/reports/signing.hpp"

#include "sample_results.hpp"
#include <rapidcheck.h>

namespace twincert::reports {
namespace {

namespace fs = std::filesystem;

// Any JSON value, small: the types a field could wrongly have.
rc::Gen<json> any_value() {
  return rc::gen::oneOf(
      rc::gen::just(json(nullptr)),
      rc::gen::map(rc::gen::arbitrary<bool>(), [](bool b) { return json(b); }),
      rc::gen::map(rc::gen::arbitrary<int>(), [](int i) { return json(i); }),
      rc::gen::map(rc::gen::arbitrary<double>(), [](double d) { return json(d); }),
      rc::gen::map(rc::gen::string<std::string>(),
                   [](std::string s) { return json(std::move(s)); }),
      rc::gen::just(json::array()), rc::gen::just(json::object()),
      rc::gen::just(json::array({1, "x", nullptr})));
}

// Every JSON pointer into `doc`.
void pointers(const json& doc, const json::json_pointer& at, std::vector<json::json_pointer>& out) {
  out.push_back(at);
  if (doc.is_object()) {
    for (const auto& [key, value] : doc.items()) pointers(value, at / key, out);
  } else if (doc.is_array()) {
    for (std::size_t i = 0; i < doc.size(); ++i) pointers(doc[i], at / i, out);
  }
}

// A valid document with a few of its values replaced by values of any type.
json mutated_results() {
  json doc = results_with({a_case("c/ok", "pass", 1.0), a_case("c/bad", "fail", 2.0)});
  const int edits = *rc::gen::inRange(1, 5);
  for (int e = 0; e < edits; ++e) {
    std::vector<json::json_pointer> all;
    pointers(doc, json::json_pointer(), all);
    const auto& at = all[*rc::gen::inRange<std::size_t>(1, all.size())];
    doc[at] = *any_value();
  }
  return doc;
}

class Folder {
 public:
  Folder()
      : dir_(fs::temp_directory_path() /
             ("twincert-prop-" + std::to_string(std::random_device{}()))) {
    fs::create_directories(dir_);
  }
  Folder(const Folder&) = delete;
  Folder& operator=(const Folder&) = delete;
  ~Folder() { fs::remove_all(dir_); }
  const fs::path& path() const { return dir_; }
  void write(const char* name, const std::string& bytes) const {
    std::ofstream(dir_ / name, std::ios::binary) << bytes;
  }

 private:
  fs::path dir_;
};

RC_GTEST_PROP(UntrustedResultsTest, EveryAcceptedDocumentGivesEveryReport, ()) {
  const Folder folder;
  const json doc = mutated_results();
  folder.write("results.json", doc.dump(-1, ' ', false, json::error_handler_t::replace));
  harness::ResultsDocument loaded;
  try {
    loaded = harness::load_results(folder.path());
  } catch (const ConfigError&) {
    RC_SUCCEED("refused with a ConfigError");
  }
  (void)markdown_summary(loaded);
  (void)html_report(loaded, folder.path());
  const Comparison c = compare_results(loaded, document(results_with({})));
  (void)markdown_summary(loaded, &c);
  (void)junit_xml(loaded);
  // What the one reader accepted, the one writer writes, and the reader reads again the same.
  const std::string text = harness::results_text(loaded);
  RC_ASSERT(harness::results_text(harness::results_from_json(json::parse(text), "again")) == text);
}

RC_GTEST_PROP(UntrustedResultsTest, AnyBytesAsResultsAreAcceptedOrAConfigError, ()) {
  const Folder folder;
  folder.write("results.json", *rc::gen::string<std::string>());
  try {
    (void)html_report(harness::load_results(folder.path()), folder.path());
  } catch (const ConfigError&) {
  }
}

RC_GTEST_PROP(UntrustedManifestTest, AnyManifestGivesFindingsNeverAnException, ()) {
  const Folder folder;
  const bool json_like = *rc::gen::arbitrary<bool>();
  std::string bytes = *rc::gen::string<std::string>();
  if (json_like) {
    json m = {{"schema", "twincert.manifest/1"},
              {"files", json::array({{{"path", "results.json"}, {"sha256", "00"}}})},
              {"inputs", json::array({{{"path", "/nonexistent"}, {"sha256", nullptr}}})}};
    std::vector<json::json_pointer> all;
    pointers(m, json::json_pointer(), all);
    m[all[*rc::gen::inRange<std::size_t>(1, all.size())]] = *any_value();
    bytes = m.dump(-1, ' ', false, json::error_handler_t::replace);
  }
  folder.write(kManifestFile, bytes);
  folder.write("results.json", "{}");
  const VerifyReport r = verify_manifest(folder.path());
  RC_ASSERT(!r.holds());  // nothing here matches: a wrong digest or an unusable manifest
  RC_ASSERT(!r.findings.empty());
}

RC_GTEST_PROP(UntrustedManifestTest, AnySignatureFileIsAReasonNeverAnException, ()) {
  const Folder folder;
  folder.write(kManifestFile, R"({"schema": "twincert.manifest/1", "files": []})");
  generate_key_pair(folder.path() / "k", false);
  folder.write(kSignatureFile, *rc::gen::string<std::string>());
  RC_ASSERT(signature_problem(folder.path(), folder.path() / "k.pub").has_value());
}

}  // namespace
}  // namespace twincert::reports

#include "twincert/hil/rigs.hpp"

#include <algorithm>
#include <fstream>

#include <nlohmann/json.hpp>

#include "twincert/base/config_error.hpp"
#include "twincert/generators/scenario.hpp"

namespace twincert::hil {

namespace {

using nlohmann::json;

class Reader {
 public:
  explicit Reader(std::string file) : file_(std::move(file)) {}

  [[noreturn]] void fail(const std::string& at, const std::string& expected) const {
    throw ConfigError(file_ + ": " + (at.empty() ? "/" : at) + ": expected " + expected);
  }
  const json& field(const json& j, const std::string& at, const char* key, const char* expected,
                    bool (json::*is)() const noexcept) const {
    if (!j.contains(key) || !(j[key].*is)()) fail(at + "/" + key, expected);
    return j[key];
  }
  std::string text(const json& j, const std::string& at, const char* key) const {
    return field(j, at, key, "text", &json::is_string).get<std::string>();
  }
  std::string optional_text(const json& j, const std::string& at, const char* key) const {
    return j.contains(key) ? text(j, at, key) : "";
  }
  std::vector<std::string> texts(const json& j, const std::string& at, const char* key) const {
    std::vector<std::string> out;
    if (!j.contains(key)) return out;
    const json& list = field(j, at, key, "a list of texts", &json::is_array);
    for (std::size_t i = 0; i < list.size(); ++i) {
      if (!list[i].is_string()) fail(at + "/" + key + "/" + std::to_string(i), "text");
      out.push_back(list[i].get<std::string>());
    }
    return out;
  }
  const std::string& file() const { return file_; }

 private:
  std::string file_;
};

SerialLine serial_line(const Reader& r, const json& j, const std::string& at) {
  if (!j.is_object()) r.fail(at, R"({"port": text, "baud": number})");
  SerialLine s;
  s.port = r.text(j, at, "port");
  const json& baud = r.field(j, at, "baud", "a baud rate", &json::is_number_unsigned);
  s.baud = baud.get<unsigned>();
  static constexpr std::array<unsigned, 5> kRates{4800, 9600, 19200, 38400, 115200};
  if (std::find(kRates.begin(), kRates.end(), s.baud) == kRates.end()) {
    r.fail(at + "/baud", "one of 4800, 9600, 19200, 38400, 115200");
  }
  return s;
}

std::vector<Window> windows(const Reader& r, const json& j, const std::string& at) {
  std::vector<Window> out;
  const json& list = r.field(j, at, "windows", R"(a list of {"from", "to"})", &json::is_array);
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string w = at + "/windows/" + std::to_string(i);
    if (!list[i].is_object()) r.fail(w, R"({"from": UTC, "to": UTC})");
    Window window;
    window.from_unix_s = generators::parse_utc(r.text(list[i], w, "from"), r.file() + ": " + w);
    window.to_unix_s = generators::parse_utc(r.text(list[i], w, "to"), r.file() + ": " + w);
    if (window.to_unix_s <= window.from_unix_s) r.fail(w + "/to", R"(a time after "from")");
    out.push_back(window);
  }
  std::sort(out.begin(), out.end(),
            [](const Window& a, const Window& b) { return a.from_unix_s < b.from_unix_s; });
  for (std::size_t i = 1; i < out.size(); ++i) {
    if (out[i].from_unix_s < out[i - 1].to_unix_s) {
      r.fail(at + "/windows", "windows that do not overlap");
    }
  }
  return out;
}

Rig rig_of(const Reader& r, const json& j, const std::string& at) {
  if (!j.is_object()) r.fail(at, "a rig object");
  Rig rig;
  rig.id = r.text(j, at, "id");
  rig.lab = r.optional_text(j, at, "lab");
  if (j.contains("device")) {
    const json& d = r.field(j, at, "device", R"({"model", "firmware"})", &json::is_object);
    rig.device_model = r.text(d, at + "/device", "model");
    rig.firmware = r.optional_text(d, at + "/device", "firmware");
  }
  if (j.contains("serial")) {
    const json& list = r.field(j, at, "serial", "a list of serial lines", &json::is_array);
    for (std::size_t i = 0; i < list.size(); ++i) {
      rig.serial.push_back(serial_line(r, list[i], at + "/serial/" + std::to_string(i)));
    }
  }
  if (j.contains("net450")) {
    rig.net450 = r.field(j, at, "net450", "true or false", &json::is_boolean).get<bool>();
  }
  rig.sensors = r.texts(j, at, "sensors");
  rig.windows = windows(r, j, at);
  rig.health_check = r.texts(j, at, "health_check");
  if (rig.health_check.empty()) r.fail(at + "/health_check", "the command that checks the rig");
  if (const std::string adapter = r.optional_text(j, at, "adapter"); !adapter.empty()) {
    rig.adapter = std::filesystem::path(r.file()).parent_path() / adapter;
  }
  return rig;
}

}  // namespace

std::vector<Rig> load_rigs(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) throw ConfigError("cannot read rig inventory " + path.string());
  const Reader r(path.string());
  json doc;
  try {
    doc = json::parse(in);
  } catch (const json::parse_error& e) {
    throw ConfigError(path.string() + ": not JSON at byte " + std::to_string(e.byte));
  }
  if (!doc.is_object() || !doc.contains("schema") || doc["schema"] != "twincert.rigs/1") {
    r.fail("/schema", R"("twincert.rigs/1")");
  }
  const json& list = r.field(doc, "", "rigs", "a list of rigs", &json::is_array);
  std::vector<Rig> rigs;
  for (std::size_t i = 0; i < list.size(); ++i) {
    rigs.push_back(rig_of(r, list[i], "/rigs/" + std::to_string(i)));
    for (std::size_t k = 0; k + 1 < rigs.size(); ++k) {
      if (rigs[k].id == rigs.back().id) {
        r.fail("/rigs/" + std::to_string(i) + "/id", "an id no other rig has");
      }
    }
  }
  if (rigs.empty()) r.fail("/rigs", "at least one rig");
  return rigs;
}

}  // namespace twincert::hil

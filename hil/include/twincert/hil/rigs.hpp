// A lab's rig inventory (twincert.rigs/1, docs/formats/rigs.md): each hardware-in-the-loop rig
// with what it can do (serial lines and their baud rates, an IEC 61162-450 network, the device
// on the bench, the sensors wired to it), when it is free, and the command that checks its
// health before an agent takes work. Plain values, thread-compatible; load_rigs() is thread-safe.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace twincert::hil {

struct SerialLine {
  std::string port;  // "/dev/ttyUSB0"
  unsigned baud = 4800;
};

struct Window {
  std::int64_t from_unix_s = 0;
  std::int64_t to_unix_s = 0;
};

struct Rig {
  std::string id;
  std::string lab;
  std::string device_model;
  std::string firmware;
  std::vector<SerialLine> serial;
  bool net450 = false;
  std::vector<std::string> sensors;
  std::vector<Window> windows;            // sorted, not overlapping
  std::vector<std::string> health_check;  // may hold ${reference_twin}
  // How an agent drives the device on this bench (a twin adapter, docs/formats/adapter.md),
  // resolved beside the inventory; empty: the rig can be planned but no agent can run it.
  std::filesystem::path adapter;
};

// Throws ConfigError naming the file, the JSON path and what was expected
// ("rigs.json: /rigs/1/serial/0/baud: expected one of 4800, 9600, 38400, 115200").
std::vector<Rig> load_rigs(const std::filesystem::path& path);

}  // namespace twincert::hil

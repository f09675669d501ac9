// Lines out of a byte stream a twin sends (NMEA over TCP, JSON lines as gpsd speaks them): the
// bytes of one connection arrive in reads of any size, a line may be split across reads, and an
// untrusted peer may send a line that never ends. A line longer than the cap is dropped whole,
// up to and including its '\n', and counted, never kept in a bigger buffer; a connection lost in
// the middle of a line drops the partial line (reset()). Pure, no I/O. Not thread-safe; one per
// connection.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace twincert::harness {

class LineAssembler {
 public:
  explicit LineAssembler(std::size_t max_line_bytes) : max_line_bytes_(max_line_bytes) {}

  // Calls `on_line(std::string_view)` for each complete line in order, without its '\n' (a
  // '\r' before it is kept: the caller decides what a line ending is).
  template <class OnLine>
  void feed(std::string_view bytes, OnLine&& on_line) {
    while (!bytes.empty()) {
      const auto end = bytes.find('\n');
      const std::string_view piece = bytes.substr(0, end);
      if (skipping_) {
        // The rest of an over-long line: dropped up to its end.
      } else if (pending_.size() + piece.size() > max_line_bytes_) {
        ++overlong_;
        pending_.clear();
        skipping_ = true;
      } else if (end != std::string_view::npos && pending_.empty()) {
        on_line(piece);  // the common case: a whole line inside one read, no copy
      } else {
        pending_.append(piece);
        if (end != std::string_view::npos) {
          on_line(std::string_view(pending_));
          pending_.clear();
        }
      }
      if (end == std::string_view::npos) return;
      skipping_ = false;
      bytes.remove_prefix(end + 1);
    }
  }

  // The connection ended: what was pending is not a line. True when a partial line was dropped.
  bool reset() {
    const bool partial = !pending_.empty() || skipping_;
    pending_.clear();
    skipping_ = false;
    return partial;
  }

  std::size_t overlong() const noexcept { return overlong_; }  // lines dropped for their length
  std::size_t pending_bytes() const noexcept { return pending_.size(); }

 private:
  std::size_t max_line_bytes_;
  std::string pending_;
  bool skipping_ = false;
  std::size_t overlong_ = 0;
};

}  // namespace twincert::harness

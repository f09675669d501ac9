// The text/event-stream format (WHATWG HTML, "server-sent events"), as far as observing needs:
// lines end in LF, CR LF or CR; "data:" lines of an event join with LF; a blank line ends the
// event; "event:", "id:", "retry:" and ":" comments carry nothing to observe. Bytes arrive in
// any pieces. An event (or a line) over `max_bytes` makes feed() return false: the connection
// is then dropped, as the twin's fault. Header-only (no Asio: the fuzz build reads it too);
// not thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace twincert::harness {

class EventStreamParser {
 public:
  explicit EventStreamParser(std::size_t max_bytes) : max_bytes_(max_bytes) {}

  template <class OnEvent>
  bool feed(std::string_view bytes, OnEvent&& on_event) {
    for (const char c : bytes) {
      if (c == '\n' && after_cr_) {  // the LF of a CR LF: the line already ended
        after_cr_ = false;
        continue;
      }
      after_cr_ = c == '\r';
      if (c != '\n' && c != '\r') {
        line_ += c;
        // + 1: the LF that joins this line to the data before it.
        if (line_.size() + data_.size() + 1 > max_bytes_) return false;
        continue;
      }
      end_line(on_event);
    }
    return true;
  }

 private:
  template <class OnEvent>
  void end_line(OnEvent& on_event) {
    std::string_view line(line_);
    if (line.empty()) {
      if (has_data_) on_event(std::string_view(data_));
      data_.clear();
      has_data_ = false;
    } else if (line.starts_with("data:")) {
      line.remove_prefix(5);
      if (line.starts_with(' ')) line.remove_prefix(1);
      if (has_data_) data_ += '\n';
      data_ += line;
      has_data_ = true;
    }
    line_.clear();
  }

  std::size_t max_bytes_;
  std::string line_;
  std::string data_;
  bool has_data_ = false;
  bool after_cr_ = false;
};

}  // namespace twincert::harness

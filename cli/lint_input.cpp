#include "lint_input.hpp"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <limits>
#include <memory>
#include <optional>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace twincert::cli {

namespace {

using nmea0183::CaptureLinter;
using nmea0183::LintFinding;

constexpr std::uint64_t kToTheEnd = std::numeric_limits<std::uint64_t>::max();

std::uint64_t newlines(const char* data, std::size_t size) {
  std::uint64_t n = 0;
  const char* const end = data + size;
  const char* p = data;
  while (p < end) {
    p = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)));
    if (p == nullptr) break;
    ++n;
    ++p;
  }
  return n;
}

// An open capture, closed with its owner.
class CaptureFile {
 public:
  CaptureFile() = default;
  CaptureFile(const CaptureFile&) = delete;
  CaptureFile& operator=(const CaptureFile&) = delete;
  ~CaptureFile() {
    if (fd_ > STDIN_FILENO) ::close(fd_);
  }

  // "-" is standard input. False with `error` set when the file cannot be opened.
  bool open(const std::string& path, std::string& error) {
    fd_ = path == "-" ? STDIN_FILENO : ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) {
      error = std::error_code(errno, std::generic_category()).message();
      return false;
    }
    struct stat st {};
    seekable_ = ::fstat(fd_, &st) == 0 && S_ISREG(st.st_mode);
    size_ = seekable_ ? static_cast<std::uint64_t>(st.st_size) : 0;
    return true;
  }

  int fd() const noexcept { return fd_; }
  bool seekable() const noexcept { return seekable_; }
  std::uint64_t size() const noexcept { return size_; }

  // Reads `want` bytes into `into` (fewer only at the end of the input): pipes and terminals
  // give short reads. At `from` with pread (a regular file), else from where reading stands.
  bool read(char* into, std::size_t want, std::optional<std::uint64_t> from, std::size_t& size,
            std::string& error) const {
    size = 0;
    while (size < want) {
      const ssize_t n =
          from ? ::pread(fd_, into + size, want - size, static_cast<off_t>(*from + size))
               : ::read(fd_, into + size, want - size);
      if (n == 0) break;
      if (n < 0) {
        if (errno == EINTR) continue;
        error = std::error_code(errno, std::generic_category()).message();
        return false;
      }
      size += static_cast<std::size_t>(n);
    }
    return true;
  }

 private:
  int fd_ = -1;
  bool seekable_ = false;
  std::uint64_t size_ = 0;
};

// A stretch of a capture read in fixed chunks that still answers the line of any offset a
// finding names: counted in the two chunks held, else (a garbage run reported long after it
// began, or a chunk given back) read again from the file when it is one. Offsets are relative
// to the stretch's beginning.
class ChunkedInput {
 public:
  static constexpr std::size_t kChunk = std::size_t{1} << 20;

  ChunkedInput(const CaptureFile& file, std::uint64_t begin, std::uint64_t end)
      : file_(file), begin_(begin), end_(end) {}

  // Lets the stretch go on to `end` (a file offset) after it has been read to its old end.
  void extend(std::uint64_t end) { end_ = end; }

  // The next chunk, empty at the end of the stretch; false on a read error.
  bool next(std::string_view& chunk, std::string& error) {
    if (current_size_ > 0) {  // the chunk read last is done: the next one starts after it
      const std::size_t done = current_size_;
      close_chunk();
      std::swap(current_, previous_);
      previous_size_ = done;
    }
    // A regular file is read at the stretch's own offsets, up to its end; a pipe as it comes.
    std::size_t want = kChunk;
    std::optional<std::uint64_t> from;
    if (file_.seekable()) {
      from = begin_ + marks_.back().begin;
      want = *from >= end_
                 ? 0
                 : static_cast<std::size_t>(std::min<std::uint64_t>(kChunk, end_ - *from));
    }
    current_.resize(kChunk);
    if (!file_.read(current_.data(), want, from, current_size_, error)) return false;
    chunk = std::string_view(current_.data(), current_size_);
    return true;
  }

  // Gives the buffers back between reads (a finished segment waiting for the join).
  void release() {
    close_chunk();
    // Swapped with empty vectors: `= {}` would keep the capacity.
    std::vector<char>().swap(current_);
    std::vector<char>().swap(previous_);
    previous_size_ = 0;
  }

  // Newlines in everything read so far.
  std::uint64_t newlines_read() const {
    return marks_.back().lines_before + newlines(current_.data(), current_size_);
  }

  // 1-based line within the stretch of an offset; 0 when it can no longer be known (an old
  // offset of a pipe).
  std::uint64_t line_of(std::uint64_t offset) const {
    const auto after = std::upper_bound(marks_.begin(), marks_.end(), offset,
                                        [](std::uint64_t o, const Mark& m) { return o < m.begin; });
    const auto k =
        static_cast<std::size_t>(std::max<std::ptrdiff_t>(0, after - marks_.begin() - 1));
    const Mark& mark = marks_[k];
    const std::uint64_t within = offset - mark.begin;
    if (k + 1 == marks_.size()) {
      return mark.lines_before +
             newlines(current_.data(),
                      static_cast<std::size_t>(std::min<std::uint64_t>(within, current_size_))) +
             1;
    }
    if (k + 2 == marks_.size() && previous_size_ > 0) {
      return mark.lines_before + newlines(previous_.data(), static_cast<std::size_t>(within)) + 1;
    }
    if (!file_.seekable()) return 0;
    std::vector<char> again(static_cast<std::size_t>(within));
    std::size_t got = 0;
    std::string ignored;
    if (!file_.read(again.data(), again.size(), begin_ + mark.begin, got, ignored) ||
        got < again.size()) {
      return 0;
    }
    return mark.lines_before + newlines(again.data(), again.size()) + 1;
  }

 private:
  struct Mark {
    std::uint64_t begin = 0;         // offset of a chunk within the stretch
    std::uint64_t lines_before = 0;  // newlines before it
  };

  // Ends the chunk in current_: the next read starts a new one after it.
  void close_chunk() {
    if (current_size_ == 0) return;
    const Mark done = marks_.back();
    marks_.push_back(
        {done.begin + current_size_, done.lines_before + newlines(current_.data(), current_size_)});
    current_size_ = 0;
  }

  const CaptureFile& file_;
  std::uint64_t begin_;
  std::uint64_t end_;
  std::vector<char> current_;
  std::vector<char> previous_;
  std::size_t current_size_ = 0;
  std::size_t previous_size_ = 0;
  std::vector<Mark> marks_{Mark{}};  // one per chunk, the last one's data in current_
};

// One stretch of the capture with its own linter and the findings it kept.
class Segment {
 public:
  // With `print`, findings go there as they are found instead of being kept.
  Segment(const CaptureFile& file, std::uint64_t begin, std::uint64_t end,
          const LintInputOptions& options,
          const std::function<std::string(const LintFinding&)>& describe,
          const std::function<void(const PrintableFinding&)>* print)
      : begin_(begin),
        input_(file, begin, end),
        options_(options),
        describe_(describe),
        print_(print),
        linter_(options.mode, [this](const LintFinding& f) { keep(f); }) {}
  Segment(const Segment&) = delete;
  Segment& operator=(const Segment&) = delete;
  ~Segment() = default;

  // Lints to the end of the stretch; the linter stays open for more.
  void run() {
    std::string_view chunk;
    while (input_.next(chunk, error_) && !chunk.empty()) linter_.feed(chunk);
  }
  void release() { input_.release(); }
  void extend(std::uint64_t end) { input_.extend(end); }
  bool holds_fragments() const noexcept { return linter_.held_fragments() > 0; }
  void finish() { linter_.finish(); }

  const nmea0183::LintStats& stats() const noexcept { return linter_.stats(); }
  std::vector<PrintableFinding>& findings() noexcept { return findings_; }
  std::uint64_t kept_findings() const noexcept { return kept_; }
  std::uint64_t more_findings() const noexcept { return more_; }
  const std::string& error() const noexcept { return error_; }
  std::uint64_t newlines_read() const { return input_.newlines_read(); }

 private:
  void keep(const LintFinding& f) {
    if (f.warning && !options_.keep_warnings) return;
    if (kept_ >= options_.keep_findings) {
      ++more_;
      return;
    }
    ++kept_;
    // The linter counts offsets from the segment's beginning; the reader wants the file's.
    LintFinding in_file = f;
    in_file.frame_offset += begin_;
    if (f.dropped_bytes > 0) in_file.error.offset += static_cast<decltype(f.error.offset)>(begin_);
    PrintableFinding printable{input_.line_of(f.frame_offset), describe_(in_file)};
    if (print_ != nullptr) {
      (*print_)(printable);
    } else {
      findings_.push_back(std::move(printable));
    }
  }

  std::uint64_t begin_;
  ChunkedInput input_;
  const LintInputOptions& options_;
  const std::function<std::string(const LintFinding&)>& describe_;
  const std::function<void(const PrintableFinding&)>* print_;
  CaptureLinter linter_;
  std::vector<PrintableFinding> findings_;
  std::uint64_t kept_ = 0;
  std::uint64_t more_ = 0;
  std::string error_;
};

bool starts_a_sentence(char c) {
  return c == '$' || c == '!';
}

// Where segments begin: near every multiple of the segment size, the first line start that
// holds a sentence start. Fewer (or none) where the file has no such line there.
std::vector<std::uint64_t> segment_starts(const CaptureFile& file, std::uint64_t count) {
  std::vector<std::uint64_t> starts{0};
  std::vector<char> window(std::size_t{64} << 10);
  for (std::uint64_t k = 1; k < count; ++k) {
    std::uint64_t at = std::max(file.size() / count * k, starts.back() + 1);
    std::optional<std::uint64_t> found;
    while (!found && at < file.size()) {
      // One byte before `at` too, to see whether `at` begins a line.
      std::size_t got = 0;
      std::string ignored;
      if (!file.read(window.data(), window.size(), at - 1, got, ignored) || got < 2) break;
      for (std::size_t i = 1; i < got; ++i) {
        if (window[i - 1] == '\n' && starts_a_sentence(window[i])) {
          found = at - 1 + i;
          break;
        }
      }
      at += got - 1;
    }
    if (!found) break;
    starts.push_back(*found);
  }
  return starts;
}

}  // namespace

LintedCapture lint_capture(const std::string& path, const LintInputOptions& options,
                           const std::function<std::string(const LintFinding&)>& describe,
                           const std::function<void(const PrintableFinding&)>& print) {
  LintedCapture out;
  CaptureFile file;
  if (!file.open(path, out.read_error)) return out;
  out.opened = true;

  std::uint64_t count = 1;
  if (file.seekable() && options.jobs > 1 && options.segment_bytes > 0) {
    count = std::clamp<std::uint64_t>(file.size() / options.segment_bytes, 1, 1U << 16);
  }
  const std::vector<std::uint64_t> starts =
      count > 1 ? segment_starts(file, count) : std::vector<std::uint64_t>{0};
  std::vector<std::unique_ptr<Segment>> segments;
  for (std::size_t i = 0; i < starts.size(); ++i) {
    const std::uint64_t end = i + 1 < starts.size() ? starts[i + 1] : kToTheEnd;
    segments.push_back(std::make_unique<Segment>(file, starts[i], end, options, describe,
                                                 starts.size() == 1 ? &print : nullptr));
  }

  if (segments.size() == 1) {
    segments.front()->run();
  } else {
    // Workers take segments in file order; each gives its buffers back when done, so memory
    // grows with the threads, not with the file.
    std::atomic<std::size_t> next{0};
    const auto work = [&] {
      for (std::size_t i = next++; i < segments.size(); i = next++) {
        segments[i]->run();
        segments[i]->release();
      }
    };
    const unsigned threads =
        std::min<unsigned>(options.jobs, static_cast<unsigned>(segments.size()));
    std::vector<std::jthread> pool;
    for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work);
    work();
  }

  // The join: a segment that ends holding AIS fragments goes on over the next ones (whose own
  // results are dropped) until it holds none, exactly as one pass would have read them.
  std::uint64_t lines_before = 0;
  for (std::size_t i = 0; i < segments.size();) {
    Segment& s = *segments[i];
    std::size_t j = i + 1;
    while (j < segments.size() && s.holds_fragments() && s.error().empty()) {
      s.extend(j + 1 < starts.size() ? starts[j + 1] : kToTheEnd);
      s.run();
      ++j;
    }
    s.finish();
    out.stats.merge(s.stats());
    for (PrintableFinding& f : s.findings()) {
      if (out.printed_findings >= options.keep_findings) {
        ++out.more_findings;
        continue;
      }
      if (f.line > 0) f.line += lines_before;
      print(f);
      ++out.printed_findings;
    }
    if (segments.size() == 1) out.printed_findings = s.kept_findings();
    out.more_findings += s.more_findings();
    if (out.read_error.empty()) out.read_error = s.error();
    lines_before += s.newlines_read();
    for (; i < j; ++i) segments[i].reset();  // joined: memory stays flat whatever the file
  }
  return out;
}

}  // namespace twincert::cli

#include "twincert/protocols/nmea0183/framer.hpp"

#include <algorithm>
#include <bit>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace twincert::nmea0183 {

namespace {

enum class ByteClass : std::uint8_t { kOrdinary, kStart, kBackslash, kStar, kCr, kLf, kBad };

constexpr std::array<ByteClass, 256> make_classes() {
  std::array<ByteClass, 256> table{};
  for (std::size_t b = 0; b < table.size(); ++b) {
    table[b] = (b >= 0x20 && b <= 0x7E) ? ByteClass::kOrdinary : ByteClass::kBad;
  }
  table['$'] = ByteClass::kStart;
  table['!'] = ByteClass::kStart;
  table['\\'] = ByteClass::kBackslash;
  table['*'] = ByteClass::kStar;
  table['\r'] = ByteClass::kCr;
  table['\n'] = ByteClass::kLf;
  return table;
}

constexpr std::array<ByteClass, 256> kClasses = make_classes();

inline ByteClass class_of(char c) noexcept {
  return kClasses[static_cast<unsigned char>(c)];
}

// Index of the first byte in [i, stop) that is not ByteClass::kOrdinary, or stop. Sentences are
// mostly ordinary bytes, so the vector path skips 16 at a time.
inline std::size_t skip_ordinary(const char* data, std::size_t i, std::size_t stop) noexcept {
#if defined(__SSE2__)
  const __m128i low = _mm_set1_epi8(0x20);
  const __m128i del = _mm_set1_epi8(0x7F);
  const __m128i dollar = _mm_set1_epi8('$');
  const __m128i bang = _mm_set1_epi8('!');
  const __m128i backslash = _mm_set1_epi8('\\');
  const __m128i star = _mm_set1_epi8('*');
  while (i + 16 <= stop) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(data + i));
    // Signed compare: bytes >= 0x80 are negative, so this catches them with the controls.
    __m128i special = _mm_or_si128(_mm_cmplt_epi8(v, low), _mm_cmpeq_epi8(v, del));
    special =
        _mm_or_si128(special, _mm_or_si128(_mm_cmpeq_epi8(v, dollar), _mm_cmpeq_epi8(v, bang)));
    special =
        _mm_or_si128(special, _mm_or_si128(_mm_cmpeq_epi8(v, backslash), _mm_cmpeq_epi8(v, star)));
    const auto mask = static_cast<unsigned>(_mm_movemask_epi8(special));
    if (mask != 0) return i + static_cast<std::size_t>(std::countr_zero(mask));
    i += 16;
  }
#endif
  while (i < stop && class_of(data[i]) == ByteClass::kOrdinary) ++i;
  return i;
}

// Index of the first byte in [i, stop) that can end a run of garbage (a sentence or tag-block
// start, CR or LF), or stop. Receiver logs hold long binary stretches between sentences; they
// are dropped without looking at each byte on its own.
inline std::size_t skip_garbage(const char* data, std::size_t i, std::size_t stop) noexcept {
#if defined(__SSE2__)
  const __m128i dollar = _mm_set1_epi8('$');
  const __m128i bang = _mm_set1_epi8('!');
  const __m128i backslash = _mm_set1_epi8('\\');
  const __m128i cr = _mm_set1_epi8('\r');
  const __m128i lf = _mm_set1_epi8('\n');
  while (i + 16 <= stop) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(data + i));
    __m128i ends = _mm_or_si128(_mm_cmpeq_epi8(v, dollar), _mm_cmpeq_epi8(v, bang));
    ends = _mm_or_si128(ends, _mm_cmpeq_epi8(v, backslash));
    ends = _mm_or_si128(ends, _mm_or_si128(_mm_cmpeq_epi8(v, cr), _mm_cmpeq_epi8(v, lf)));
    const auto mask = static_cast<unsigned>(_mm_movemask_epi8(ends));
    if (mask != 0) return i + static_cast<std::size_t>(std::countr_zero(mask));
    i += 16;
  }
#endif
  while (i < stop) {
    const ByteClass k = class_of(data[i]);
    if (k == ByteClass::kStart || k == ByteClass::kBackslash || k == ByteClass::kCr ||
        k == ByteClass::kLf) {
      break;
    }
    ++i;
  }
  return i;
}

}  // namespace

void Framer::drop(std::size_t byte_count, ErrorCode code, std::uint64_t offset) noexcept {
  if (byte_count == 0) return;
  ++stats_.drops;
  stats_.dropped_bytes += byte_count;
  if (sink_ != nullptr) sink_->on_dropped(byte_count, make_error(code, offset));
}

void Framer::flush_garbage() noexcept {
  drop(garbage_, ErrorCode::kGarbage, garbage_begin_);
  garbage_ = 0;
}

bool Framer::append(const char* data, std::size_t size) noexcept {
  if (buffered_ + size > buffer_.size()) return false;
  std::memcpy(buffer_.data() + buffered_, data, size);
  buffered_ += size;
  return true;
}

void Framer::begin_frame(std::uint64_t offset) noexcept {
  frame_offset_ = offset;
  buffered_ = 0;
  star_seen_ = false;
  after_star_ = 0;
  at_line_start_ = false;
}

FeedResult Framer::complete(const char* chunk, std::size_t segment_begin, std::size_t end,
                            std::size_t consumed, Terminator terminator) noexcept {
  if (buffered_ == 0) {
    frame_ = std::string_view(chunk + segment_begin, end - segment_begin);
  } else {
    append(chunk + segment_begin, end - segment_begin);  // fits: length checked while scanning
    frame_ = std::string_view(buffer_.data(), buffered_);
  }
  frame_length_ = frame_.size();
  terminator_ = terminator;
  state_ = State::kIdle;
  at_line_start_ = terminator != Terminator::kNextStart;
  ++stats_.frames;
  position_ += consumed;
  return {consumed, FrameStatus::kComplete};
}

// One flat state machine on purpose: the chunk/segment bookkeeping (what is in the caller's
// chunk, what is buffered) stays in one place, which is what keeps frames identical whatever
// the chunking (a property test and a differential fuzzer check it).
// NOLINTNEXTLINE(readability-function-cognitive-complexity)
FeedResult Framer::feed(std::string_view chunk) noexcept {
  const char* const data = chunk.data();
  const std::size_t n = chunk.size();
  std::size_t i = 0;
  std::size_t segment = 0;  // where the current frame's unbuffered bytes start in this chunk
  // Length of the current frame if it ended before byte i.
  const auto frame_length = [&]() noexcept { return buffered_ + (i - segment); };
  // Drops the current frame (and the bytes scanned of it in this chunk) and returns to idle
  // without consuming byte i, which idle then treats as a resync point or garbage.
  const auto abandon = [&](ErrorCode code) noexcept {
    drop(frame_length(), code, frame_offset_);
    buffered_ = 0;
    state_ = State::kIdle;
  };
  // Switches to discarding when the frame would grow past kMaxFrameLength.
  const auto overflow = [&]() noexcept {
    frame_length_ = frame_length();
    buffered_ = 0;
    state_ = State::kDiscard;
  };

  if (state_ == State::kAfterCr && n > 0) {
    if (data[0] == '\n') return complete(data, 0, 0, 1, Terminator::kCrLf);
    return complete(data, 0, 0, 0, Terminator::kCr);
  }

  while (i < n) {
    switch (state_) {
      case State::kIdle: {
        const char c = data[i];
        switch (class_of(c)) {
          case ByteClass::kStart:
          case ByteClass::kBackslash:
            flush_garbage();
            begin_frame(position_ + i);
            segment = i;
            state_ = c == '\\' ? State::kTag : State::kSentence;
            ++i;
            break;
          case ByteClass::kCr:
          case ByteClass::kLf:
            if (garbage_ > 0) ++garbage_;
            if (c == '\n') at_line_start_ = true;
            ++i;
            break;
          default:
            if (at_line_start_ && c == comment_) {
              flush_garbage();
              ++stats_.comment_lines;
              state_ = State::kComment;
              ++i;
            } else {
              if (garbage_ == 0) garbage_begin_ = position_ + i;
              const std::size_t end = skip_garbage(data, i + 1, n);
              garbage_ += end - i;
              at_line_start_ = false;
              i = end;
            }
        }
        break;
      }

      case State::kComment: {
        const void* lf = std::memchr(data + i, '\n', n - i);
        if (lf == nullptr) {
          i = n;
        } else {
          i = static_cast<std::size_t>(static_cast<const char*>(lf) - data) + 1;
          state_ = State::kIdle;
          at_line_start_ = true;
        }
        break;
      }

      case State::kDiscard: {
        const ByteClass k = class_of(data[i]);
        if (k == ByteClass::kLf || k == ByteClass::kStart || k == ByteClass::kBackslash) {
          drop(frame_length_, ErrorCode::kTooLong, frame_offset_);
          state_ = State::kIdle;
          if (k == ByteClass::kLf) {
            at_line_start_ = true;
            ++i;
          }
        } else {
          ++frame_length_;
          ++i;
        }
        break;
      }

      case State::kTag: {
        const std::size_t stop = i + std::min(n - i, kMaxFrameLength - frame_length());
        while (i < stop && (class_of(data[i]) == ByteClass::kOrdinary || data[i] == '*')) ++i;
        if (i == n) break;
        const ByteClass k = class_of(data[i]);
        if (k == ByteClass::kOrdinary || k == ByteClass::kStar) {
          overflow();
        } else if (k == ByteClass::kBackslash) {
          if (frame_length() == kMaxFrameLength) {
            overflow();
          } else {
            ++i;
            state_ = State::kTagClosed;
          }
        } else if (k == ByteClass::kStart) {
          abandon(ErrorCode::kTruncated);
        } else if (k == ByteClass::kBad) {
          abandon(ErrorCode::kIllegalCharacter);
        } else {
          abandon(ErrorCode::kBadTagBlock);  // line ended inside the tag block
        }
        break;
      }

      case State::kTagClosed: {
        if (class_of(data[i]) != ByteClass::kStart) {
          abandon(ErrorCode::kBadTagBlock);  // a tag block must be followed by a sentence
        } else if (frame_length() == kMaxFrameLength) {
          overflow();
        } else {
          ++i;
          state_ = State::kSentence;
        }
        break;
      }

      case State::kSentence: {
        const std::size_t begin = i;
        const std::size_t stop = i + std::min(n - i, kMaxFrameLength - frame_length());
        i = skip_ordinary(data, i, stop);
        if (star_seen_) {
          after_star_ =
              static_cast<std::uint8_t>(std::min<std::size_t>(2, after_star_ + (i - begin)));
        }
        if (i == n) break;
        switch (class_of(data[i])) {
          case ByteClass::kOrdinary:
            overflow();
            break;
          case ByteClass::kStar:
            if (frame_length() == kMaxFrameLength) {
              overflow();
            } else {
              star_seen_ = true;
              after_star_ = 0;
              ++i;
            }
            break;
          case ByteClass::kLf:
            return complete(data, segment, i, i + 1, Terminator::kLf);
          case ByteClass::kCr:
            if (i + 1 < n) {
              if (data[i + 1] == '\n') return complete(data, segment, i, i + 2, Terminator::kCrLf);
              return complete(data, segment, i, i + 1, Terminator::kCr);
            }
            append(data + segment, i - segment);
            state_ = State::kAfterCr;
            position_ += n;
            return {n, FrameStatus::kNeedMore};
          case ByteClass::kStart:
          case ByteClass::kBackslash:
            // "*hh" then a new sentence on the same line: two sentences, not a truncation.
            if (star_seen_ && after_star_ >= 2) {
              return complete(data, segment, i, i, Terminator::kNextStart);
            }
            abandon(ErrorCode::kTruncated);
            break;
          case ByteClass::kBad:
            // A complete "*hh" sentence directly followed by binary data (mixed-protocol
            // receivers do this) is kept; the bytes after it are garbage.
            if (star_seen_ && after_star_ >= 2) {
              return complete(data, segment, i, i, Terminator::kUnterminated);
            }
            abandon(ErrorCode::kIllegalCharacter);
            break;
        }
        break;
      }

      case State::kAfterCr:
        break;  // handled before the loop
    }
  }

  // End of chunk inside a frame: keep its bytes for the next chunk.
  if (state_ == State::kTag || state_ == State::kTagClosed || state_ == State::kSentence) {
    append(data + segment, n - segment);
  }
  position_ += n;
  return {n, FrameStatus::kNeedMore};
}

bool Framer::finish() noexcept {
  bool have_frame = false;
  switch (state_) {
    case State::kSentence:
    case State::kAfterCr:
      frame_ = std::string_view(buffer_.data(), buffered_);
      terminator_ = state_ == State::kAfterCr ? Terminator::kCr : Terminator::kEndOfInput;
      ++stats_.frames;
      have_frame = true;
      break;
    case State::kTag:
    case State::kTagClosed:
      drop(buffered_, ErrorCode::kTruncated, frame_offset_);
      break;
    case State::kDiscard:
      drop(frame_length_, ErrorCode::kTooLong, frame_offset_);
      break;
    case State::kIdle:
    case State::kComment:
      break;
  }
  flush_garbage();
  state_ = State::kIdle;
  at_line_start_ = true;
  buffered_ = have_frame ? buffered_ : 0;
  return have_frame;
}

}  // namespace twincert::nmea0183

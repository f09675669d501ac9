#include "sinks.hpp"

#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <system_error>

#include "twincert/base/config_error.hpp"
#include "twincert/protocols/iec61162_450/transmission_groups.hpp"

#include "asio.hpp"
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <termios.h>
#include <unistd.h>

namespace twincert::harness {

namespace {

using asio::ip::tcp;
using asio::ip::udp;

asio::ip::address address_of(const Target& t, const std::string& host) {
  boost::system::error_code ec;
  auto a = asio::ip::make_address(host == "localhost" ? "127.0.0.1" : host, ec);
  if (ec) throw ConfigError("target " + t.text + ": \"" + host + "\" is not an IP address");
  return a;
}

class UdpSink final : public Sink {
 public:
  UdpSink(const Target& t, const ReplayOptions& options) : socket_(io_) {
    // At top speed datagrams leave 64 to a system call (sendmmsg), unless the receiver's count
    // paces the replay: then every datagram must be on its way.
    batch_ = options.pacing.mode == PacingMode::kMax && !options.flow;
    if (!t.standard_groups()) to_ = udp::endpoint(address_of(t, t.host), t.port);
    socket_.open(udp::v4());
    if (t.kind == TargetKind::kMulticast) {
      socket_.set_option(asio::ip::multicast::hops(t.ttl));
      socket_.set_option(
          asio::ip::multicast::outbound_interface(address_of(t, t.interface_address).to_v4()));
      socket_.set_option(asio::ip::multicast::enable_loopback(true));
    }
    socket_.set_option(udp::socket::send_buffer_size(4 * 1024 * 1024));
    standard_ = t.standard_groups();
    if (standard_) {
      for (const auto& g : iec61162_450::kTransmissionGroups) {
        groups_[static_cast<std::size_t>(g.group) - 1] =
            udp::endpoint(asio::ip::make_address(std::string(g.address)), g.port);
      }
    }
  }
  bool send(std::string_view bytes, const Frame& frame) override {
    udp::endpoint to = to_;
    if (standard_) {
      const std::string_view s = sentence_of(frame.line);
      const auto group = iec61162_450::default_group_for_talker(s.size() >= 3 ? s.substr(1, 2)
                                                                              : std::string_view{});
      to =
          groups_[static_cast<std::size_t>(group.value_or(iec61162_450::TransmissionGroup::kMisc)) -
                  1];
    }
    if (batch_) {
      pending_.emplace_back(std::string(bytes), to);
      return pending_.size() < kBatch || finish();
    }
    boost::system::error_code ec;
    for (int attempt = 0; attempt < 100; ++attempt) {
      socket_.send_to(asio::buffer(bytes.data(), bytes.size()), to, 0, ec);
      if (ec != asio::error::no_buffer_space && ec != asio::error::would_block) break;
      std::this_thread::sleep_for(std::chrono::microseconds(50));  // the kernel's queue is full
    }
    return !ec;
  }

  bool finish() override {
    std::array<mmsghdr, kBatch> messages{};
    std::array<iovec, kBatch> parts{};
    for (std::size_t i = 0; i < pending_.size(); ++i) {
      auto& [bytes, to] = pending_[i];
      parts[i] = {bytes.data(), bytes.size()};
      messages[i].msg_hdr.msg_iov = &parts[i];
      messages[i].msg_hdr.msg_iovlen = 1;
      messages[i].msg_hdr.msg_name = to.data();
      messages[i].msg_hdr.msg_namelen = static_cast<socklen_t>(to.size());
    }
    std::size_t sent = 0;
    bool ok = true;
    for (int attempt = 0; sent < pending_.size() && attempt < 100; ++attempt) {
      const int n = ::sendmmsg(socket_.native_handle(), &messages[sent],
                               static_cast<unsigned>(pending_.size() - sent), 0);
      if (n > 0) {
        sent += static_cast<std::size_t>(n);
        attempt = 0;
      } else if (errno == ENOBUFS || errno == EAGAIN || errno == EINTR) {
        std::this_thread::sleep_for(std::chrono::microseconds(50));  // the kernel's queue is full
      } else {
        ok = false;
        break;
      }
    }
    ok = ok && sent == pending_.size();
    pending_.clear();
    return ok;
  }

 private:
  static constexpr std::size_t kBatch = 64;

  bool batch_ = false;
  std::vector<std::pair<std::string, udp::endpoint>> pending_;
  asio::io_context io_;
  udp::socket socket_;
  udp::endpoint to_;
  bool standard_ = false;
  std::array<udp::endpoint, 16> groups_{};
};

class StreamSink final : public Sink {
 public:
  StreamSink(const Target& t, const ReplayOptions& options) : socket_(io_) {
    const tcp::endpoint at(address_of(t, t.host), t.port);
    boost::system::error_code ec;
    if (t.kind == TargetKind::kTcp) {
      const auto until = std::chrono::steady_clock::now() + options.connect_timeout;
      do {  // the twin may still be starting: retry until the timeout
        socket_ = tcp::socket(io_);
        socket_.connect(at, ec);
        if (!ec) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      } while (std::chrono::steady_clock::now() < until);
      if (ec) throw ConfigError("target " + t.text + ": cannot connect (" + ec.message() + ")");
    } else {
      tcp::acceptor acceptor(io_);
      acceptor.open(at.protocol());
      acceptor.set_option(tcp::acceptor::reuse_address(true));
      acceptor.bind(at, ec);
      if (ec) throw ConfigError("target " + t.text + ": cannot listen (" + ec.message() + ")");
      acceptor.listen();
      acceptor.non_blocking(true);
      const auto until = std::chrono::steady_clock::now() + options.connect_timeout;
      for (;;) {
        acceptor.accept(socket_, ec);
        if (!ec) break;
        if (ec != asio::error::would_block || std::chrono::steady_clock::now() > until) {
          throw ConfigError("target " + t.text + ": no connection within " +
                            std::to_string(options.connect_timeout.count()) + " ms");
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      }
    }
    // Fails (EINVAL) on a connection the twin has already reset: the first write reports that.
    socket_.set_option(tcp::no_delay(true), ec);
    // At top speed lines go out in 64 KiB writes, not one system call each (unless the
    // receiver's count paces the replay: then every line must be on its way).
    batch_ = options.pacing.mode == PacingMode::kMax && !options.flow;
  }
  bool send(std::string_view bytes, const Frame& /*frame*/) override {
    if (!batch_) return write(bytes);
    pending_ += bytes;
    if (pending_.size() < kBatchBytes) return true;
    return finish();
  }
  bool finish() override {
    const bool ok = pending_.empty() || write(pending_);
    pending_.clear();
    return ok;
  }

 private:
  static constexpr std::size_t kBatchBytes = std::size_t{64} * 1024;

  bool write(std::string_view bytes) {
    boost::system::error_code ec;
    asio::write(socket_, asio::buffer(bytes.data(), bytes.size()), ec);
    return !ec;
  }

  asio::io_context io_;
  tcp::socket socket_;
  bool batch_ = false;
  std::string pending_;
};

class PtySink final : public Sink {
 public:
  PtySink(const Target& t, const ReplayOptions& options) : link_(t.path), baud_(t.baud) {
    master_ = posix_openpt(O_RDWR | O_NOCTTY);
    if (master_ < 0 || grantpt(master_) != 0 || unlockpt(master_) != 0) {
      throw ConfigError("target " + t.text + ": cannot create a pseudo-terminal (" +
                        std::error_code(errno, std::generic_category()).message() + ")");
    }
    termios tio{};
    if (tcgetattr(master_, &tio) == 0) {
      cfmakeraw(&tio);
      tcsetattr(master_, TCSANOW, &tio);
    }
    std::array<char, 128> name{};
    if (ptsname_r(master_, name.data(), name.size()) != 0) {
      throw ConfigError("target " + t.text + ": cannot name the pseudo-terminal");
    }
    const std::string slave(name.data());
    // Our own handle on the slave side, only to see how much the reader has left unread.
    probe_ = ::open(slave.c_str(), O_RDONLY | O_NOCTTY | O_NONBLOCK);
    std::error_code ec;
    std::filesystem::remove(link_, ec);
    std::filesystem::create_symlink(slave, link_, ec);
    if (ec) {
      throw ConfigError("target " + t.text + ": cannot link " + link_ + " to " + slave + " (" +
                        ec.message() + ")");
    }
    if (options.on_pty_ready) options.on_pty_ready(link_);
  }
  ~PtySink() override {
    // Closing the master discards what the reader has not taken yet: give it up to 2 s.
    // The kernel moves written bytes to the slave side a little later, so an empty queue must
    // be seen twice, 20 ms apart.
    int empty_seen = 0;
    for (int i = 0; i < 100 && probe_ >= 0 && empty_seen < 2; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      int pending = 0;
      if (::ioctl(probe_, FIONREAD, &pending) != 0) break;
      empty_seen = pending == 0 ? empty_seen + 1 : 0;
    }
    if (probe_ >= 0) ::close(probe_);
    std::error_code ec;
    std::filesystem::remove(link_, ec);
    if (master_ >= 0) ::close(master_);
  }
  PtySink(const PtySink&) = delete;
  PtySink& operator=(const PtySink&) = delete;
  bool send(std::string_view bytes, const Frame& /*frame*/) override {
    while (!bytes.empty()) {
      const auto n = ::write(master_, bytes.data(), bytes.size());
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return false;
      bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
  }
  double wire_time_s(std::size_t bytes) const override {
    return static_cast<double>(bytes) * 10.0 / static_cast<double>(baud_);  // start + 8 data + stop
  }

 private:
  std::string link_;
  unsigned baud_;
  int master_ = -1;
  int probe_ = -1;
};

class FileSink final : public Sink {
 public:
  explicit FileSink(const Target& t) {
    if (t.kind == TargetKind::kFile) {
      file_.open(t.path, std::ios::binary | std::ios::trunc);
      if (!file_) throw ConfigError("target " + t.text + ": cannot write " + t.path);
    }
    out_ = t.kind == TargetKind::kFile ? &file_ : &std::cout;
  }
  bool send(std::string_view bytes, const Frame& /*frame*/) override {
    out_->write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    return static_cast<bool>(*out_);
  }
  ~FileSink() override { out_->flush(); }
  FileSink(const FileSink&) = delete;
  FileSink& operator=(const FileSink&) = delete;

 private:
  std::ofstream file_;
  std::ostream* out_;
};

}  // namespace

std::unique_ptr<Sink> open_sink(const Target& target, const ReplayOptions& options) {
  try {
    switch (target.kind) {
      case TargetKind::kUdp:
      case TargetKind::kMulticast:
        return std::make_unique<UdpSink>(target, options);
      case TargetKind::kTcp:
      case TargetKind::kTcpListen:
        return std::make_unique<StreamSink>(target, options);
      case TargetKind::kPty:
        return std::make_unique<PtySink>(target, options);
      case TargetKind::kFile:
      case TargetKind::kStdout:
        return std::make_unique<FileSink>(target);
    }
  } catch (const boost::system::system_error& e) {
    throw ConfigError("target " + target.text + ": " + e.code().message());
  }
  throw ConfigError("target " + target.text + ": unsupported");
}

}  // namespace twincert::harness

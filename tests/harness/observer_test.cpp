// The observer's own listeners on loopback: a port someone else holds is an error the caller
// can handle (not a crash), and a socket the harness kept bound for it is used as is.
#include "twincert/harness/observer.hpp"

#include <chrono>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "twincert/generators/config_error.hpp"

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace twincert::harness {
namespace {

// A UDP socket bound to 127.0.0.1 on a port the kernel chose.
struct BoundUdp {
  BoundUdp() {
    fd = ::socket(AF_INET, SOCK_DGRAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof a;
    EXPECT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);        // NOLINT
    EXPECT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &length), 0);  // NOLINT
    port = ntohs(a.sin_port);
  }
  BoundUdp(const BoundUdp&) = delete;
  BoundUdp& operator=(const BoundUdp&) = delete;
  ~BoundUdp() { ::close(fd); }
  int fd = -1;
  std::uint16_t port = 0;
};

void send_to(std::uint16_t port, const std::string& text) {
  const int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(port);
  ASSERT_EQ(::sendto(fd, text.data(), text.size(), 0, reinterpret_cast<sockaddr*>(&a),  // NOLINT
                     sizeof a),
            static_cast<ssize_t>(text.size()));
  ::close(fd);
}

Observe listening_on(std::uint16_t port) {
  Observe spec;
  spec.nmea = {"udp://127.0.0.1:" + std::to_string(port)};
  spec.process_every = std::chrono::milliseconds(0);
  return spec;
}

TEST(ObserverListenTest, APortTakenByAnotherSocketIsAnErrorNotACrash) {
  const BoundUdp other;
  Observer observer(listening_on(other.port), ObserverClock{}, nullptr);
  try {
    observer.start();
    ADD_FAILURE() << "listened on a port another socket holds";
  } catch (const generators::ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("udp://127.0.0.1:" + std::to_string(other.port)),
              std::string::npos)
        << e.what();
  }
  observer.finish();  // not started: nothing to join, and the destructor must not throw either
}

TEST(ObserverListenTest, AnAdoptedSocketDropsWhatCameBeforeAndHearsWhatComesAfter) {
  const BoundUdp kept;
  send_to(kept.port, "$VRHBT,60,A,1*00\r\n");  // before the case: belongs to no case
  pollfd queued{kept.fd, POLLIN, 0};  // wait until it is in the socket's queue, not a fixed time
  ASSERT_EQ(::poll(&queued, 1, 5000), 1);
  Observer observer(listening_on(kept.port), ObserverClock{}, nullptr);
  observer.adopt_udp_socket(kept.port, kept.fd);
  ASSERT_NO_THROW(observer.start());  // the port is bound (by us), yet the observer listens
  send_to(kept.port, "$VRHBT,60,A,2*00\r\n");
  for (int i = 0; i < 200 && observer.observations().sentences.empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  observer.finish();
  ASSERT_EQ(observer.observations().sentences.size(), 1U);
  EXPECT_EQ(observer.observations().sentences[0].text, "$VRHBT,60,A,2*00");
  // The caller still owns its socket: the observer used a duplicate.
  send_to(kept.port, "$VRHBT,60,A,3*00\r\n");
  char buffer[64];  // NOLINT
  EXPECT_GT(::recv(kept.fd, buffer, sizeof buffer, 0), 0);
}

}  // namespace
}  // namespace twincert::harness

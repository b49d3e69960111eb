// A raw TCP client for the HTTP front tests: what real clients do that a library client
// hides (idle keep-alive sockets by the hundred, a byte at a time, pipelining, 100-continue).
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <string>

namespace strata::http::testing {

class RawClient {
 public:
  explicit RawClient(int port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<uint16_t>(port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  }
  ~RawClient() {
    if (fd_ >= 0) ::close(fd_);
  }
  RawClient(const RawClient&) = delete;
  RawClient& operator=(const RawClient&) = delete;

  bool connected() const { return connected_; }
  bool send(const std::string& bytes) {
    return ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL) ==
           static_cast<ssize_t>(bytes.size());
  }
  // Reads until `until` appears in what was received (or the peer closes, or the deadline).
  std::string readUntil(const std::string& until,
                        std::chrono::milliseconds deadline = std::chrono::milliseconds(5000)) {
    auto end = std::chrono::steady_clock::now() + deadline;
    size_t from = 0;  // where `until` may start in what arrives next (big bodies stay linear)
    while (received_.find(until, from) == std::string::npos) {
      from = received_.size() >= until.size() ? received_.size() - until.size() + 1 : 0;
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          end - std::chrono::steady_clock::now());
      if (left.count() <= 0) break;
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) break;
      char buf[65536];
      ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) {
        closed_ = true;
        break;
      }
      received_.append(buf, static_cast<size_t>(n));
    }
    return received_;
  }
  // Whether the server closed the connection within the deadline.
  bool closedWithin(std::chrono::milliseconds deadline) {
    readUntil("\x01never\x02", deadline);
    return closed_;
  }
  std::string& received() { return received_; }

 private:
  int fd_ = -1;
  bool connected_ = false;
  bool closed_ = false;
  std::string received_;
};

}  // namespace strata::http::testing

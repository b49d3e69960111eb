#include "http_connection.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace strata::connload {

HttpConnection::HttpConnection(EventLoop& loop, const Endpoint& endpoint, Listener& listener)
    : loop_(loop), endpoint_(endpoint), listener_(listener) {}

HttpConnection::~HttpConnection() { close(); }

bool HttpConnection::connect() {
  close();
  fd_ = ::socket(endpoint_.addr.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd_ < 0) {
    last_error_ = errno;
    return false;
  }
  int one = 1;
  setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  int rc = ::connect(fd_, reinterpret_cast<const sockaddr*>(&endpoint_.addr), endpoint_.addr_len);
  if (rc != 0 && errno != EINPROGRESS) {
    last_error_ = errno;
    ::close(fd_);
    fd_ = -1;
    return false;
  }
  answered_ = 0;
  // Even a connect that completed at once is reported through EPOLLOUT, so that the listener
  // is only ever called from the loop.
  state_ = State::kConnecting;
  interest_ = EPOLLOUT;
  loop_.watch(fd_, interest_, this);
  return true;
}

void HttpConnection::close() {
  if (fd_ >= 0) {
    loop_.unwatch(fd_);
    ::close(fd_);
    fd_ = -1;
  }
  state_ = State::kClosed;
  in_flight_ = false;
  out_.clear();
  out_pos_ = 0;
  interest_ = 0;
}

void HttpConnection::send(std::string_view request) {
  if (state_ != State::kOpen || in_flight_) return;
  parser_.reset();
  out_.assign(request);
  out_pos_ = 0;
  in_flight_ = true;
  flush();
}

// Writes what the socket takes; returns the errno of a failed send, 0 otherwise (also when the
// socket is full). send() ignores it so as never to call the listener back from inside: the
// broken socket then stays writable or hung up, and onIo() reports it.
int HttpConnection::flush() {
  int err = 0;
  while (out_pos_ < out_.size()) {
    ssize_t n = ::send(fd_, out_.data() + out_pos_, out_.size() - out_pos_, MSG_NOSIGNAL);
    if (n > 0) {
      out_pos_ += n;
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else {
      if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) err = errno;
      break;
    }
  }
  if (out_pos_ == out_.size()) {
    out_.clear();
    out_pos_ = 0;
  }
  updateInterest();
  return err;
}

void HttpConnection::updateInterest() {
  uint32_t want = EPOLLIN | EPOLLRDHUP;
  if (!out_.empty()) want |= EPOLLOUT;
  if (want != interest_) {
    interest_ = want;
    loop_.watch(fd_, interest_, this);
  }
}

void HttpConnection::fail(int err, const std::string& why) {
  bool established = state_ == State::kOpen;
  bool in_flight = in_flight_;
  last_error_ = err;
  close();
  listener_.onDisconnected(established, in_flight, err, why);
}

void HttpConnection::onIo(uint32_t events) {
  if (fd_ < 0) return;
  if (state_ == State::kConnecting) {
    int err = 0;
    socklen_t len = sizeof err;
    if (getsockopt(fd_, SOL_SOCKET, SO_ERROR, &err, &len) != 0) err = errno;
    if (err == 0 && (events & (EPOLLERR | EPOLLHUP))) err = ECONNREFUSED;
    if (err != 0) {
      fail(err, std::string("connect: ") + std::strerror(err));
      return;
    }
    state_ = State::kOpen;
    updateInterest();
    listener_.onConnected();
    return;
  }
  if ((events & EPOLLOUT) && !out_.empty()) {
    if (int err = flush()) {
      fail(err, std::string("send: ") + std::strerror(err));
      return;
    }
  }
  if (events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) readSome();
}

void HttpConnection::readSome() {
  // One read per wake-up keeps connections fair; level triggering brings the rest.
  static char buf[64 * 1024];
  ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
  if (n < 0) {
    if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return;
    int err = errno;
    fail(err, std::string("recv: ") + std::strerror(err));
    return;
  }
  ResponseParser::Result r;
  if (n == 0) {
    if (!in_flight_) {
      fail(0, "closed by the server");
      return;
    }
    r = parser_.finish();
  } else {
    if (!in_flight_) {
      fail(EPROTO, "bytes from the server with no request in flight");
      return;
    }
    r = parser_.feed(std::string_view(buf, n));
  }
  if (r == ResponseParser::Result::kNeedMore) return;
  if (r == ResponseParser::Result::kError) {
    fail(n == 0 ? 0 : EPROTO, parser_.error());
    return;
  }
  // A complete response. Bytes after it mean the server does not follow one-request-at-a-time
  // framing: the response stands but the connection cannot be trusted any more.
  in_flight_ = false;
  ++answered_;
  if (n == 0 || !parser_.keepAlive() || parser_.leftover() > 0) close();
  listener_.onResponse(parser_);
}

}  // namespace strata::connload

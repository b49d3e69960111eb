#include "core/http/transport.h"

#include <openssl/err.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace strata::http {
namespace {

IoResult fromErrno(ssize_t n) {
  IoResult r;
  if (n > 0) {
    r.bytes = static_cast<size_t>(n);
    return r;
  }
  if (n == 0) {
    r.kind = IoResult::kClosed;
    return r;
  }
  if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) {
    r.kind = IoResult::kWouldBlock;
    return r;
  }
  r.kind = errno == ECONNRESET || errno == EPIPE ? IoResult::kClosed : IoResult::kError;
  r.error = std::strerror(errno);
  return r;
}

class PlainTransport : public Transport {
 public:
  explicit PlainTransport(int fd) : fd_(fd) {}
  IoResult handshake() override { return {}; }
  IoResult read(char* buf, size_t len) override { return fromErrno(::recv(fd_, buf, len, 0)); }
  IoResult write(const char* buf, size_t len) override {
    return fromErrno(::send(fd_, buf, len, MSG_NOSIGNAL));
  }

 private:
  int fd_;
};

std::string opensslError() {
  unsigned long e = ERR_get_error();
  if (e == 0) return errno ? std::strerror(errno) : "connection closed during TLS";
  char buf[256];
  ERR_error_string_n(e, buf, sizeof buf);
  ERR_clear_error();
  return buf;
}

class TlsTransport : public Transport {
 public:
  TlsTransport(int fd, SSL_CTX* ctx) : ssl_(SSL_new(ctx)) {
    if (!ssl_) return;
    SSL_set_fd(ssl_, fd);
    SSL_set_accept_state(ssl_);
    // Partial writes and a buffer that moves between calls: the loop writes from a string it
    // may reallocate; idle connections give their read/write buffers back.
    SSL_set_mode(ssl_, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER |
                           SSL_MODE_RELEASE_BUFFERS);
  }
  ~TlsTransport() override {
    if (ssl_) SSL_free(ssl_);  // no close_notify: the peer may be gone, and we never block
  }

  IoResult handshake() override {
    if (!ssl_) return {IoResult::kError, 0, false, "cannot create a TLS session"};
    ERR_clear_error();
    int rc = SSL_do_handshake(ssl_);
    if (rc == 1) return {};
    return classify(rc);
  }
  IoResult read(char* buf, size_t len) override {
    ERR_clear_error();
    int rc = SSL_read(ssl_, buf, static_cast<int>(len));
    if (rc > 0) return {IoResult::kOk, static_cast<size_t>(rc), false, {}};
    return classify(rc);
  }
  IoResult write(const char* buf, size_t len) override {
    ERR_clear_error();
    int rc = SSL_write(ssl_, buf, static_cast<int>(std::min<size_t>(len, 1 << 30)));
    if (rc > 0) return {IoResult::kOk, static_cast<size_t>(rc), false, {}};
    return classify(rc);
  }
  bool hasBuffered() const override { return SSL_pending(ssl_) > 0; }

 private:
  IoResult classify(int rc) {
    int err = SSL_get_error(ssl_, rc);
    switch (err) {
      case SSL_ERROR_WANT_READ:
        return {IoResult::kWouldBlock, 0, false, {}};
      case SSL_ERROR_WANT_WRITE:
        return {IoResult::kWouldBlock, 0, true, {}};
      case SSL_ERROR_ZERO_RETURN:
        return {IoResult::kClosed, 0, false, {}};
      case SSL_ERROR_SYSCALL:
        if (errno == EAGAIN || errno == EINTR) return {IoResult::kWouldBlock, 0, false, {}};
        return {IoResult::kClosed, 0, false, opensslError()};
      default:
        return {IoResult::kError, 0, false, opensslError()};
    }
  }

  SSL* ssl_;
};

}  // namespace

std::unique_ptr<Transport> makePlainTransport(int fd) {
  return std::make_unique<PlainTransport>(fd);
}

std::unique_ptr<Transport> makeTlsTransport(int fd, SSL_CTX* ctx) {
  return std::make_unique<TlsTransport>(fd, ctx);
}

}  // namespace strata::http

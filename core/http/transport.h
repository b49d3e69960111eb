// The byte stream under one connection: a plain non-blocking socket, or OpenSSL over it. The
// event loop only asks "read what you can", "write what you can" and "what are you waiting
// for", so plain and TLS connections share every other line of the server.
#pragma once

#include <openssl/ssl.h>

#include <cstddef>
#include <memory>
#include <string>

namespace strata::http {

struct IoResult {
  enum Kind { kOk, kWouldBlock, kClosed, kError } kind = kOk;
  size_t bytes = 0;
  // For kWouldBlock: the direction the transport waits for (TLS may need to write to read).
  bool want_write = false;
  std::string error;  // for kError, why
};

class Transport {
 public:
  virtual ~Transport() = default;
  // Completes the TLS handshake (plain: at once). kOk when done, kWouldBlock to call again.
  virtual IoResult handshake() = 0;
  virtual IoResult read(char* buf, size_t len) = 0;
  virtual IoResult write(const char* buf, size_t len) = 0;
  // Bytes already decrypted and buffered inside the transport (epoll cannot see them).
  virtual bool hasBuffered() const { return false; }
  // Releases buffers an idle connection does not need.
  virtual void shrink() {}
};

// The transport takes the descriptor but does not close it; the connection does.
std::unique_ptr<Transport> makePlainTransport(int fd);
// `ctx` is the listener's server context (Poco-built, so its settings are the old ones).
std::unique_ptr<Transport> makeTlsTransport(int fd, SSL_CTX* ctx);

}  // namespace strata::http

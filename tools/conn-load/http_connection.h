// One non-blocking keep-alive HTTP/1.1 client connection on the event loop, carrying one
// request at a time: a connect that may be in progress (EINPROGRESS), requests written across
// as many EPOLLOUT wake-ups as the socket needs, responses read and parsed as they trickle in.
// It owns no timers: its owner (a writer or a probe) decides on timeouts and retries.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "endpoint.h"
#include "event_loop.h"
#include "response_parser.h"

namespace strata::connload {

class HttpConnection : public EventLoop::Handler {
 public:
  class Listener {
   public:
    virtual ~Listener() = default;
    virtual void onConnected() = 0;
    // A complete response to the request in flight. When the server asked to close (or framed
    // the body by the end of the connection) the connection is already closed.
    virtual void onResponse(const ResponseParser& response) = 0;
    // The connection went away: `established` false means the connect itself failed. `err` is
    // an errno, 0 for an orderly close by the peer; `why` is a short description.
    virtual void onDisconnected(bool established, bool request_in_flight, int err,
                                const std::string& why) = 0;
  };

  enum class State { kClosed, kConnecting, kOpen };

  HttpConnection(EventLoop& loop, const Endpoint& endpoint, Listener& listener);
  ~HttpConnection() override;
  HttpConnection(const HttpConnection&) = delete;
  HttpConnection& operator=(const HttpConnection&) = delete;

  // Starts connecting. False when it failed at once (the listener is not called; errno kept in
  // lastError()).
  bool connect();
  // Closes the socket without telling the listener.
  void close();
  // Sends one request; the connection must be open with no request in flight.
  void send(std::string_view request);

  State state() const { return state_; }
  bool idle() const { return state_ == State::kOpen && !in_flight_; }
  bool inFlight() const { return in_flight_; }
  // Requests answered on the current (or, once closed, the last) connection; 0 on a fresh one.
  uint64_t answered() const { return answered_; }
  // Whether any byte of the response to the request in flight arrived.
  bool responseStarted() const { return parser_.started(); }
  int lastError() const { return last_error_; }

  void onIo(uint32_t events) override;

 private:
  int flush();
  void readSome();
  void fail(int err, const std::string& why);
  void updateInterest();

  EventLoop& loop_;
  const Endpoint& endpoint_;
  Listener& listener_;
  int fd_ = -1;
  State state_ = State::kClosed;
  bool in_flight_ = false;
  uint64_t answered_ = 0;
  std::string out_;
  size_t out_pos_ = 0;
  uint32_t interest_ = 0;
  int last_error_ = 0;
  ResponseParser parser_;
};

}  // namespace strata::connload

// One client connection as the event loop sees it: where it is in its request/response cycle,
// its buffers and the deadline of its current phase. Owned and touched only by its loop's
// thread; a worker running its request holds a copy of the request, never the connection.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "core/http/request_parser.h"
#include "core/http/response_stream.h"
#include "core/http/route_table.h"
#include "core/http/transport.h"

namespace strata::http {

using Clock = std::chrono::steady_clock;

struct Connection {
  enum class State {
    kHandshake,   // TLS handshake in progress
    kReading,     // idle or reading a request
    kDispatched,  // a worker runs its handler; nothing is read meanwhile
    kWriting,     // a response is being written
    kLingering,   // the last response is out and our side shut down; unread input is drained
                  // so closing does not reset the connection (which would discard it)
  };

  Connection(uint64_t id_, int fd_, std::unique_ptr<Transport> t, std::string remote_,
             size_t max_header_bytes)
      : id(id_),
        fd(fd_),
        transport(std::move(t)),
        remote(std::move(remote_)),
        parser(max_header_bytes) {}

  uint64_t id;
  int fd;
  std::unique_ptr<Transport> transport;
  std::string remote;  // "ip:port", "[v6]:port"
  State state = State::kReading;
  RequestParser parser;
  RouteMatch route;  // of the request being read, once its headers are in

  std::string in;     // received, not yet parsed (a pipelined request, a partial head)
  size_t in_pos = 0;  // bytes of `in` already consumed
  std::string out;    // response bytes (or a 100 Continue) not yet written
  size_t out_pos = 0;
  bool close_after_write = false;
  bool continue_sent = false;
  bool over_cap = false;  // refused at accept (503) and only drained; not counted in the cap
  // While a worker streams the response: its pieces arrive one by one, and the gate tells the
  // worker how much is still unwritten (or that the connection closed).
  std::shared_ptr<StreamGate> stream;

  Clock::time_point deadline = Clock::time_point::max();
  uint32_t events = 0;  // the epoll interest currently registered
};

}  // namespace strata::http

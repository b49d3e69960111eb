// One listening socket served by one thread over epoll: it accepts, reads requests, writes
// responses and enforces timeouts for every connection of the listener, and hands complete
// requests to the worker pool of their route class. An idle keep-alive connection costs a
// Connection and a socket, never a thread, so thousands of agents can hold one each.
#pragma once

#include <openssl/ssl.h>

#include <array>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "core/http/connection.h"
#include "core/http/response_stream.h"
#include "core/http/route_table.h"
#include "core/http/server_limits.h"
#include "core/http/worker_pool.h"

namespace strata::http {

// Counters of one listener, read by /metrics.
struct ListenerStats {
  std::atomic<int64_t> open_connections{0};
  std::atomic<uint64_t> accepted{0};
  std::atomic<uint64_t> refused_over_cap{0};
  std::atomic<uint64_t> timed_out{0};
  std::atomic<uint64_t> requests{0};
};

using WorkerPools = std::array<std::unique_ptr<WorkerPool>, kRouteClassCount>;

class ListenerLoop {
 public:
  // Takes `listen_fd` (bound, listening, non-blocking). `tls` is null for plain HTTP.
  ListenerLoop(std::string address, int listen_fd, SSL_CTX* tls, std::shared_ptr<RouteTable> table,
               const ServerLimits& limits, WorkerPools& pools);
  ~ListenerLoop();  // close() and join()
  ListenerLoop(const ListenerLoop&) = delete;
  ListenerLoop& operator=(const ListenerLoop&) = delete;

  // Closes the listening socket and returns once it is closed (a connect is refused from
  // then on). The loop then finishes the requests in flight, within limits.close_grace, and
  // exits. Never called on the loop's own thread (handlers run on workers).
  void close();
  void join();
  const ListenerStats& stats() const { return *stats_; }

 private:
  struct Completion {
    uint64_t connection;
    std::string bytes;
    bool keep_alive;
    bool final = true;                 // false: a piece of a streamed response, more follows
    std::shared_ptr<StreamGate> gate;  // of a streamed response
  };
  // Shared with worker tasks, which may finish after the loop is gone.
  struct Inbox {
    std::mutex mu;
    std::vector<Completion> completions;
    bool close_requested = false;
    bool listener_closed = false;  // the loop's answer to close_requested
    bool loop_gone = false;
    std::condition_variable closed_cv;
    int wake_fd = -1;
    void wake();
  };

  void run();
  void acceptAll();
  void onEvent(Connection& c, uint32_t events);
  void onReadable(Connection& c);
  void processInput(Connection& c, std::string_view fresh);
  void onHeaders(Connection& c);
  void dispatch(Connection& c);
  void onWritable(Connection& c);
  void respondNow(Connection& c, int status, std::string text, bool close_after);
  void startWrite(Connection& c, std::string bytes, bool close_after);
  void finishResponse(Connection& c);
  void takeCompletions();
  void sweep(Clock::time_point now);
  void setInterest(Connection& c, uint32_t events);
  void closeConnection(uint64_t id);
  void refuse(int status);

  std::string address_;
  int listen_fd_;
  SSL_CTX* tls_;
  std::shared_ptr<RouteTable> table_;
  ServerLimits limits_;
  WorkerPools& pools_;
  std::shared_ptr<ListenerStats> stats_ = std::make_shared<ListenerStats>();
  std::shared_ptr<Inbox> inbox_ = std::make_shared<Inbox>();
  int epoll_fd_ = -1;
  std::unordered_map<uint64_t, std::unique_ptr<Connection>> connections_;
  uint64_t next_id_ = 1;
  bool closing_ = false;
  bool in_process_input_ = false;
  size_t over_cap_lingering_ = 0;  // connections_ refused over the cap, draining before close
  Clock::time_point close_deadline_;
  std::vector<char> scratch_;
  std::thread thread_;
};

}  // namespace strata::http

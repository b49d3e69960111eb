#include "core/http/event_loop.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/http/request_dispatch.h"
#include "core/http/response_bytes.h"
#include "core/telemetry/logger.h"

namespace strata::http {
namespace {

constexpr uint64_t kListenTag = 0;
constexpr uint64_t kWakeTag = 1;
constexpr uint64_t kFirstConnectionId = 2;
constexpr size_t kScratchBytes = 64 * 1024;
constexpr auto kSweepEvery = std::chrono::milliseconds(200);
// Connections refused over the cap that are drained before closing; more are closed at once.
constexpr size_t kMaxOverCapLingering = 1024;

std::string peerName(const sockaddr_storage& ss) {
  char host[INET6_ADDRSTRLEN] = {0};
  if (ss.ss_family == AF_INET6) {
    const auto* a = reinterpret_cast<const sockaddr_in6*>(&ss);
    inet_ntop(AF_INET6, &a->sin6_addr, host, sizeof host);
    return "[" + std::string(host) + "]:" + std::to_string(ntohs(a->sin6_port));
  }
  const auto* a = reinterpret_cast<const sockaddr_in*>(&ss);
  inet_ntop(AF_INET, &a->sin_addr, host, sizeof host);
  return std::string(host) + ":" + std::to_string(ntohs(a->sin_port));
}

const std::string& overCapResponse() {
  static const std::string bytes = simpleResponse(
      503, "too many open connections on this listener; retry later", /*keep_alive=*/false);
  return bytes;
}

}  // namespace

void ListenerLoop::Inbox::wake() {
  uint64_t one = 1;
  [[maybe_unused]] ssize_t n = ::write(wake_fd, &one, sizeof one);
}

ListenerLoop::ListenerLoop(std::string address, int listen_fd, SSL_CTX* tls,
                           std::shared_ptr<RouteTable> table, const ServerLimits& limits,
                           WorkerPools& pools)
    : address_(std::move(address)),
      listen_fd_(listen_fd),
      tls_(tls),
      table_(std::move(table)),
      limits_(limits),
      pools_(pools),
      scratch_(kScratchBytes) {
  epoll_fd_ = epoll_create1(EPOLL_CLOEXEC);
  inbox_->wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (epoll_fd_ < 0 || inbox_->wake_fd < 0)
    throw std::runtime_error("cannot create the event loop of " + address_ + ": " +
                             std::strerror(errno));
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.u64 = kListenTag;
  epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, listen_fd_, &ev);
  ev.data.u64 = kWakeTag;
  epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, inbox_->wake_fd, &ev);
  next_id_ = kFirstConnectionId;
  thread_ = std::thread([this] { run(); });
  pthread_setname_np(thread_.native_handle(), "http-loop");
}

ListenerLoop::~ListenerLoop() {
  close();
  join();
}

void ListenerLoop::close() {
  std::unique_lock lock(inbox_->mu);
  if (inbox_->loop_gone) return;
  inbox_->close_requested = true;
  inbox_->wake();
  inbox_->closed_cv.wait(lock, [&] { return inbox_->listener_closed || inbox_->loop_gone; });
}

void ListenerLoop::join() {
  if (thread_.joinable()) thread_.join();
  if (epoll_fd_ >= 0) ::close(epoll_fd_);
  epoll_fd_ = -1;
  std::lock_guard lock(inbox_->mu);
  if (inbox_->wake_fd >= 0) ::close(inbox_->wake_fd);
  inbox_->wake_fd = -1;
}

void ListenerLoop::run() {
  std::vector<epoll_event> events(256);
  auto next_sweep = Clock::now() + kSweepEvery;
  for (;;) {
    int n = epoll_wait(epoll_fd_, events.data(), static_cast<int>(events.size()), 100);
    for (int i = 0; i < n; ++i) {
      uint64_t tag = events[i].data.u64;
      if (tag == kListenTag) {
        if (!closing_) acceptAll();
      } else if (tag == kWakeTag) {
        uint64_t count;
        [[maybe_unused]] ssize_t r = ::read(inbox_->wake_fd, &count, sizeof count);
        takeCompletions();
      } else {
        auto it = connections_.find(tag);
        if (it != connections_.end()) onEvent(*it->second, events[i].events);
      }
    }
    auto now = Clock::now();
    if (now >= next_sweep) {
      sweep(now);
      next_sweep = now + kSweepEvery;
    }
    if (closing_ && (connections_.empty() || now >= close_deadline_)) break;
  }
  while (!connections_.empty()) closeConnection(connections_.begin()->first);
  std::lock_guard lock(inbox_->mu);
  inbox_->loop_gone = true;
  inbox_->completions.clear();
  inbox_->closed_cv.notify_all();
}

void ListenerLoop::acceptAll() {
  for (;;) {
    sockaddr_storage peer{};
    socklen_t len = sizeof peer;
    int fd =
        accept4(listen_fd_, reinterpret_cast<sockaddr*>(&peer), &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      if (errno == EMFILE || errno == ENFILE)
        telemetry::log(STRATA_LOG_WARN, "http", "out of file descriptors; connections wait",
                       {{"listen_address", address_}});
      return;  // EAGAIN, or nothing we can do now
    }
    if (connections_.size() - over_cap_lingering_ >= limits_.max_connections) {
      // Over the cap: a fast 503 instead of a silent queue. TLS cannot say it in plain text,
      // so a TLS client sees the connection closed at accept.
      stats_->refused_over_cap++;
      refuse(503);
      if (!tls_ && over_cap_lingering_ < kMaxOverCapLingering) {
        const std::string& bytes = overCapResponse();
        [[maybe_unused]] ssize_t w =
            ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
        // Closing with the client's request unread would reset the connection and lose the
        // 503 (seen with bodies of 200 KB): shut down our side and drain it, as after any
        // final response, without counting it against the cap.
        ::shutdown(fd, SHUT_WR);
        auto c = std::make_unique<Connection>(next_id_++, fd, makePlainTransport(fd),
                                              peerName(peer), limits_.max_header_bytes);
        c->state = Connection::State::kLingering;
        c->over_cap = true;
        c->deadline = Clock::now() + std::chrono::seconds(2);
        epoll_event ev{};
        ev.events = EPOLLIN;
        ev.data.u64 = c->id;
        if (epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &ev) == 0) {
          c->events = EPOLLIN;
          connections_.emplace(c->id, std::move(c));
          ++over_cap_lingering_;
          stats_->open_connections++;
          continue;
        }
      }
      ::close(fd);
      continue;
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    auto transport = tls_ ? makeTlsTransport(fd, tls_) : makePlainTransport(fd);
    uint64_t id = next_id_++;
    auto c = std::make_unique<Connection>(id, fd, std::move(transport), peerName(peer),
                                          limits_.max_header_bytes);
    auto now = Clock::now();
    if (tls_) {
      c->state = Connection::State::kHandshake;
      c->deadline = now + limits_.header_timeout;
    } else {
      c->deadline = now + limits_.idle_timeout;
    }
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u64 = id;
    if (epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &ev) != 0) {
      ::close(fd);
      continue;
    }
    c->events = EPOLLIN;
    connections_.emplace(id, std::move(c));
    stats_->accepted++;
    stats_->open_connections++;
  }
}

void ListenerLoop::setInterest(Connection& c, uint32_t events) {
  if (c.events == events) return;
  epoll_event ev{};
  ev.events = events;
  ev.data.u64 = c.id;
  epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, c.fd, &ev);
  c.events = events;
}

void ListenerLoop::closeConnection(uint64_t id) {
  auto it = connections_.find(id);
  if (it == connections_.end()) return;
  if (it->second->over_cap) --over_cap_lingering_;
  if (it->second->stream) it->second->stream->close();  // its producer stops
  it->second->transport.reset();
  ::close(it->second->fd);  // also leaves the epoll set
  connections_.erase(it);
  stats_->open_connections--;
}

void ListenerLoop::refuse(int status) {
  if (table_->on_refusal) table_->on_refusal(status);
}

void ListenerLoop::onEvent(Connection& c, uint32_t events) {
  uint64_t id = c.id;
  if (events & (EPOLLERR | EPOLLHUP)) {
    // The peer is gone (both directions): whatever runs for it has nobody to answer.
    closeConnection(id);
    return;
  }
  switch (c.state) {
    case Connection::State::kHandshake: {
      IoResult r = c.transport->handshake();
      if (r.kind == IoResult::kWouldBlock) {
        setInterest(c, r.want_write ? EPOLLOUT : EPOLLIN);
        return;
      }
      if (r.kind != IoResult::kOk) {
        telemetry::log(STRATA_LOG_DEBUG, "http", "TLS handshake failed",
                       {{"listen_address", address_}, {"remote", c.remote}, {"error", r.error}});
        closeConnection(id);
        return;
      }
      c.state = Connection::State::kReading;
      c.deadline = Clock::now() + limits_.idle_timeout;
      setInterest(c, EPOLLIN);
      onReadable(c);  // the client's first request may already be buffered
      return;
    }
    case Connection::State::kReading:
      if ((events & EPOLLOUT) && c.out_pos < c.out.size()) {
        onWritable(c);  // a 100 Continue that did not fit at once
        if (!connections_.count(id)) return;
      }
      if (events & EPOLLIN) onReadable(c);
      return;
    case Connection::State::kWriting:
      onWritable(c);
      return;
    case Connection::State::kDispatched:
      return;  // nothing is read while the handler runs
    case Connection::State::kLingering:
      for (int round = 0; round < 16; ++round) {
        IoResult r = c.transport->read(scratch_.data(), scratch_.size());
        if (r.kind == IoResult::kWouldBlock) return;
        if (r.kind != IoResult::kOk) break;
      }
      closeConnection(id);
      return;
  }
}

void ListenerLoop::onReadable(Connection& c) {
  uint64_t id = c.id;
  // A few reads at most, so one fast sender cannot monopolise the loop.
  for (int round = 0; round < 16; ++round) {
    IoResult r = c.transport->read(scratch_.data(), scratch_.size());
    if (r.kind == IoResult::kWouldBlock) {
      if (r.want_write) setInterest(c, EPOLLIN | EPOLLOUT);
      return;
    }
    if (r.kind != IoResult::kOk) {
      closeConnection(id);  // closed by the peer, or broken
      return;
    }
    processInput(c, std::string_view(scratch_.data(), r.bytes));
    if (!connections_.count(id) || c.state != Connection::State::kReading) return;
    if (r.bytes < scratch_.size() && !c.transport->hasBuffered()) return;
  }
}

void ListenerLoop::processInput(Connection& c, std::string_view fresh) {
  c.in.append(fresh);
  // A response finished while parsing (a 404, a refused dispatch) may come back here for a
  // pipelined request; the outer call goes on with it instead.
  if (in_process_input_) return;
  in_process_input_ = true;
  uint64_t id = c.id;
  while (connections_.count(id) && c.state == Connection::State::kReading) {
    bool was_started = c.parser.started();
    size_t consumed = 0;
    RequestParser::Step step = c.parser.parse(std::string_view(c.in).substr(c.in_pos), &consumed);
    c.in_pos += consumed;
    if (!was_started && c.parser.started()) c.deadline = Clock::now() + limits_.header_timeout;
    if (step == RequestParser::Step::kHeaders) {
      onHeaders(c);
      continue;
    }
    if (step == RequestParser::Step::kComplete) {
      stats_->requests++;
      dispatch(c);
      continue;
    }
    if (step == RequestParser::Step::kFailed) {
      refuse(c.parser.errorStatus());
      respondNow(c, c.parser.errorStatus(), c.parser.errorMessage(), /*close_after=*/true);
      break;
    }
    // kNeedMore. A client waiting for "100 Continue" gets it once its body is wanted.
    if (c.parser.inBody() && c.parser.request().expect_continue && !c.continue_sent) {
      c.continue_sent = true;
      c.out.append("HTTP/1.1 100 Continue\r\n\r\n");
      onWritable(c);
    }
    break;
  }
  in_process_input_ = false;
  if (!connections_.count(id)) return;
  // Keep only what was not consumed (a partial head, a pipelined request).
  if (c.in_pos >= c.in.size()) {
    c.in.clear();
    c.in_pos = 0;
  } else if (c.in_pos > 65536 && c.in_pos * 2 > c.in.size()) {
    c.in.erase(0, c.in_pos);
    c.in_pos = 0;
  }
}

void ListenerLoop::onHeaders(Connection& c) {
  ParsedRequest& req = c.parser.request();
  Miss miss = Miss::kNone;
  auto match = table_->match(req.path(), &miss);
  if (!match) {
    int status = miss == Miss::kDraining ? 503 : 404;
    refuse(status);
    // A body we do not read would be taken for the next request: such connections close.
    std::string text = status == 404 ? "404 page not found: " + std::string(req.path())
                                     : "503 " + std::string(req.path()) +
                                           " is not available on this node right now "
                                           "(draining or stopping); retry";
    respondNow(c, status, text, req.hasBody() || !req.keep_alive || status == 503);
    return;
  }
  c.route = *match;
  c.parser.setBodyLimit(match->max_body_bytes);
  c.deadline = Clock::now() + limits_.body_timeout;
}

void ListenerLoop::dispatch(Connection& c) {
  ParsedRequest request = std::move(c.parser.request());
  bool keep_alive = request.keep_alive && !table_->stopping && !closing_;
  c.parser.reset();
  c.continue_sent = false;
  RouteClass cls = c.route.route_class;
  WorkerPool& pool = *pools_[static_cast<size_t>(cls)];
  uint64_t id = c.id;
  auto task = [table = table_, inbox = inbox_, id, keep_alive, remote = c.remote,
               stall = std::chrono::duration_cast<std::chrono::milliseconds>(limits_.write_timeout),
               request = std::make_shared<ParsedRequest>(std::move(request))]() mutable {
    StreamSink sink;
    sink.gate = std::make_shared<StreamGate>();
    sink.stall_timeout = stall;
    sink.post = [&inbox, id, gate = sink.gate](std::string bytes) {
      std::lock_guard lock(inbox->mu);
      if (inbox->loop_gone) return false;
      inbox->completions.push_back({id, std::move(bytes), true, false, gate});
      inbox->wake();
      return true;
    };
    DispatchResult result = runRequest(*table, *request, remote, keep_alive, &sink);
    request.reset();
    std::lock_guard lock(inbox->mu);
    if (inbox->loop_gone) return;
    inbox->completions.push_back(
        {id, std::move(result.bytes), result.keep_alive, true, std::move(sink.gate)});
    inbox->wake();
  };
  c.state = Connection::State::kDispatched;
  c.deadline = Clock::time_point::max();
  setInterest(c, 0);
  if (!pool.trySubmit(std::move(task))) {
    refuse(503);
    c.state = Connection::State::kReading;
    respondNow(c, 503,
               "too many concurrent " + std::string(routeClassName(cls)) +
                   " requests on this node; retry later",
               !keep_alive);
  }
}

void ListenerLoop::respondNow(Connection& c, int status, std::string text, bool close_after) {
  c.parser.reset();
  startWrite(c, simpleResponse(status, text, !close_after), close_after);
}

void ListenerLoop::startWrite(Connection& c, std::string bytes, bool close_after) {
  if (c.out_pos < c.out.size())
    c.out.append(bytes);  // after a 100 Continue still on its way
  else {
    c.out = std::move(bytes);
    c.out_pos = 0;
  }
  c.close_after_write = close_after || closing_;
  c.state = Connection::State::kWriting;
  c.deadline = Clock::now() + limits_.write_timeout;
  onWritable(c);
}

void ListenerLoop::onWritable(Connection& c) {
  uint64_t id = c.id;
  while (c.out_pos < c.out.size()) {
    IoResult r = c.transport->write(c.out.data() + c.out_pos, c.out.size() - c.out_pos);
    if (r.kind == IoResult::kWouldBlock) {
      setInterest(c, c.state == Connection::State::kReading ? EPOLLIN | EPOLLOUT : EPOLLOUT);
      return;
    }
    if (r.kind != IoResult::kOk) {
      closeConnection(id);
      return;
    }
    c.out_pos += r.bytes;
    if (c.stream) {  // progress: the producer may go on, and the client is not stalled
      c.stream->written(r.bytes);
      c.deadline = Clock::now() + limits_.write_timeout;
    }
  }
  c.out.clear();
  c.out_pos = 0;
  if (c.stream) {  // all written so far; the worker is producing the next piece
    c.deadline = Clock::time_point::max();
    setInterest(c, 0);
  } else if (c.state == Connection::State::kWriting)
    finishResponse(c);
  else if (c.state == Connection::State::kReading)
    setInterest(c, EPOLLIN);
}

void ListenerLoop::finishResponse(Connection& c) {
  if (c.close_after_write) {
    // A close with unread input makes the kernel send a reset, and a client may then lose the
    // response it has not read yet (a 413 before the body, say). Shut down our side and drain.
    ::shutdown(c.fd, SHUT_WR);
    c.state = Connection::State::kLingering;
    c.deadline = Clock::now() + std::chrono::seconds(2);
    std::string().swap(c.in);
    std::string().swap(c.out);
    c.in_pos = c.out_pos = 0;
    setInterest(c, EPOLLIN);
    return;
  }
  c.state = Connection::State::kReading;
  c.deadline = Clock::now() + limits_.idle_timeout;
  // An idle connection keeps no buffers: thousands of them wait between writes.
  std::string().swap(c.out);
  if (c.in_pos >= c.in.size()) {
    std::string().swap(c.in);
    c.in_pos = 0;
  }
  c.transport->shrink();
  setInterest(c, EPOLLIN);
  // A request pipelined behind the one just answered (or, for a request without a body,
  // the end of the one just parsed).
  if (c.in_pos < c.in.size()) processInput(c, {});
}

void ListenerLoop::takeCompletions() {
  std::vector<Completion> done;
  bool close_requested = false;
  {
    std::lock_guard lock(inbox_->mu);
    done.swap(inbox_->completions);
    close_requested = inbox_->close_requested && !inbox_->listener_closed;
  }
  for (auto& d : done) {
    auto it = connections_.find(d.connection);
    if (it == connections_.end()) {  // the client went away meanwhile
      if (d.gate) d.gate->close();
      continue;
    }
    Connection& c = *it->second;
    if (!d.final) {  // a piece of a streamed response: write it, the connection stays ours
      c.stream = d.gate;
      c.state = Connection::State::kWriting;
      c.close_after_write = false;
      c.out.append(d.bytes);
      c.deadline = Clock::now() + limits_.write_timeout;
      onWritable(c);
      continue;
    }
    c.stream.reset();
    startWrite(c, std::move(d.bytes), !d.keep_alive);
  }
  if (close_requested) {
    ::close(listen_fd_);  // also leaves the epoll set; connects are refused from now on
    listen_fd_ = -1;
    closing_ = true;
    close_deadline_ = Clock::now() + limits_.close_grace;
    // Idle and half-read connections close now; requests in flight finish first.
    std::vector<uint64_t> idle;
    for (auto& [id, c] : connections_)
      if (c->state == Connection::State::kReading || c->state == Connection::State::kHandshake ||
          c->state == Connection::State::kLingering)
        idle.push_back(id);
    for (auto id : idle) closeConnection(id);
    std::lock_guard lock(inbox_->mu);
    inbox_->listener_closed = true;
    inbox_->closed_cv.notify_all();
  }
}

void ListenerLoop::sweep(Clock::time_point now) {
  std::vector<uint64_t> expired;
  for (auto& [id, c] : connections_)
    if (c->deadline <= now) expired.push_back(id);
  for (auto id : expired) {
    auto it = connections_.find(id);
    if (it == connections_.end()) continue;
    Connection& c = *it->second;
    if (c.state == Connection::State::kLingering) {
      closeConnection(id);
      continue;
    }
    stats_->timed_out++;
    if (c.state == Connection::State::kReading && c.parser.started() && c.out.empty()) {
      // A slow client: tell it why, then close (a client that does not read either is cut
      // off by the short deadline of this last write).
      refuse(408);
      std::string what = c.parser.inBody() ? "body" : "headers";
      respondNow(c, 408, "timed out reading the request " + what, true);
      if (connections_.count(id)) c.deadline = now + std::chrono::seconds(1);
    } else {
      closeConnection(id);  // idle keep-alive, a stuck handshake or an unread response
    }
  }
}

}  // namespace strata::http

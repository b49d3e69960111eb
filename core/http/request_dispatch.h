// Runs one complete request on a worker thread: finds the route, hands the handler a
// strata_http_request that points into the parsed request, and turns what the handler sent
// into response bytes for the event loop to write.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "core/http/request_parser.h"
#include "core/http/response_stream.h"
#include "core/http/route_table.h"

namespace strata::http {

struct DispatchResult {
  std::string bytes;  // the whole response; for a streamed one, what is left (its last chunk)
  bool keep_alive = true;
  int status = 0;
};

// Where a streamed response's bytes go before the handler returns.
struct StreamSink {
  // Hands bytes to the loop; false when the connection is gone.
  std::function<bool(std::string bytes)> post;
  std::shared_ptr<StreamGate> gate;
  std::chrono::milliseconds stall_timeout{30000};  // no progress this long: the client is gone
};

// A route that is being removed, or a node that is stopping, answers 503 with Retry-After,
// never 404: a remote write sender retries a 503 and drops what got a 4xx.
// `sink` (may be null: streaming is then refused, begin() answers -1) carries a streamed
// response's bytes while the handler runs.
DispatchResult runRequest(const RouteTable& table, ParsedRequest& request,
                          const std::string& remote_address, bool keep_alive,
                          StreamSink* sink = nullptr);

}  // namespace strata::http

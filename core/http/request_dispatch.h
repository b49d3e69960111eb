// Runs one complete request on a worker thread: finds the route, hands the handler a
// strata_http_request that points into the parsed request, and turns what the handler sent
// into response bytes for the event loop to write.
#pragma once

#include <string>

#include "core/http/request_parser.h"
#include "core/http/route_table.h"

namespace strata::http {

struct DispatchResult {
  std::string bytes;
  bool keep_alive = true;
  int status = 0;
};

// A route that is being removed, or a node that is stopping, answers 503 with Retry-After,
// never 404: a remote write sender retries a 503 and drops what got a 4xx.
DispatchResult runRequest(const RouteTable& table, ParsedRequest& request,
                          const std::string& remote_address, bool keep_alive);

}  // namespace strata::http

// Turns one Poco request into a strata_http_request, calls the route's handler, and turns its
// strata_http_response calls back into the Poco response.
#pragma once

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>

#include <memory>

#include "core/http/route_table.h"

namespace strata::http {

class RouteRequestHandler : public Poco::Net::HTTPRequestHandler {
 public:
  explicit RouteRequestHandler(std::shared_ptr<const RouteTable> table)
      : table_(std::move(table)) {}
  void handleRequest(Poco::Net::HTTPServerRequest& request,
                     Poco::Net::HTTPServerResponse& response) override;

 private:
  std::shared_ptr<const RouteTable> table_;
};

// Holds the table by shared_ptr: connection threads may outlive the HttpServer's bookkeeping
// for a moment while a listener shuts down.
class RouteHandlerFactory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit RouteHandlerFactory(std::shared_ptr<const RouteTable> table)
      : table_(std::move(table)) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(
      const Poco::Net::HTTPServerRequest&) override {
    return new RouteRequestHandler(table_);
  }

 private:
  std::shared_ptr<const RouteTable> table_;
};

}  // namespace strata::http

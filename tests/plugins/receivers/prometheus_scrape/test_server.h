// A loopback HTTP server (Poco) serving a settable exposition body, for receiver tests. It
// records the request headers Prometheus-compatible scrapers send.
#pragma once

#include <memory>
#include <mutex>
#include <string>

namespace strata::scrape::testing {

class TestServer {
 public:
  TestServer();  // binds 127.0.0.1:0
  ~TestServer();
  int port() const;
  void set(int status, std::string body, std::string content_type = "text/plain; version=0.0.4");
  std::string lastHeader(const std::string& name);
  int requests();

  struct State;

 private:
  std::shared_ptr<State> state_;
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace strata::scrape::testing

// Helpers for promql_api tests: a host whose queryable() answers from a table (FakeHost has
// no Queryables), and HTTP requests driven straight into a registered handler.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "fake_host.h"

namespace strata::testing {

struct HttpResult {
  int status = 0;
  std::string content_type, body;
  std::map<std::string, std::string> headers;
};

struct HttpCall {
  std::string method = "GET";
  std::string path;
  std::string query;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

// Calls `handler` as the host would and captures the response.
HttpResult invoke(strata_http_handler handler, void* user, const HttpCall& call);

// FakeHost plus a queryable() slot serving the registered components' Queryables.
class QueryHost {
 public:
  QueryHost();
  ~QueryHost();
  void addQueryable(const std::string& id, const strata_queryable* q) { queryables_[id] = q; }
  sdk::Host host() { return sdk::Host(&api_, fake_.host().ctx()); }
  FakeHost& fake() { return fake_; }
  // Calls the handler registered for `path` (longest prefix, as the host; among equal
  // prefixes the newest, since the host drops a destroyed instance's routes).
  HttpResult request(const HttpCall& call);

 private:
  FakeHost fake_;
  strata_host_api api_{};
  std::map<std::string, const strata_queryable*> queryables_;
};

}  // namespace strata::testing

namespace strata::testing {

// A config tree with a `sources` list (TestConfig has no lists) plus scalar options; INT
// options get int_value, duration options their milliseconds.
class ApiConfigTree {
 public:
  ApiConfigTree(std::vector<std::string> sources,
                std::vector<std::pair<std::string, std::string>> strings = {},
                std::vector<std::pair<std::string, int64_t>> ints = {});
  sdk::ConfigView view() const { return sdk::ConfigView(&root_); }

 private:
  std::vector<std::string> texts_;
  std::vector<strata_str> keys_;
  std::vector<strata_value> items_, list_;
  strata_value root_{};
};

}  // namespace strata::testing

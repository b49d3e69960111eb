// A promql_api component started on a QueryHost over an in-memory Queryable.
#pragma once

#include <gtest/gtest.h>

#include <memory>

#include "api_test_util.h"
#include "memory_queryable.h"
#include "promql_api.h"

namespace strata::testing {

class ApiFixture : public ::testing::Test {
 protected:
  // up{job="a",instance="x"} = 1,2,3 at 0s,15s,30s; up{job="b",instance="y"} = 10 at 0s,
  // 20 at 30s; a second tenant "other" has only other_metric.
  void SetUp() override {
    auto& t = mem_.tenant("default-tenant");
    promql::Labels a{{"__name__", "up"}, {"instance", "x"}, {"job", "a"}};
    promql::Labels b{{"__name__", "up"}, {"instance", "y"}, {"job", "b"}};
    t.append(a, 0, 1);
    t.append(a, 15000, 2);
    t.append(a, 30000, 3);
    t.append(b, 0, 10);
    t.append(b, 30000, 20);
    mem_.tenant("other").append(promql::Labels{{"__name__", "other_metric"}}, 0, 7);
    host_.addQueryable("block_store", mem_.queryable());
    start({"block_store"});
  }

  void start(std::vector<std::string> sources,
             std::vector<std::pair<std::string, int64_t>> ints = {}) {
    api_.reset();
    ApiConfigTree cfg(std::move(sources), {{"listen_address", "127.0.0.1:0"}}, std::move(ints));
    api_ = std::make_unique<promql_api::PromqlApi>(host_.host(), cfg.view());
    start_status_ = api_->start();
  }

  HttpResult get(const std::string& path, const std::string& query = "") {
    HttpCall c;
    c.path = path;
    c.query = query;
    return host_.request(c);
  }

  QueryHost host_;
  MemoryQueryable mem_;
  std::unique_ptr<promql_api::PromqlApi> api_;
  strata_status start_status_ = STRATA_FAILED;
};

}  // namespace strata::testing

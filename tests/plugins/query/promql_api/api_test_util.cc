#include "api_test_util.h"

#include <mutex>

namespace strata::testing {
namespace {

struct Capture {
  strata_http_response resp{};
  HttpResult result;
};

// ctx (the FakeHost) -> its QueryHost, for the C queryable() slot.
std::mutex g_mu;
std::map<strata_host_ctx*, QueryHost*> g_hosts;

}  // namespace

HttpResult invoke(strata_http_handler handler, void* user, const HttpCall& call) {
  std::vector<strata_http_header> headers;
  for (const auto& [k, v] : call.headers) headers.push_back({sdk::str(k), sdk::str(v)});
  strata_http_request req{};
  req.struct_size = sizeof req;
  req.method = sdk::str(call.method);
  req.path = sdk::str(call.path);
  req.query = sdk::str(call.query);
  req.headers = headers.data();
  req.header_count = headers.size();
  req.body = call.body.data();
  req.body_len = call.body.size();
  req.remote_address = sdk::str("127.0.0.1:1");
  Capture cap;
  cap.resp.struct_size = sizeof cap.resp;
  cap.resp.host_private = &cap;
  cap.resp.add_header = [](strata_http_response* r, strata_str n, strata_str v) {
    static_cast<Capture*>(r->host_private)->result.headers[std::string(sdk::view(n))] =
        std::string(sdk::view(v));
  };
  cap.resp.send = [](strata_http_response* r, int status, strata_str ct, const char* body,
                     size_t len) {
    auto& res = static_cast<Capture*>(r->host_private)->result;
    res.status = status;
    res.content_type = std::string(sdk::view(ct));
    res.body.assign(body, len);
  };
  handler(user, &req, &cap.resp);
  return cap.result;
}

QueryHost::QueryHost() {
  api_ = *fake_.host().api();
  api_.queryable = [](strata_host_ctx* ctx, strata_str id) -> const strata_queryable* {
    std::lock_guard<std::mutex> lock(g_mu);
    auto h = g_hosts.find(ctx);
    if (h == g_hosts.end()) return nullptr;
    auto it = h->second->queryables_.find(std::string(sdk::view(id)));
    return it == h->second->queryables_.end() ? nullptr : it->second;
  };
  std::lock_guard<std::mutex> lock(g_mu);
  g_hosts[fake_.host().ctx()] = this;
}

QueryHost::~QueryHost() {
  std::lock_guard<std::mutex> lock(g_mu);
  g_hosts.erase(fake_.host().ctx());
}

HttpResult QueryHost::request(const HttpCall& call) {
  const Route* best = nullptr;
  auto routes = fake_.routes();
  for (const auto& r : routes) {
    if (call.path.starts_with(r.prefix) && (!best || r.prefix.size() >= best->prefix.size())) {
      best = &r;
    }
  }
  if (!best) return HttpResult{404, "", "no route", {}};
  return invoke(best->handler, best->user, call);
}

}  // namespace strata::testing

namespace strata::testing {

ApiConfigTree::ApiConfigTree(std::vector<std::string> sources,
                             std::vector<std::pair<std::string, std::string>> strings,
                             std::vector<std::pair<std::string, int64_t>> ints) {
  // Reserve first: strata_str points into texts_.
  texts_.reserve(1 + sources.size() + 2 * strings.size() + 2 * ints.size());
  auto keep = [&](const std::string& s) {
    texts_.push_back(s);
    return sdk::str(texts_.back());
  };
  for (const auto& s : sources) {
    strata_value v{};
    v.kind = STRATA_VALUE_STRING;
    v.string_value = keep(s);
    list_.push_back(v);
  }
  strata_value list{};
  list.kind = STRATA_VALUE_LIST;
  list.items = list_.data();
  list.count = list_.size();
  keys_.push_back(keep("sources"));
  items_.push_back(list);
  for (const auto& [k, s] : strings) {
    strata_value v{};
    v.kind = STRATA_VALUE_STRING;
    v.string_value = keep(s);
    keys_.push_back(keep(k));
    items_.push_back(v);
  }
  for (const auto& [k, i] : ints) {
    strata_value v{};
    v.kind = STRATA_VALUE_INT;
    v.int_value = i;
    v.float_value = static_cast<double>(i);
    v.string_value = keep(std::to_string(i));
    keys_.push_back(keep(k));
    items_.push_back(v);
  }
  root_.kind = STRATA_VALUE_MAP;
  root_.keys = keys_.data();
  root_.items = items_.data();
  root_.count = items_.size();
}

}  // namespace strata::testing

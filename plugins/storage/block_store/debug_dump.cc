#include "debug_dump.h"

#include <limits>
#include <string>

#include "block_store.h"
#include "prompb/sample_line.h"
#include "query/sample_iterator.h"

namespace strata::block_store {
namespace {

std::string queryParam(std::string_view query, std::string_view name) {
  size_t pos = 0;
  while (pos <= query.size()) {
    size_t amp = query.find('&', pos);
    std::string_view kv = query.substr(pos, amp == std::string_view::npos ? amp : amp - pos);
    if (kv.substr(0, name.size()) == name && kv.size() > name.size() && kv[name.size()] == '=') {
      std::string out;
      std::string_view v = kv.substr(name.size() + 1);
      for (size_t i = 0; i < v.size(); ++i) {
        if (v[i] == '+') {
          out.push_back(' ');
        } else if (v[i] == '%' && i + 2 < v.size()) {
          out.push_back(static_cast<char>(std::stoi(std::string(v.substr(i + 1, 2)), nullptr, 16)));
          i += 2;
        } else {
          out.push_back(v[i]);
        }
      }
      return out;
    }
    if (amp == std::string_view::npos) break;
    pos = amp + 1;
  }
  return {};
}

}  // namespace

void serveDump(void* user, const strata_http_request* req, strata_http_response* resp) {
  auto* store = static_cast<BlockStore*>(user);
  if (sdk::view(req->path) == "/api/v1/strata/flush" && sdk::view(req->method) == "POST") {
    // Seals the whole head into blocks now (benchmarks measure bytes at rest with it).
    size_t n = store->flushHead();
    sdk::respond(resp, 200, "{\"blocks_written\":" + std::to_string(n) + "}\n");
    return;
  }
  if (sdk::view(req->path) != "/api/v1/strata/dump" || sdk::view(req->method) != "GET") {
    sdk::respond(resp, 404, "not found\n");
    return;
  }
  std::string tenant = queryParam(sdk::view(req->query), "tenant");
  if (tenant.empty()) tenant = store->options().default_tenant;
  const int64_t lo = std::numeric_limits<int64_t>::min(), hi = std::numeric_limits<int64_t>::max();
  std::string body;
  try {
    for (auto& s : store->selectSeries(tenant, {}, lo, hi)) {
      std::vector<strata_label> labels;
      for (const auto& [n, v] : s.labels) labels.push_back({sdk::str(n), sdk::str(v)});
      std::string series;
      prompb::appendSeries(series, labels.data(), labels.size());
      SampleIterator it(std::move(s.chunks), lo, hi);
      int64_t t;
      double v;
      int r;
      while ((r = it.next(&t, &v)) == 1) {
        body += series;
        body += ' ';
        prompb::appendValue(body, v);
        body += ' ';
        body += std::to_string(t);
        body += '\n';
      }
      if (r < 0) throw std::runtime_error(it.error());
    }
  } catch (const std::exception& e) {
    sdk::respond(resp, 500, std::string(e.what()) + "\n");
    return;
  }
  sdk::respond(resp, 200, body);
}

}  // namespace strata::block_store

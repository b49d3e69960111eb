// Writes a fixed, deterministic data set through remote write, so a real Prometheus and
// strata can hold identical data: 2 jobs x 5 instances x 2 codes of http_requests_total
// (counters), request_latency_seconds gauges and a few other names, one sample every 15 s
// over 50 minutes ending at END_S (Prometheus' head accepts up to ~1 h behind its newest).
//
// Usage: promql-load-gen URL END_S     (URL: .../api/v1/write)
#include <cmath>
#include <iostream>

#include "http_client.h"
#include "prompb/snappy_body.h"
#include "proto/remote.pb.h"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: promql-load-gen URL END_S\n";
    return 2;
  }
  std::string url = argv[1];
  size_t slash = url.find('/', url.find("//") + 2);
  std::string base = url.substr(0, slash), path = url.substr(slash);
  const int64_t end_ms = std::stoll(argv[2]) * 1000;
  const int64_t step_ms = 15000;
  const int steps = 50 * 60 / 15;
  prometheus::WriteRequest req;
  auto series = [&](std::vector<std::pair<std::string, std::string>> labels, auto value) {
    auto* ts = req.add_timeseries();
    for (auto& [k, v] : labels) {
      auto* l = ts->add_labels();
      l->set_name(k);
      l->set_value(v);
    }
    for (int i = 0; i <= steps; ++i) {
      auto* s = ts->add_samples();
      s->set_timestamp(end_ms - (steps - i) * step_ms);
      s->set_value(value(i));
    }
  };
  for (int j = 0; j < 2; ++j) {
    std::string job = j == 0 ? "api" : "web";
    for (int inst = 0; inst < 5; ++inst) {
      std::string instance = "host-" + std::to_string(inst) + ":9100";
      for (int code : {200, 500}) {
        double rate = (j + 1) * (inst + 1) * (code == 200 ? 3.0 : 0.25);
        series({{"__name__", "http_requests_total"},
                {"code", std::to_string(code)},
                {"instance", instance},
                {"job", job}},
               [&](int i) { return std::floor(rate * 15 * i + 0.5 * std::sin(i)); });
      }
      series({{"__name__", "request_latency_seconds"}, {"instance", instance}, {"job", job}},
             [&](int i) { return 0.05 * (inst + 1) + 0.01 * std::cos(i * 0.3 + j); });
    }
  }
  // Values from {0, 1, 2}: topk/bottomk must break the many ties as Prometheus does.
  for (int inst = 0; inst < 12; ++inst) {
    series({{"__name__", "tie_gauge"},
            {"instance", "host-" + std::to_string(inst)},
            {"job", inst % 2 ? "api" : "web"}},
           [inst](int i) { return double((inst * 7 + i / 4) % 3); });
  }
  series({{"__name__", "up"}, {"instance", "host-0:9100"}, {"job", "api"}},
         [](int) { return 1.0; });
  auto reply = strata::e2e::httpPost(base, path, strata::prompb::compress(req.SerializeAsString()),
                                     "application/x-protobuf", "", true);
  if (reply.status / 100 != 2) {
    std::cerr << "write failed: " << reply.status << " " << reply.body << "\n";
    return 1;
  }
  std::cout << "wrote " << req.timeseries_size() << " series\n";
  return 0;
}

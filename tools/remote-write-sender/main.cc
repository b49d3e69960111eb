// remote-write-sender: see sender_options.cc for what it does and prints.
#include <curl/curl.h>

#include <cstdio>
#include <memory>
#include <thread>
#include <vector>

#include "connection.h"
#include "sender_options.h"

int main(int argc, char** argv) {
  using namespace strata::rwsender;
  SenderOptions options;
  std::string message;
  if (!parseOptions(argc, argv, &options, &message)) {
    bool help = message.rfind("usage:", 0) == 0;
    std::fputs(message.c_str(), help ? stdout : stderr);
    return help ? 0 : 2;
  }
  AckLog log(options.ack_log);
  if (!log.ok()) {
    std::fprintf(stderr, "remote-write-sender: cannot open %s\n", options.ack_log.c_str());
    return 2;
  }
  curl_global_init(CURL_GLOBAL_DEFAULT);
  Totals totals;
  auto end = std::chrono::steady_clock::now() + std::chrono::seconds(options.duration_s);
  std::vector<std::unique_ptr<Connection>> connections;
  for (int64_t c = 0; c < options.connections; ++c)
    connections.push_back(std::make_unique<Connection>(options, c, totals, log));
  std::vector<std::thread> threads;
  for (auto& c : connections) threads.emplace_back([&c, end] { c->run(end); });
  for (auto& t : threads) t.join();
  connections.clear();
  curl_global_cleanup();

  std::printf("sent=%llu acked=%llu retried=%llu rejected=%llu connect_errors=%llu\n",
              static_cast<unsigned long long>(totals.sent.load()),
              static_cast<unsigned long long>(totals.acked.load()),
              static_cast<unsigned long long>(totals.retried.load()),
              static_cast<unsigned long long>(totals.rejected.load()),
              static_cast<unsigned long long>(totals.connect_errors.load()));
  if (totals.gave_up)
    std::fprintf(stderr, "remote-write-sender: gave up on %llu samples after retrying\n",
                 static_cast<unsigned long long>(totals.gave_up.load()));
  return totals.rejected || totals.connect_errors || totals.gave_up ? 1 : 0;
}

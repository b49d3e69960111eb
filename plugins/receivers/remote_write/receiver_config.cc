#include "receiver_config.h"

#include <stdexcept>
#include <vector>

namespace strata::remote_write {
namespace {

struct Problem {
  std::string path, message;
};

std::vector<Problem> check(const sdk::ConfigView& config, ReceiverConfig* out) {
  std::vector<Problem> problems;
  ReceiverConfig c;
  c.listen_address = config["listen_address"].asString(c.listen_address);
  c.tenant_header = config["tenant_header"].asString(c.tenant_header);
  c.default_tenant = config["default_tenant"].asString(c.default_tenant);
  auto nonNegative = [&](const char* name, int64_t fallback, size_t* field) {
    int64_t v = config[name].asInt(fallback);
    if (v < 0)
      problems.push_back({name, std::string(name) + ": must not be negative"});
    else
      *field = static_cast<size_t>(v);
  };
  nonNegative("max_body_bytes", 32 << 20, &c.limits.max_uncompressed_bytes);
  if (c.limits.max_uncompressed_bytes == 0)
    problems.push_back({"max_body_bytes", "max_body_bytes: must be positive"});
  nonNegative("max_series_per_request", 0, &c.limits.max_series);
  nonNegative("max_label_count", 0, &c.limits.max_label_count);
  nonNegative("max_label_value_length", 0, &c.limits.max_label_value_length);
  std::string ack = config["ack"].asString("accepted");
  if (ack != "accepted" && ack != "delivered")
    problems.push_back({"ack", "ack: must be accepted or delivered, not \"" + ack + "\""});
  c.ack_on_delivery = ack == "delivered";
  if (c.listen_address.find(':') == std::string::npos)
    problems.push_back({"listen_address", "listen_address: must be host:port"});
  *out = c;
  return problems;
}

}  // namespace

ReceiverConfig ReceiverConfig::parse(const sdk::ConfigView& config) {
  ReceiverConfig c;
  auto problems = check(config, &c);
  if (!problems.empty()) throw std::invalid_argument(problems.front().message);
  return c;
}

void validateConfig(const sdk::ConfigView& config, strata_diag_sink* sink) {
  ReceiverConfig c;
  for (const auto& p : check(config, &c)) sink->report(sink, p.path.c_str(), p.message.c_str());
}

}  // namespace strata::remote_write

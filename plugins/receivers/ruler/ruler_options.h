// The ruler's options as parsed values, and the rule files they name (globs expanded).
#pragma once

#include <map>
#include <strata/sdk.hpp>
#include <string>
#include <vector>

#include "notifier.h"
#include "rule_file.h"

namespace strata::ruler {

struct RulerOptions {
  std::vector<std::string> sources, rule_files;
  int64_t evaluation_interval_ms = 60000, lookback_delta_ms = 300000, query_timeout_ms = 120000;
  std::map<std::string, std::string> external_labels;
  std::string external_url, tenant, listen_address;
  int64_t resend_delay_ms = 60000;
  int64_t send_retries = 3, notification_queue_capacity = 10000;
  std::vector<AlertmanagerTarget> alertmanagers;
};

RulerOptions parseOptions(const sdk::ConfigView& c);
// Every group of every rule file (globs expanded, sorted); errors as "file:line:col: msg".
ParseResult loadRuleFiles(const std::vector<std::string>& patterns);
// Problems as (option path, message), for the validate hook.
std::vector<std::pair<std::string, std::string>> checkOptions(const sdk::ConfigView& c);

}  // namespace strata::ruler

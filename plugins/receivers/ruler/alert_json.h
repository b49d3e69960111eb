// JSON of alerts: Alertmanager API v2's postable alerts, and RFC 3339 times.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "rule_eval.h"

namespace strata::ruler {

std::string rfc3339(int64_t ms);
// [{"labels":{...},"annotations":{...},"startsAt":...,"endsAt":...,"generatorURL":...}]:
// external labels added where the alert has no label of that name, as Prometheus' notifier.
std::string alertmanagerPayload(const std::vector<Alert>& alerts,
                                const std::map<std::string, std::string>& external_labels,
                                const std::string& external_url);
std::string jsonStringMap(const std::map<std::string, std::string>& m);
std::string jsonLabels(const promql::Labels& l);

}  // namespace strata::ruler

// /api/v1/rules and /api/v1/alerts in Prometheus' shapes (web/api/v1 as of 2.42), from group
// snapshots.
#pragma once

#include <string>
#include <vector>

#include "group_runner.h"

namespace strata::ruler {

// `type`: "" (all), "alert" or "record", as the API's type parameter.
std::string rulesJson(const std::vector<GroupStatus>& groups, const std::string& type);
std::string alertsJson(const std::vector<GroupStatus>& groups);

}  // namespace strata::ruler

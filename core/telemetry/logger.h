// Structured logs in logfmt on stderr: ts=... level=... component=... msg="..." k=v.
// Every line from a component carries its id.
#pragma once

#include <strata/plugin_abi.h>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace strata::telemetry {

using LogFields = std::vector<std::pair<std::string, std::string>>;

// THREAD: any; lines are written whole.
void log(strata_log_level level, std::string_view component, std::string_view message,
         const LogFields& fields = {});
void setLogLevel(strata_log_level level);
bool parseLogLevel(std::string_view text, strata_log_level* out);
// One logfmt line (no newline), exposed for tests.
std::string formatLogLine(strata_log_level level, std::string_view component,
                          std::string_view message, const LogFields& fields);

}  // namespace strata::telemetry

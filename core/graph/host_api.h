// The strata_host_api table the host hands every plugin instance.
#pragma once

#include <strata/plugin_abi.h>

namespace strata::graph {
class Instance;
}

// Definition of the ABI's opaque per-instance handle.
struct strata_host_ctx {
  strata::graph::Instance* instance;
};

namespace strata::graph {
const strata_host_api* hostApi();
}

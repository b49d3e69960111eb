// One tenant's store (like a TSDB in Thanos receive's multi-TSDB): its head and its blocks
// in <root>/<tenant>/.
#pragma once

#include <string>

#include "block_set.h"
#include "head/head.h"

namespace strata::block_store {

struct TenantDb {
  TenantDb(std::string name, std::string dir, HeadOptions options)
      : name(std::move(name)), dir(std::move(dir)), head(options) {}
  const std::string name;
  const std::string dir;
  Head head;
  BlockSet blocks;
};

}  // namespace strata::block_store

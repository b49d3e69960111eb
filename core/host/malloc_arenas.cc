#include "core/host/malloc_arenas.h"

#include <cstdlib>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "core/telemetry/logger.h"

namespace strata::host {

void limitMallocArenas(int64_t max) {
  if (max <= 0 || std::getenv("MALLOC_ARENA_MAX")) return;
#if defined(__GLIBC__)
  if (mallopt(M_ARENA_MAX, static_cast<int>(max)) == 1) return;
#endif
  telemetry::log(STRATA_LOG_WARN, "host", "server.malloc_arena_max is not supported here");
}

}  // namespace strata::host

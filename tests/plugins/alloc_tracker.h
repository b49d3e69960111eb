// Records the largest single allocation made through operator new, so tests can prove that a
// hostile body never makes the decoder allocate beyond its cap.
#pragma once

#include <cstddef>

namespace strata::testing {

void resetLargestAllocation();
size_t largestAllocation();

}  // namespace strata::testing

// Host-side helpers over the ABI's metrics batch view.
#pragma once

#include <strata/plugin_abi.h>

#include <vector>

#include "core/model/labels.h"
#include "core/model/sample.h"

namespace strata::model {

// The labels of series `series` of `batch`, interned. Throws std::invalid_argument if the
// batch breaks the ABI's rule (names unique) for that series, or `series` is out of range.
Labels labelsOf(const strata_metrics_batch& batch, size_t series);

// The samples of series `series` of `batch`, copied.
std::vector<Sample> samplesOf(const strata_metrics_batch& batch, size_t series);

}  // namespace strata::model

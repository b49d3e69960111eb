// The one text form of a delivered sample, shared by the debug exporter's output_file and
// remote-write-sender's --ack-log so that the two files can be compared byte for byte:
//
//   metric_name{a="x",b="y"} <value> <timestamp_ms>\n
//
// Labels are the batch's (sorted by name, __name__ first as the metric name and left out of
// the braces; no braces when nothing else is left). Values use the exposition format's escapes
// (\\, \", \n). The value is the shortest text that reads back to the same double, with NaN,
// +Inf and -Inf spelled as Prometheus spells them.
#pragma once

#include <cstdint>
#include <strata/sdk.hpp>
#include <string>

namespace strata::prompb {

// Appends `metric{labels}` for the given sorted labels.
void appendSeries(std::string& out, const strata_label* labels, size_t count);

// Appends the shortest round-trip text of `v` (NaN, +Inf, -Inf spelled out).
void appendValue(std::string& out, double v);

// Appends one line per sample of series `i`.
void appendSeriesLines(std::string& out, const sdk::BatchView& batch, size_t i);

// Appends one line per sample of the whole batch, series by series.
void appendBatchLines(std::string& out, const sdk::BatchView& batch);

}  // namespace strata::prompb

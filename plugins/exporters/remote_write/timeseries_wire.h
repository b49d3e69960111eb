// One remote write 1.0 TimeSeries (field 1 of a WriteRequest) written straight from a batch's
// labels and samples onto the protobuf wire: its exact size first, then its bytes. The bytes are
// those of prometheus::WriteRequest::SerializeAsString() for the same series (proto3: a label's
// empty name or value, a sample's 0 timestamp and its +0.0 value are left out), so a queue
// entry written here is byte for byte what the generated code would write, without building a
// message object (and a copy of every label string) per series first.
//
//   TimeSeries = 1 labels {1 name, 2 value} ..., 2 samples {1 double value, 2 int64 timestamp} ...
#pragma once

#include <strata/plugin_abi.h>

#include <cstddef>
#include <cstdint>

namespace strata::rwexporter {

// A series' labels as they go on the wire: its own, merged by name with `added` (the exporter's
// external labels) except those whose name it has itself (its own value wins). Both sorted by
// name with unique names, as the ABI guarantees for a batch's series.
struct WireLabels {
  const strata_label* own = nullptr;
  uint32_t own_count = 0;
  const strata_label* added = nullptr;
  uint32_t added_count = 0;
};

// The encoded size of the labels inside a TimeSeries (their tags and lengths included).
size_t labelsWireSize(const WireLabels& labels);
// The encoded size of `count` samples inside a TimeSeries.
size_t samplesWireSize(const int64_t* ts, const double* values, uint32_t count);
// The size of a WriteRequest's TimeSeries field (tag and length included) whose labels and
// samples take these sizes.
size_t timeSeriesFieldSize(size_t labels_size, size_t samples_size);

// Writes the TimeSeries field at `out`, which has timeSeriesFieldSize(labels_size,
// samples_size) bytes; returns the end of what it wrote. The sizes are those the functions
// above returned for the same labels and samples.
char* writeTimeSeriesField(char* out, const WireLabels& labels, size_t labels_size,
                           const int64_t* ts, const double* values, uint32_t sample_count,
                           size_t samples_size);

}  // namespace strata::rwexporter

#include "exporter_metrics.h"

#include <chrono>

namespace strata::rwexporter {

ExporterMetrics::ExporterMetrics(const sdk::Host& h)
    : samples_in(h.counter("strata_remote_write_samples_in_total",
                           "Samples accepted into the durable queue (acknowledged upstream).")),
      samples_sent(h.counter("strata_remote_write_samples_sent_total",
                             "Samples the remote end acknowledged with a 2xx.")),
      samples_failed(h.counter("strata_remote_write_samples_failed_total",
                               "Samples the remote end refused for good (4xx); dropped.")),
      samples_retried(h.counter("strata_remote_write_samples_retried_total",
                                "Samples in requests that failed retryably and were resent.")),
      dropped_queue_full(h.counter("strata_remote_write_samples_dropped_total",
                                   "Samples dropped by the exporter itself, by reason.",
                                   {{"reason", "queue_full"}})),
      dropped_too_large(h.counter("strata_remote_write_samples_dropped_total",
                                  "Samples dropped by the exporter itself, by reason.",
                                  {{"reason", "too_large"}})),
      dropped_relabel(h.counter("strata_remote_write_samples_dropped_total",
                                "Samples dropped by the exporter itself, by reason.",
                                {{"reason", "relabel"}})),
      queue_bytes(h.gauge("strata_remote_write_queue_bytes",
                          "Logical bytes of the entries in the durable queue.")),
      queue_samples(
          h.gauge("strata_remote_write_queue_samples", "Samples waiting in the durable queue.")),
      oldest_age(h.gauge("strata_remote_write_queue_oldest_sample_age_seconds",
                         "Age of the oldest sample still queued (0 when empty).")),
      highest_sent(h.gauge("strata_remote_write_queue_highest_sent_timestamp_seconds",
                           "Largest sample timestamp acknowledged by the remote end.")),
      shards(h.gauge("strata_remote_write_shards", "Shards (parallel senders) running.")),
      shards_desired(h.gauge("strata_remote_write_shards_desired",
                             "Shards the last resharding computation asked for, unrounded and "
                             "before the tolerance band and the min/max clamp.")),
      shards_min(h.gauge("strata_remote_write_shards_min", "queue_config.min_shards.")),
      shards_max(h.gauge("strata_remote_write_shards_max", "queue_config.max_shards.")),
      send_seconds(h.counter("strata_remote_write_send_duration_seconds_total",
                             "Time spent in HTTP requests to the remote end.")),
      sends(h.counter("strata_remote_write_sends_total",
                      "HTTP requests to the remote end, successful or not.")),
      send_errors(h.counter("strata_remote_write_send_errors_total",
                            "HTTP requests that failed (network error or non-2xx).")) {}

void ExporterMetrics::updateQueue(const QueueStats& s) {
  queue_bytes.set(static_cast<double>(s.bytes));
  queue_samples.set(static_cast<double>(s.samples));
  if (s.entries == 0) {
    oldest_age.set(0);
    return;
  }
  auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                    std::chrono::system_clock::now().time_since_epoch())
                    .count();
  oldest_age.set(now_ms > s.oldest_ts ? (now_ms - s.oldest_ts) / 1000.0 : 0);
}

void ExporterMetrics::noteSent(int64_t ts_ms) {
  int64_t cur = highest_sent_ts_.load();
  while (ts_ms > cur && !highest_sent_ts_.compare_exchange_weak(cur, ts_ms)) {
  }
  if (ts_ms >= cur) highest_sent.set(ts_ms / 1000.0);
}

}  // namespace strata::rwexporter

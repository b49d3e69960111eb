// Renders a registry that exercises everything the text format has to get right (labels,
// escapes, special values, process metrics) on stdout, for `promtool check metrics`.
#include <cmath>
#include <cstdio>
#include <limits>

#include "core/telemetry/metrics_registry.h"
#include "core/telemetry/process_metrics.h"

int main() {
  strata::telemetry::MetricsRegistry r;
  r.counter("strata_receiver_samples_total", "Samples accepted by a receiver.",
            {{"component", "remote_write"}, {"tenant", "team-a"}})
      ->add(12345);
  r.counter("strata_receiver_samples_total", "Samples accepted by a receiver.",
            {{"component", "prometheus_scrape/edge"}, {"tenant", ""}})
      ->add(0.5);
  r.counter("strata_http_requests_total", "Requests by path.\nSecond line with a \\ backslash.",
            {{"path", "/api/v1/query?q=\"up\"\\n"}, {"code", "200"}})
      ->add(1e15);
  r.counter("strata_http_requests_total", "Requests by path.\nSecond line with a \\ backslash.",
            {{"path", "multi\nline \xc3\xbc"}, {"code", "500"}})
      ->add(1);
  r.gauge("strata_config_last_reload_successful", "Whether the last reload succeeded.")->set(1);
  r.gauge("strata_queue_fill_ratio", "Fill of an edge queue.", {{"edge", "a->b"}})->set(1.0 / 3);
  r.gauge("strata_clock_skew_seconds", "Odd values.", {{"kind", "nan"}})->set(std::nan(""));
  r.gauge("strata_clock_skew_seconds", "Odd values.", {{"kind", "inf"}})
      ->set(std::numeric_limits<double>::infinity());
  r.gauge("strata_clock_skew_seconds", "Odd values.", {{"kind", "neg"}})->set(-2.5e-9);
  r.gauge("strata_build_info", "Build information.", {{"version", "0.1.0"}})->set(1);
  strata::telemetry::updateProcessMetrics(r);
  std::fputs(r.render().c_str(), stdout);
  return 0;
}

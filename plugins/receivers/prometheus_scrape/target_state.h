// What one target's scrapes turn into: the exposed series (with target labels attached per
// honor_labels, metric_relabel_configs applied, limits enforced), stale markers for series that
// disappeared since the previous scrape, and the five report series (up, ...). Also keeps the
// TYPE/HELP/UNIT metadata of the target's metric families.
//
// THREAD: one scrape at a time per target (the scheduler guarantees it); metadata() may be
// called from any thread.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "exposition_parser.h"
#include "relabel/label_set.h"
#include "scrape_config.h"
#include "scraped_samples.h"
#include "target.h"

namespace strata::scrape {

// The outcome of fetching /metrics: ok with a body, or an error text.
struct FetchOutcome {
  bool ok = false;
  std::string error;
  std::string_view body;
  std::string content_type;
};

struct FamilyMetadata {
  std::string type = "unknown", help, unit;
};

// The target's metadata and a version that changes whenever any of it changed.
struct MetadataSnapshot {
  uint64_t version = 0;
  std::map<std::string, FamilyMetadata> families;
};

struct ScrapeStats {
  bool up = false;
  size_t scraped = 0, post_relabel = 0, series_added = 0, stale_markers = 0;
  std::string error;
};

class TargetState {
 public:
  TargetState(const JobConfig& job, Target target);

  // Appends to `out` the samples of one scrape that started at `start_ms` and took
  // `duration_s`, its stale markers and report series.
  ScrapeStats ingest(const FetchOutcome& f, int64_t start_ms, double duration_s,
                     ScrapedSamples* out);

  // Stale markers for every series this target produced last, report series included: the
  // target is gone.
  void endOfRun(int64_t ts_ms, ScrapedSamples* out);

  const Target& target() const { return target_; }
  const JobConfig& job() const { return job_; }
  std::map<std::string, FamilyMetadata> metadata() const;
  // Bumped by a scrape that added or changed a family's TYPE, HELP or UNIT (0: none yet).
  uint64_t metadataVersion() const;
  MetadataSnapshot metadataSnapshot() const;

 private:
  class Collector;
  void addReport(int64_t ts, const ScrapeStats& s, double duration_s, ScrapedSamples* out);

  JobConfig job_;  // a copy: the target outlives reloads of nothing else
  Target target_;
  ExpositionParser parser_;
  // The series of the last scrape, tracked for staleness: labels packed (packed_labels.h).
  std::unordered_map<uint64_t, std::string> last_;
  bool reported_ = false;
  size_t last_samples_ = 0, last_label_bytes_ = 0;  // the last scrape's, to size the next
  mutable std::mutex meta_mu_;
  std::map<std::string, FamilyMetadata> metadata_;
  uint64_t metadata_version_ = 0;
};

// FNV-1a over sorted labels (the SDK's series hash).
uint64_t hashLabels(const std::vector<relabel::Label>& labels);

}  // namespace strata::scrape

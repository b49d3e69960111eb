// The prometheus_scrape receiver.
//
// Lifecycle: create parses and checks the config (throws on a bad one); start() runs discovery
// once, then starts one discovery thread (re-checks sources every second) and a small pool of
// scrape workers (`workers`, default 4) shared by all targets; drain()/stop() end and join them
// (idempotent). Targets are spread over their interval by a hash offset, as Prometheus does;
// a target is never scraped by two workers at once.
//
// Every scrape becomes one batch (series, stale markers, report series). When the pipeline
// answers RETRY the batch is held and sent again with the next scrape of that target, once;
// if that fails too it is dropped and counted.
//
// Acknowledgement (`ack`, default `delivered`): batches carry STRATA_BATCH_ACK_ON_DELIVERY, so
// a scrape is done only once every sink consumed or committed it (the remote_write exporter:
// its durable queue), as Prometheus' agent commits a scrape to its WAL; a SIGKILL then loses
// no finished scrape. Waiting for delivery must not hold a scrape worker (a slow downstream
// would stall every target sharing it), so the worker only fetches and parses; the emit and
// its wait run on a thread of their own per scrape in flight (at most one per target), and the
// target stays busy until it is answered: if that takes longer than its interval, its next
// scrapes are skipped on their grid (phase kept), never queued up. Other targets keep their
// schedule. `ack: accepted` emits on the worker, answered once the downstream queues took it.
//
// Metadata (TYPE/HELP/UNIT of the target's families, send_metadata) rides along with a
// scrape's batch only when it changed since it was last accepted downstream, or when
// `metadata_interval` passed since then: a target's metadata rarely changes, so sending it
// with every scrape would multiply the bytes of small targets, while the periodic resend
// lets a downstream that restarted or was added by a reload learn it again (stores keep it
// in memory only, as Prometheus' scrape cache does).
#pragma once

#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <strata/sdk.hpp>
#include <string>
#include <thread>
#include <vector>

#include "discovery.h"
#include "http_fetcher.h"
#include "scrape_config.h"
#include "target_state.h"

namespace strata::scrape {

struct MetadataRecord {
  std::string job, instance, family;
  FamilyMetadata meta;
};

class ScrapeReceiver : public sdk::Component {
 public:
  ScrapeReceiver(sdk::Host host, sdk::ConfigView config);
  ~ScrapeReceiver() override;

  strata_status start() override;
  strata_status drain() override;
  void stop() override;
  static void validate(const sdk::ConfigView& config, strata_diag_sink* sink);

  // TYPE/HELP/UNIT per target and metric family, for the metadata API and remote write.
  std::vector<MetadataRecord> metadata() const;
  // Current targets' URLs (tests, debugging).
  std::vector<std::string> targetUrls() const;

 private:
  struct Slot {
    std::unique_ptr<TargetState> state;
    HttpFetcher fetcher;
    std::string job;
    int64_t next_ms = 0;
    bool busy = false, removed = false;
    ScrapedSamples pending;          // one held batch after RETRY
    uint64_t meta_sent_version = 0;  // metadata version last accepted downstream
    int64_t meta_sent_ms = 0;
  };

  // One scrape's output, waiting to be emitted.
  struct Scraped {
    ScrapedSamples samples;
    std::optional<MetadataSnapshot> meta;
  };

  void syncTargets(int64_t now_ms);
  void discoveryLoop();
  void workerLoop();
  Scraped scrape(Slot& slot);
  // Emits a scrape's output, then ends the slot's turn (busy off, next slot on the grid).
  void deliver(const std::shared_ptr<Slot>& slot, Scraped&& out);
  // deliver() on a thread of its own (ack on delivery). Called with mu_ held.
  void deliverAsync(const std::shared_ptr<Slot>& slot, Scraped&& out);
  void emit(Slot& slot, ScrapedSamples&& samples, bool hold_on_retry,
            const MetadataSnapshot* meta = nullptr);
  // The target's metadata if it is due (see above), else nothing.
  std::optional<MetadataSnapshot> dueMetadata(const Slot& slot, int64_t now_ms) const;
  void retire(Slot& slot, int64_t now_ms);
  void halt();

  ScrapeConfig config_;
  std::vector<std::unique_ptr<JobDiscovery>> discovery_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::map<uint64_t, std::shared_ptr<Slot>> slots_;
  bool stopping_ = false, started_ = false;
  std::vector<std::thread> workers_;
  // Threads of deliverAsync() by id; a finished one puts its id in emitters_done_ as its last
  // step under mu_ and is joined by the next deliverAsync() or halt().
  std::map<uint64_t, std::thread> emitters_;
  std::vector<uint64_t> emitters_done_;
  uint64_t next_emitter_ = 0;
  std::thread discovery_thread_;
  sdk::Metric targets_, scrapes_, failed_scrapes_, emitted_, retried_, dropped_, sd_errors_,
      metadata_sent_;
};

}  // namespace strata::scrape

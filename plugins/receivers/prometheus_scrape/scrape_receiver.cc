#include "scrape_receiver.h"

#include <algorithm>
#include <chrono>
#include <set>

#include "packed_labels.h"

namespace strata::scrape {
namespace {

int64_t nowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Prometheus' offset: the first scrape lands at hash % interval within the interval grid, so
// targets spread evenly and a restart keeps each target's phase.
int64_t firstScrape(uint64_t hash, int64_t interval, int64_t now) {
  int64_t base = interval - now % interval;
  int64_t next = base + static_cast<int64_t>(hash % static_cast<uint64_t>(interval));
  if (next > interval) next -= interval;
  return now + next;
}

// One scrape's samples as a batch sized up front. Its label views point into the samples'
// packed label bytes, which the batch keeps alive (shared, not copied: the receiver may hold the
// same samples for a retry); with the target's metadata when `meta` is given.
strata_metrics_batch* buildBatch(const std::string& tenant, const ScrapedSamples& all,
                                 const MetadataSnapshot* meta, uint32_t flags) {
  size_t labels = 0, most = 0;
  std::string_view name, value;
  for (size_t i = 0; i < all.size(); ++i) {
    size_t n = 0;
    for (std::string_view p = all.at(i).labels; nextPackedLabel(p, &name, &value);) ++n;
    labels += n;
    most = std::max(most, n);
  }
  sdk::BatchBuilder b(tenant);
  b.reserve(all.size(), labels, all.size());
  if (auto bytes = all.labelBytes()) b.keepShared(std::move(bytes));
  std::vector<sdk::BatchBuilder::LabelView> views;
  views.reserve(most);
  for (size_t i = 0; i < all.size(); ++i) {
    SampleRef s = all.at(i);
    views.clear();
    for (std::string_view p = s.labels; nextPackedLabel(p, &name, &value);)
      views.emplace_back(name, value);
    b.beginSeriesViews(views.data(), views.size());
    b.addSample(s.timestamp_ms, s.value);
  }
  if (meta) {
    for (const auto& [family, m] : meta->families)
      b.addMetadata(family, sdk::familyTypeFromName(m.type), m.help, m.unit);
  }
  return b.finish(flags);
}

}  // namespace

ScrapeReceiver::ScrapeReceiver(sdk::Host host, sdk::ConfigView config)
    : sdk::Component(host),
      config_(parseScrapeConfigOrThrow(config)),
      targets_(host.gauge("strata_scrape_targets", "Targets being scraped.")),
      scrapes_(host.counter("strata_scrape_scrapes_total", "Scrapes performed.")),
      failed_scrapes_(
          host.counter("strata_scrape_failed_scrapes_total", "Scrapes that failed (up == 0).")),
      emitted_(
          host.counter("strata_scrape_samples_emitted_total", "Samples the pipeline accepted.")),
      retried_(host.counter("strata_scrape_samples_retried_total",
                            "Samples held after RETRY, sent again with the next scrape.")),
      dropped_(host.counter("strata_scrape_samples_dropped_total",
                            "Samples dropped: REJECT, or RETRY twice.")),
      sd_errors_(host.counter("strata_scrape_sd_errors_total",
                              "Failed reads of file_sd files and http_sd fetches.")),
      metadata_sent_(host.counter("strata_scrape_metadata_sent_total",
                                  "Metric family metadata entries the pipeline accepted.")) {
  for (const auto& job : config_.jobs) discovery_.push_back(std::make_unique<JobDiscovery>(job));
}

ScrapeReceiver::~ScrapeReceiver() { halt(); }

void ScrapeReceiver::validate(const sdk::ConfigView& config, strata_diag_sink* sink) {
  validateScrapeConfig(config, sink);
}

void ScrapeReceiver::syncTargets(int64_t now_ms) {
  std::map<uint64_t, std::pair<const JobConfig*, Target>> wanted;
  for (size_t j = 0; j < config_.jobs.size(); ++j) {
    std::vector<std::string> errors;
    discovery_[j]->refresh(now_ms, &errors);
    for (const auto& e : errors) {
      sd_errors_.add();
      host().warn("service discovery failed", {{"job", config_.jobs[j].job_name}, {"err", e}});
    }
    for (const auto& d : discovery_[j]->targets()) {
      std::string error;
      auto t = buildTarget(config_.jobs[j], d, &error);
      if (!t) {
        if (!error.empty())
          host().warn("invalid target", {{"labels", d.toString()}, {"err", error}});
        continue;
      }
      wanted.emplace(t->hash, std::make_pair(&config_.jobs[j], std::move(*t)));
    }
  }
  std::vector<std::shared_ptr<Slot>> retired;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto it = slots_.begin(); it != slots_.end();) {
      if (wanted.count(it->first)) {
        ++it;
        continue;
      }
      it->second->removed = true;
      if (!it->second->busy) retired.push_back(it->second);
      it = slots_.erase(it);
    }
    for (auto& [hash, jt] : wanted) {
      if (slots_.count(hash)) continue;
      auto slot = std::make_shared<Slot>();
      slot->job = jt.first->job_name;
      slot->next_ms = firstScrape(hash, jt.second.interval_ms, now_ms);
      slot->state = std::make_unique<TargetState>(*jt.first, std::move(jt.second));
      slots_.emplace(hash, std::move(slot));
    }
    targets_.set(static_cast<double>(slots_.size()));
  }
  cv_.notify_all();
  for (auto& s : retired) retire(*s, now_ms);
}

void ScrapeReceiver::retire(Slot& slot, int64_t now_ms) {
  ScrapedSamples stale = std::move(slot.pending);
  slot.pending.clear();
  slot.state->endOfRun(now_ms, &stale);
  if (!stale.empty()) emit(slot, std::move(stale), false);
}

std::optional<MetadataSnapshot> ScrapeReceiver::dueMetadata(const Slot& slot,
                                                            int64_t now_ms) const {
  if (!config_.send_metadata) return std::nullopt;
  uint64_t version = slot.state->metadataVersion();
  if (version == 0) return std::nullopt;  // the target exposes no metadata
  bool changed = version != slot.meta_sent_version;
  bool periodic = config_.metadata_interval_ms > 0 &&
                  now_ms - slot.meta_sent_ms >= config_.metadata_interval_ms;
  if (!changed && !periodic) return std::nullopt;
  return slot.state->metadataSnapshot();
}

void ScrapeReceiver::emit(Slot& slot, ScrapedSamples&& samples, bool hold_on_retry,
                          const MetadataSnapshot* meta) {
  size_t held = slot.pending.size();
  ScrapedSamples all = std::move(slot.pending);
  slot.pending.clear();
  if (held == 0) {
    all = std::move(samples);  // the usual case: no copy
  } else {
    all.append(samples);
  }
  samples.clear();
  uint32_t flags = config_.ack_on_delivery ? STRATA_BATCH_ACK_ON_DELIVERY : 0;
  strata_status st = host().emit(buildBatch(config_.tenant, all, meta, flags));
  if (meta && st == STRATA_OK) {  // not accepted: it goes again with the next scrape
    slot.meta_sent_version = meta->version;
    slot.meta_sent_ms = nowMs();
    metadata_sent_.add(static_cast<double>(meta->families.size()));
  }
  double fresh = static_cast<double>(all.size() - held);
  if (st == STRATA_OK) {
    emitted_.add(static_cast<double>(all.size()));
  } else if (st == STRATA_RETRY && hold_on_retry) {
    // The held part had its one retry: drop it; keep this scrape's samples for the next one.
    if (held) dropped_.add(static_cast<double>(held));
    retried_.add(fresh);
    slot.pending = all.tail(held);
  } else {
    dropped_.add(static_cast<double>(all.size()));
  }
}

ScrapeReceiver::Scraped ScrapeReceiver::scrape(Slot& slot) {
  const Target& t = slot.state->target();
  auto t0 = std::chrono::steady_clock::now();
  int64_t start_ms = nowMs();
  const JobConfig& job = slot.state->job();
  FetchOutcome f = slot.fetcher.fetch(job, t.url, t.timeout_ms, job.body_size_limit);
  double duration = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  Scraped out;
  ScrapeStats st = slot.state->ingest(f, start_ms, duration, &out.samples);
  scrapes_.add();
  if (!st.up) {
    failed_scrapes_.add();
    host().warn("scrape failed", {{"target", t.url}, {"err", st.error}});
  }
  if (st.up) out.meta = dueMetadata(slot, nowMs());
  return out;
}

void ScrapeReceiver::deliver(const std::shared_ptr<Slot>& slot, Scraped&& out) {
  emit(*slot, std::move(out.samples), true, out.meta ? &*out.meta : nullptr);
  std::unique_lock<std::mutex> lock(mu_);
  slot->busy = false;
  int64_t interval = slot->state->target().interval_ms;
  slot->next_ms += interval;
  int64_t now = nowMs();
  if (slot->next_ms <= now)  // fell behind: skip missed slots, keep the phase
    slot->next_ms += ((now - slot->next_ms) / interval + 1) * interval;
  if (slot->removed) {
    lock.unlock();
    retire(*slot, nowMs());
    lock.lock();
  }
  cv_.notify_all();
}

void ScrapeReceiver::deliverAsync(const std::shared_ptr<Slot>& slot, Scraped&& out) {
  for (uint64_t id : emitters_done_) {  // finished: joining returns at once
    auto it = emitters_.find(id);
    if (it == emitters_.end()) continue;  // joined by halt()
    it->second.join();
    emitters_.erase(it);
  }
  emitters_done_.clear();
  uint64_t id = next_emitter_++;
  emitters_.emplace(id, std::thread([this, id, slot, out = std::move(out)]() mutable {
                      deliver(slot, std::move(out));
                      std::lock_guard<std::mutex> lock(mu_);
                      emitters_done_.push_back(id);
                    }));
}

void ScrapeReceiver::workerLoop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopping_) {
    std::shared_ptr<Slot> due;
    int64_t earliest = INT64_MAX, now = nowMs();
    for (auto& [h, s] : slots_) {
      if (s->busy) continue;
      if (s->next_ms <= now) {
        due = s;
        break;
      }
      earliest = std::min(earliest, s->next_ms);
    }
    if (!due) {
      if (earliest == INT64_MAX) {
        cv_.wait(lock);
      } else {
        cv_.wait_for(lock, std::chrono::milliseconds(earliest - now));
      }
      continue;
    }
    due->busy = true;
    lock.unlock();
    Scraped out = scrape(*due);
    if (config_.ack_on_delivery) {
      lock.lock();
      deliverAsync(due, std::move(out));
      continue;
    }
    deliver(due, std::move(out));
    lock.lock();
  }
}

void ScrapeReceiver::discoveryLoop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopping_) {
    cv_.wait_for(lock, std::chrono::seconds(1), [this] { return stopping_; });
    if (stopping_) break;
    lock.unlock();
    syncTargets(nowMs());
    lock.lock();
  }
}

strata_status ScrapeReceiver::start() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (started_) return STRATA_OK;
    started_ = true;
    stopping_ = false;
  }
  syncTargets(nowMs());
  std::lock_guard<std::mutex> lock(mu_);
  for (int i = 0; i < config_.workers; ++i) workers_.emplace_back([this] { workerLoop(); });
  discovery_thread_ = std::thread([this] { discoveryLoop(); });
  return STRATA_OK;
}

void ScrapeReceiver::halt() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  for (auto& w : workers_)
    if (w.joinable()) w.join();
  workers_.clear();
  if (discovery_thread_.joinable()) discovery_thread_.join();
  // Nothing starts an emitter any more; each ends within the host's delivery deadline.
  std::map<uint64_t, std::thread> emitters;
  {
    std::lock_guard<std::mutex> lock(mu_);
    emitters.swap(emitters_);
    emitters_done_.clear();
  }
  for (auto& [id, t] : emitters) t.join();
  std::lock_guard<std::mutex> lock(mu_);
  emitters_done_.clear();
}

strata_status ScrapeReceiver::drain() {
  halt();
  return STRATA_OK;
}

void ScrapeReceiver::stop() { halt(); }

std::vector<MetadataRecord> ScrapeReceiver::metadata() const {
  std::vector<MetadataRecord> out;
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& [h, s] : slots_) {
    const Target& t = s->state->target();
    for (auto& [family, m] : s->state->metadata())
      out.push_back({s->job, std::string(t.public_labels.get("instance")), family, m});
  }
  return out;
}

std::vector<std::string> ScrapeReceiver::targetUrls() const {
  std::vector<std::string> out;
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& [h, s] : slots_) out.push_back(s->state->target().url);
  return out;
}

}  // namespace strata::scrape

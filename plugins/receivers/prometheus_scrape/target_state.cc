#include "target_state.h"

#include <algorithm>
#include <strata/sdk.hpp>
#include <unordered_set>

#include "packed_labels.h"

namespace strata::scrape {
namespace {

// Prometheus' mutateSampleLabels: attach the target's labels to an exposed series.
void attachTargetLabels(const relabel::LabelSet& target, bool honor, relabel::LabelSet& ls) {
  if (honor) {
    for (const auto& l : target.labels())
      if (!ls.has(l.name)) ls.set(l.name, l.value);
    return;
  }
  std::vector<relabel::Label> conflicts;
  relabel::LabelSet exposed = ls;
  for (const auto& l : target.labels()) {
    std::string_view existing = exposed.get(l.name);
    if (!existing.empty()) conflicts.push_back({l.name, std::string(existing)});
    ls.set(l.name, l.value);
  }
  if (conflicts.empty()) return;
  // resolveConflictingExposedLabels: shortest names first, exported_ prepended until free.
  std::stable_sort(conflicts.begin(), conflicts.end(),
                   [](const auto& a, const auto& b) { return a.name.size() < b.name.size(); });
  for (size_t i = 0; i < conflicts.size(); ++i) {
    std::string name = conflicts[i].name;
    while (true) {
      name = "exported_" + name;
      bool taken = exposed.has(name) || target.has(name);
      for (size_t k = 0; k < i && !taken; ++k) taken = conflicts[k].name == name;
      if (!taken) break;
    }
    conflicts[i].name = name;
  }
  for (const auto& c : conflicts) ls.set(c.name, c.value);
}

}  // namespace

uint64_t hashLabels(const std::vector<relabel::Label>& labels) {
  uint64_t h = 0xcbf29ce484222325ULL;
  auto mix = [&h](const std::string& s) {
    for (unsigned char c : s) {
      h ^= c;
      h *= 0x100000001b3ULL;
    }
    h ^= 0xff;
    h *= 0x100000001b3ULL;
  };
  for (const auto& l : labels) {
    mix(l.name);
    mix(l.value);
  }
  return h;
}

// Turns parsed samples into labelled samples, enforcing the job's limits.
class TargetState::Collector : public ParseHandler {
 public:
  Collector(TargetState& s, int64_t start_ms, ScrapedSamples* out)
      : s_(s), start_ms_(start_ms), out_(out) {}

  void onSample(const ParsedSample& p) override {
    ++scraped;
    if (!error.empty()) return;
    ls_.clear();
    ls_.set("__name__", p.name);
    for (size_t i = 0; i < p.label_count; ++i) ls_.set(p.labels[i].name, p.labels[i].value);
    const JobConfig& job = s_.job_;
    attachTargetLabels(s_.target_.public_labels, job.honor_labels, ls_);
    if (!relabel::process(job.metric_relabel_configs, ls_) || ls_.empty()) return;
    if (!ls_.has("__name__")) {
      error = "__name__ label is missing";
      return;
    }
    if (!checkLimits(job)) return;
    uint64_t h = hashLabels(ls_.labels());
    if (!seen_.insert(h).second) return;  // duplicate series: Prometheus keeps the first
    const bool own_ts = job.honor_timestamps && p.has_timestamp;
    out_->add(packLabels(ls_.labels()), own_ts ? p.timestamp_ms : start_ms_, p.value);
    // Tracked for staleness unless it brought its own timestamp; 0 = not tracked.
    tracked.push_back(own_ts ? 0 : h);
    if (job.sample_limit > 0 && out_->size() > static_cast<size_t>(job.sample_limit))
      error = "sample limit exceeded";
  }

  void onMetadata(MetaKind kind, std::string_view family, std::string_view text) override {
    std::lock_guard<std::mutex> lock(s_.meta_mu_);
    auto [it, added] = s_.metadata_.try_emplace(std::string(family));
    FamilyMetadata& m = it->second;
    std::string& field = kind == MetaKind::kType   ? m.type
                         : kind == MetaKind::kHelp ? m.help
                                                   : m.unit;
    if (!added && field == text) return;  // the usual case: unchanged since the last scrape
    field = text;
    ++s_.metadata_version_;
  }

  size_t scraped = 0;
  std::string error;
  std::vector<uint64_t> tracked;  // per sample in out_: its series hash, or 0

 private:
  bool checkLimits(const JobConfig& job) {
    if (job.label_limit > 0 && ls_.size() > static_cast<size_t>(job.label_limit)) {
      error = "label_limit exceeded (metric: " + std::string(ls_.get("__name__")) + ")";
      return false;
    }
    for (const auto& l : ls_.labels()) {
      if (job.label_name_length_limit > 0 &&
          l.name.size() > static_cast<size_t>(job.label_name_length_limit)) {
        error = "label_name_length_limit exceeded (label: " + l.name + ")";
        return false;
      }
      if (job.label_value_length_limit > 0 &&
          l.value.size() > static_cast<size_t>(job.label_value_length_limit)) {
        error = "label_value_length_limit exceeded (label: " + l.name + ")";
        return false;
      }
    }
    return true;
  }

  TargetState& s_;
  int64_t start_ms_;
  ScrapedSamples* out_;
  relabel::LabelSet ls_;
  std::unordered_set<uint64_t> seen_;
};

TargetState::TargetState(const JobConfig& job, Target target)
    : job_(job), target_(std::move(target)) {}

std::map<std::string, FamilyMetadata> TargetState::metadata() const {
  std::lock_guard<std::mutex> lock(meta_mu_);
  return metadata_;
}

uint64_t TargetState::metadataVersion() const {
  std::lock_guard<std::mutex> lock(meta_mu_);
  return metadata_version_;
}

MetadataSnapshot TargetState::metadataSnapshot() const {
  std::lock_guard<std::mutex> lock(meta_mu_);
  return {metadata_version_, metadata_};
}

ScrapeStats TargetState::ingest(const FetchOutcome& f, int64_t start_ms, double duration_s,
                                ScrapedSamples* out) {
  ScrapeStats st;
  ScrapedSamples fresh;
  // Sized from the last scrape: a target's scrapes are alike, and growing by doubling would
  // briefly hold one and a half copies of them.
  fresh.reserve(last_samples_, last_label_bytes_);
  std::unordered_map<uint64_t, std::string> now;
  if (!f.ok) {
    st.error = f.error;
  } else if (job_.body_size_limit > 0 &&
             f.body.size() > static_cast<size_t>(job_.body_size_limit)) {
    st.error = "body size limit exceeded";
  } else {
    Collector c(*this, start_ms, &fresh);
    c.tracked.reserve(last_samples_);
    if (!parser_.parse(f.body, formatFromContentType(f.content_type), c)) {
      st.error = parser_.error();
    } else if (!c.error.empty()) {
      st.error = c.error;
    }
    st.scraped = c.scraped;
    st.post_relabel = fresh.size();
    if (st.error.empty()) {
      now.reserve(c.tracked.size());
      for (size_t i = 0; i < fresh.size(); ++i) {
        uint64_t h = c.tracked[i];
        if (!h) continue;
        // A series seen last time moves its packed labels over: no copy per scrape.
        auto node = last_.extract(h);
        if (node.empty()) {
          ++st.series_added;
          now.emplace(h, std::string(fresh.at(i).labels));
        } else {
          now.insert(std::move(node));
        }
      }
    }
  }
  st.up = st.error.empty();
  if (!st.up) fresh.clear();  // a failed scrape ingests nothing, as in Prometheus
  if (st.up) {
    last_samples_ = fresh.size();
    last_label_bytes_ = fresh.labelBytes() ? fresh.labelBytes()->size() : 0;
  }
  ScrapedSamples stale;
  for (auto& [h, packed] : last_) {  // what is left: gone since the last scrape
    stale.add(packed, start_ms, sdk::staleNaN());
    ++st.stale_markers;
  }
  last_ = std::move(now);
  if (out->empty() && stale.empty()) {
    *out = std::move(fresh);  // the usual case: no copy
  } else {
    out->append(stale);
    out->append(fresh);
  }
  addReport(start_ms, st, duration_s, out);
  return st;
}

void TargetState::addReport(int64_t ts, const ScrapeStats& s, double duration_s,
                            ScrapedSamples* out) {
  const std::pair<const char*, double> report[] = {
      {"up", s.up ? 1.0 : 0.0},
      {"scrape_duration_seconds", duration_s},
      {"scrape_samples_scraped", static_cast<double>(s.scraped)},
      {"scrape_samples_post_metric_relabeling", static_cast<double>(s.post_relabel)},
      {"scrape_series_added", static_cast<double>(s.series_added)},
  };
  for (const auto& [name, value] : report) {
    relabel::LabelSet ls = target_.public_labels;
    ls.set("__name__", name);
    out->add(packLabels(ls.labels()), ts, value);
  }
  reported_ = true;
}

void TargetState::endOfRun(int64_t ts_ms, ScrapedSamples* out) {
  for (auto& [h, packed] : last_) out->add(packed, ts_ms, sdk::staleNaN());
  last_.clear();
  if (!reported_) return;
  ScrapedSamples report;
  addReport(ts_ms, ScrapeStats{}, 0, &report);
  for (size_t i = 0; i < report.size(); ++i) report.setValue(i, sdk::staleNaN());
  out->append(report);
  reported_ = false;
}

}  // namespace strata::scrape

#include "query/prefetched_series_set.h"

#include <algorithm>
#include <condition_variable>
#include <exception>
#include <map>
#include <memory>
#include <mutex>
#include <strata/sdk.hpp>
#include <string>
#include <thread>

#include "query/sample_iterator.h"

namespace strata::block_store {
namespace {

constexpr size_t kBatchSeries = 256;     // series handed over at a time at most
constexpr size_t kBatchSamples = 65536;  // and about this many samples
constexpr size_t kWorkers = 2;           // decoding threads: with the query's own thread they
                                         // keep both cores busy when decoding dominates
constexpr size_t kBatchesAhead = 4 + kWorkers;  // bounds the memory decoded ahead
constexpr size_t kReadStep = 512;               // samples decoded per call

// Series decoded ahead, their samples in two arrays for the whole batch (two allocations per
// batch, not per series; never zero-filled, unlike a vector's resize).
struct Batch {
  size_t first = 0;                // index of its first series
  std::vector<size_t> end;         // per series: one past its last sample in ts/vs
  std::vector<std::string> error;  // per series: non-empty when a chunk was corrupt after
                                   // the samples it has
  std::unique_ptr<int64_t[]> ts;
  std::unique_ptr<double[]> vs;
  size_t samples = 0, capacity = 0;
  size_t size() const { return end.size(); }
  size_t begin(size_t i) const { return i == 0 ? 0 : end[i - 1]; }
  // Room for n more samples.
  void reserveMore(size_t n) {
    if (samples + n <= capacity) return;
    size_t cap = std::max(2 * capacity, samples + n);
    auto t = std::make_unique_for_overwrite<int64_t[]>(cap);
    auto v = std::make_unique_for_overwrite<double[]>(cap);
    std::copy_n(ts.get(), samples, t.get());
    std::copy_n(vs.get(), samples, v.get());
    ts = std::move(t);
    vs = std::move(v);
    capacity = cap;
  }
};

// Workers claim consecutive ranges of series (batch k is series [first_k, first_k+1)) and
// decode them concurrently; the consumer takes the batches back in order.
class Prefetcher {
 public:
  Prefetcher(std::vector<SeriesData> series, int64_t min_t, int64_t max_t)
      : series_(std::move(series)), min_t_(min_t), max_t_(max_t) {
    for (size_t i = 0; i < kWorkers; ++i) workers_.emplace_back([this] { run(); });
  }

  ~Prefetcher() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    for (auto& w : workers_) w.join();
  }

  int next(const strata_label** labels, size_t* count) {
    has_item_ = false;
    if (pos_ >= current_.size()) {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [this] {
        return (!ready_.empty() && ready_.begin()->first == next_batch_) ||
               (claimed_ == series_.size() && next_batch_ == batches_);
      });
      if (ready_.empty() || ready_.begin()->first != next_batch_) return 0;
      current_ = std::move(ready_.begin()->second);
      ready_.erase(ready_.begin());
      ++next_batch_;
      pos_ = 0;
      lock.unlock();
      cv_.notify_all();
    }
    has_item_ = true;
    item_ = pos_;
    const SeriesData& s = series_[current_.first + pos_];
    ++pos_;
    read_pos_ = current_.begin(item_);
    labels_.clear();
    for (const auto& [n, v] : s.labels) labels_.push_back({sdk::str(n), sdk::str(v)});
    *labels = labels_.data();
    *count = labels_.size();
    return 1;
  }

  long read(int64_t* ts, double* vs, size_t cap) {
    if (!has_item_) return 0;
    size_t n = std::min(cap, current_.end[item_] - read_pos_);
    std::copy_n(current_.ts.get() + read_pos_, n, ts);
    std::copy_n(current_.vs.get() + read_pos_, n, vs);
    read_pos_ += n;
    if (n == 0 && !current_.error[item_].empty()) {
      error_ = current_.error[item_];
      return -1;
    }
    return static_cast<long>(n);
  }

  const char* error() const { return error_.c_str(); }

 private:
  void run() {
    for (;;) {
      size_t seq, first, end, per_series;
      {
        std::unique_lock<std::mutex> lock(mu_);
        cv_.wait(lock, [this] { return batches_ - next_batch_ < kBatchesAhead || stop_; });
        if (stop_ || claimed_ == series_.size()) return;
        // As many series as held about kBatchSamples samples so far (all series of a select
        // often have about the same length).
        per_series = decoded_series_ ? decoded_samples_ / decoded_series_ : 0;
        size_t want =
            std::clamp<size_t>(kBatchSamples / std::max<size_t>(per_series, 1), 1, kBatchSeries);
        seq = batches_++;
        first = claimed_;
        end = std::min(series_.size(), first + want);
        claimed_ = end;
      }
      Batch b;
      b.first = first;
      // The estimate, and room for the last read's full step: no regrowth when it holds.
      b.reserveMore(std::min(kBatchSamples, (end - first) * std::max<size_t>(per_series, 1)) +
                    kReadStep);
      for (size_t i = first; i < end; ++i) decode(series_[i], b);
      {
        std::lock_guard<std::mutex> lock(mu_);
        decoded_series_ += end - first;
        decoded_samples_ += b.samples;
        ready_.emplace(seq, std::move(b));
      }
      cv_.notify_all();
    }
  }

  void decode(SeriesData& s, Batch& b) {
    std::string error;
    try {
      SampleIterator it(std::move(s.chunks), min_t_, max_t_);
      for (;;) {
        b.reserveMore(kReadStep);
        long r = it.read(b.ts.get() + b.samples, b.vs.get() + b.samples, kReadStep);
        if (r > 0) b.samples += static_cast<size_t>(r);
        if (r < 0) error = it.error();
        if (r <= 0) break;
      }
    } catch (const std::exception& e) {
      error = e.what();
    }
    b.end.push_back(b.samples);
    b.error.push_back(std::move(error));
  }

  // series_[i].chunks belong to the worker that claimed series i until it is decoded; the
  // labels are only read by the consumer.
  std::vector<SeriesData> series_;
  const int64_t min_t_, max_t_;

  std::mutex mu_;
  std::condition_variable cv_;
  std::map<size_t, Batch> ready_;  // decoded batches by sequence number
  size_t claimed_ = 0;             // series handed to workers
  size_t batches_ = 0;             // batches handed to workers
  size_t next_batch_ = 0;          // the batch the consumer takes next
  size_t decoded_series_ = 0, decoded_samples_ = 0;
  bool stop_ = false;

  // The consumer's side.
  Batch current_;
  size_t pos_ = 0;
  bool has_item_ = false;
  size_t item_ = 0;      // index in current_ of the series being read
  size_t read_pos_ = 0;  // next sample of it in current_.ts/vs
  std::vector<strata_label> labels_;
  std::string error_;

  std::vector<std::thread> workers_;  // last: they start once everything above exists
};

Prefetcher* self(strata_series_set* s) { return static_cast<Prefetcher*>(s->private_data); }

}  // namespace

void makePrefetchedSeriesSet(std::vector<SeriesData> series, int64_t min_t, int64_t max_t,
                             strata_series_set* out) {
  out->struct_size = sizeof(strata_series_set);
  out->next = [](strata_series_set* s, const strata_label** labels, size_t* count) {
    return self(s)->next(labels, count);
  };
  out->read_samples = [](strata_series_set* s, int64_t* ts, double* vs, size_t cap) {
    return self(s)->read(ts, vs, cap);
  };
  out->last_error = [](strata_series_set* s) { return self(s)->error(); };
  out->release = [](strata_series_set* s) {
    delete self(s);
    s->private_data = nullptr;
  };
  out->private_data = new Prefetcher(std::move(series), min_t, max_t);
}

}  // namespace strata::block_store

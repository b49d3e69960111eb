#include "query/prefetched_series_set.h"

#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <strata/sdk.hpp>
#include <string>
#include <thread>

#include "query/sample_iterator.h"

namespace strata::block_store {
namespace {

constexpr size_t kBatchSeries = 256;     // series handed over at a time
constexpr size_t kBatchSamples = 65536;  // or fewer when they hold this many samples
constexpr size_t kBatchesAhead = 4;      // bounds the memory decoded ahead

// Series decoded ahead, their samples in two arrays for the whole batch (two allocations per
// batch, not per series).
struct Batch {
  size_t first = 0;                // index of its first series
  std::vector<size_t> end;         // per series: one past its last sample in ts/vs
  std::vector<std::string> error;  // per series: non-empty when a chunk was corrupt after
                                   // the samples it has
  std::vector<int64_t> ts;
  std::vector<double> vs;
  size_t size() const { return end.size(); }
  size_t begin(size_t i) const { return i == 0 ? 0 : end[i - 1]; }
};

class Prefetcher {
 public:
  Prefetcher(std::vector<SeriesData> series, int64_t min_t, int64_t max_t)
      : series_(std::move(series)), min_t_(min_t), max_t_(max_t), worker_([this] { run(); }) {}

  ~Prefetcher() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    worker_.join();
  }

  int next(const strata_label** labels, size_t* count) {
    has_item_ = false;
    if (pos_ >= current_.size()) {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [this] { return !ready_.empty() || done_; });
      if (ready_.empty()) return 0;
      current_ = std::move(ready_.front());
      ready_.pop_front();
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
    std::copy_n(current_.ts.data() + read_pos_, n, ts);
    std::copy_n(current_.vs.data() + read_pos_, n, vs);
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
    size_t i = 0;
    while (i < series_.size()) {
      Batch b;
      b.first = i;
      b.ts.reserve(kBatchSamples + 1024);
      b.vs.reserve(kBatchSamples + 1024);
      while (i < series_.size() && b.size() < kBatchSeries && b.ts.size() < kBatchSamples) {
        decode(series_[i++], b);
      }
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [this] { return ready_.size() < kBatchesAhead || stop_; });
      if (stop_) return;
      ready_.push_back(std::move(b));
      lock.unlock();
      cv_.notify_all();
    }
    {
      std::lock_guard<std::mutex> lock(mu_);
      done_ = true;
    }
    cv_.notify_all();
  }

  void decode(SeriesData& s, Batch& b) {
    std::string error;
    try {
      SampleIterator it(std::move(s.chunks), min_t_, max_t_);
      constexpr size_t kStep = 512;
      for (;;) {
        size_t old = b.ts.size();
        b.ts.resize(old + kStep);
        b.vs.resize(old + kStep);
        long r = it.read(b.ts.data() + old, b.vs.data() + old, kStep);
        size_t got = r < 0 ? 0 : static_cast<size_t>(r);
        b.ts.resize(old + got);
        b.vs.resize(old + got);
        if (r < 0) error = it.error();
        if (r <= 0) break;
      }
    } catch (const std::exception& e) {
      error = e.what();
    }
    b.end.push_back(b.ts.size());
    b.error.push_back(std::move(error));
  }

  // series_[i].chunks belong to the worker until series i is decoded; the labels are only
  // read by the consumer.
  std::vector<SeriesData> series_;
  const int64_t min_t_, max_t_;

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Batch> ready_;
  bool stop_ = false, done_ = false;

  // The consumer's side.
  Batch current_;
  size_t pos_ = 0;
  bool has_item_ = false;
  size_t item_ = 0;      // index in current_ of the series being read
  size_t read_pos_ = 0;  // next sample of it in current_.ts/vs
  std::vector<strata_label> labels_;
  std::string error_;

  std::thread worker_;  // last: starts once everything above exists
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

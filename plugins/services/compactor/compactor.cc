#include "compactor.h"

#include <chrono>
#include <filesystem>

namespace strata::compactor {

void Compactor::validate(const sdk::ConfigView& config, strata_diag_sink* sink) {
  std::string problem = checkOptions(config);
  if (problem.empty()) return;
  // "block_ranges: ..." points at the option (bucket.config.directory too).
  size_t colon = problem.find(": ");
  std::string path = colon == std::string::npos ? "" : problem.substr(0, colon);
  bool option_path =
      !path.empty() &&
      path.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_.") == std::string::npos;
  if (!option_path) path.clear();
  std::string message = option_path ? problem.substr(colon + 2) : problem;
  sink->report(sink, path.c_str(), message.c_str());
}

Compactor::Compactor(sdk::Host host, sdk::ConfigView config)
    : sdk::Component(host), options_(parseOptions(config)) {}

Compactor::~Compactor() { stop(); }

strata_status Compactor::start() {
  try {
    std::shared_ptr<bucket::Bucket> bkt = bucket::makeBucket(options_.bucket);
    if (auto problem = bucket::probeBucket(*bkt)) {
      if (!problem->isTransient()) throw *problem;
      host().warn("bucket not reachable at start; runs retry",
                  {{"bucket", bkt->describe()}, {"error", problem->what()}});
    }
    std::string scratch = options_.scratch_dir;
    if (scratch.empty()) {
      std::string data = host().dataDir();
      scratch = (data.empty() ? std::string("data") : data) + "/compact";
    }
    std::filesystem::create_directories(scratch);
    core_ = std::make_unique<CompactorCore>(host(), options_, bkt, scratch, &cancel_);
    host().info("compactor started", {{"bucket", bkt->describe()}, {"scratch_dir", scratch}});
  } catch (const std::exception& e) {
    host().setError(e.what());
    return STRATA_FAILED;
  }
  stopping_ = false;
  cancel_ = false;
  worker_ = std::thread([this] { loop(); });
  return STRATA_OK;
}

void Compactor::loop() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    lock.unlock();
    auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::system_clock::now().time_since_epoch());
    core_->run(now.count());
    lock.lock();
    wake_.wait_for(lock, std::chrono::milliseconds(options_.interval_ms),
                   [this] { return stopping_; });
  }
}

void Compactor::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cancel_ = true;
  wake_.notify_all();
  if (worker_.joinable()) worker_.join();
}

}  // namespace strata::compactor

// strata: the host process.
//   strata run [-c FILE] [--plugin-dir DIR]...   run a pipeline (default: the embedded all-in-one)
//   strata plugins [--plugin-dir DIR]...         list loadable component types
//   strata version
#include <signal.h>

#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include "core/host/embedded_pipeline.h"
#include "core/host/node.h"
#include "core/plugin/loader.h"
#include "core/telemetry/logger.h"

namespace {

int usage(const char* msg = nullptr) {
  if (msg) std::cerr << "strata: " << msg << "\n";
  std::cerr << "usage: strata run [-c FILE] [--plugin-dir DIR]...\n"
               "       strata plugins [--plugin-dir DIR]...\n"
               "       strata version\n";
  return 2;
}

int listPlugins(const std::vector<std::string>& extra_dirs) {
  strata::plugin::Registry registry;
  auto dirs = extra_dirs;
  for (auto& d : strata::plugin::defaultPluginDirs()) dirs.push_back(d);
  auto report = strata::plugin::loadPluginDirs(dirs, registry);
  for (const auto& r : report.refusals) std::cerr << r << "\n";
  std::cout << strata::plugin::describeRegistry(registry);
  return 0;
}

int run(strata::host::NodeOptions options) {
  // Signals are taken synchronously by this thread; every other thread inherits the mask.
  sigset_t set;
  sigemptyset(&set);
  for (int s : {SIGHUP, SIGTERM, SIGINT}) sigaddset(&set, s);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  signal(SIGPIPE, SIG_IGN);

  strata::host::Node node(std::move(options));
  std::string error;
  if (!node.start(&error)) {
    std::cerr << error;
    strata::telemetry::log(STRATA_LOG_ERROR, "host", "pipeline did not start");
    return 1;
  }
  for (;;) {
    int sig = 0;
    if (sigwait(&set, &sig) != 0) continue;
    if (sig == SIGHUP) {
      strata::telemetry::log(STRATA_LOG_INFO, "host", "SIGHUP: reloading");
      node.reload();
      continue;
    }
    strata::telemetry::log(STRATA_LOG_INFO, "host", "shutting down", {{"signal", strsignal(sig)}});
    node.shutdown();
    strata::telemetry::log(STRATA_LOG_INFO, "host", "stopped");
    return 0;
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return usage();
  std::string cmd = argv[1];
  strata::host::NodeOptions options;
  for (int i = 2; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> const char* { return i + 1 < argc ? argv[++i] : nullptr; };
    if ((a == "-c" || a == "--config") && cmd == "run") {
      const char* v = value();
      if (!v) return usage("-c needs a file");
      options.source.path = v;
    } else if (a == "--plugin-dir") {
      const char* v = value();
      if (!v) return usage("--plugin-dir needs a directory");
      options.plugin_dirs.push_back(v);
    } else {
      return usage(("unknown argument: " + a).c_str());
    }
  }
  if (cmd == "version") {
    std::cout << "strata " << STRATA_VERSION << " (plugin ABI " << STRATA_ABI_MAJOR << "."
              << STRATA_ABI_MINOR << ")\n";
    return 0;
  }
  if (cmd == "plugins") return listPlugins(options.plugin_dirs);
  if (cmd != "run") return usage(("unknown command: " + cmd).c_str());
  if (options.source.path.empty()) options.source.embedded_text = strata::host::kEmbeddedPipeline;
  return run(std::move(options));
}

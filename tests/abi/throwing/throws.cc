// A plugin built with the SDK whose component constructor throws: the SDK's exception barrier
// must turn that into STRATA_FAILED plus set_error(), never an exception across the C ABI.
#include <stdexcept>
#include <strata/sdk.hpp>

namespace {

class Thrower : public strata::sdk::Component {
 public:
  Thrower(strata::sdk::Host host, strata::sdk::ConfigView config) : Component(host) {
    throw std::runtime_error("thrower refuses: " + config["reason"].asString("no reason"));
  }
};

const strata_option_def kOptions[] = {
    strata::sdk::option("reason", STRATA_OPT_STRING, "\"no reason\"", "Why create() fails."),
};
const strata_component_def kThrower =
    strata::sdk::component<Thrower>(STRATA_KIND_PROCESSOR, "abi_thrower", "Throws from create().",
                                    STRATA_EDGE_METRICS, STRATA_EDGE_METRICS, kOptions);

}  // namespace

STRATA_PLUGIN("abi_thrower", "0.0.1", &kThrower)

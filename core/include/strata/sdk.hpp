// The Strata plugin SDK: include this one header to write a plugin.
#pragma once

#include <strata/plugin_abi.h>

#include <strata/sdk/batch.hpp>
#include <strata/sdk/component.hpp>
#include <strata/sdk/config.hpp>
#include <strata/sdk/host.hpp>
#include <strata/sdk/json.hpp>
#include <strata/sdk/metadata.hpp>
#include <strata/sdk/plugin.hpp>
#include <strata/sdk/source_info.hpp>

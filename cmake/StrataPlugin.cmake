# strata_add_plugin(NAME SOURCES file... [LIBS target...] [OUTPUT_DIR dir])
# Builds a plugin .so: only the entry point is exported, no undefined symbols are allowed
# (a plugin must not depend on host symbols), and the SDK is on the include path.
# Installed with the SDK, so out-of-tree plugins use exactly the same rules.
function(strata_add_plugin name)
  cmake_parse_arguments(P "" "OUTPUT_DIR" "SOURCES;LIBS" ${ARGN})
  add_library(${name} MODULE ${P_SOURCES})
  target_link_libraries(${name} PRIVATE Strata::sdk ${P_LIBS})
  # The SDK headers need C++17; out-of-tree projects may not set a standard at all.
  target_compile_features(${name} PRIVATE cxx_std_17)
  set_target_properties(${name} PROPERTIES
    PREFIX ""
    C_VISIBILITY_PRESET hidden
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  # GCC's ASan links libasan into each .so, so -z defs still holds there; keep it always.
  target_link_options(${name} PRIVATE -Wl,-z,defs)
  # Hidden visibility does not cover std:: template instances (libstdc++ marks namespace std
  # visible), so a version script makes the entry point the only exported symbol.
  set(exports ${CMAKE_CURRENT_BINARY_DIR}/${name}.exports)
  file(WRITE ${exports} "{ global: strata_plugin_entry_v*; local: *; };\n")
  target_link_options(${name} PRIVATE -Wl,--version-script=${exports})
  set_property(TARGET ${name} APPEND PROPERTY LINK_DEPENDS ${exports})
  # An out-of-tree plugin built against a sanitizer host's SDK gets the same sanitizers (the
  # build signature check would refuse it otherwise); in-tree builds already have the flags.
  if(STRATA_HOST_SANITIZE AND NOT STRATA_SANITIZE)
    target_compile_options(${name} PRIVATE -fsanitize=address,undefined -fno-omit-frame-pointer)
    target_link_options(${name} PRIVATE -fsanitize=address,undefined)
  endif()
  if(P_OUTPUT_DIR)
    set_target_properties(${name} PROPERTIES LIBRARY_OUTPUT_DIRECTORY ${P_OUTPUT_DIR})
  elseif(DEFINED STRATA_PLUGIN_OUTPUT_DIR)
    set_target_properties(${name} PROPERTIES LIBRARY_OUTPUT_DIRECTORY ${STRATA_PLUGIN_OUTPUT_DIR})
  endif()
endfunction()

# The fuzz build (STRATA_FUZZ=ON, configured by tools/fuzz.sh with clang-14): libFuzzer +
# ASan + UBSan on the fuzz targets of tests/fuzz and on the code they exercise, so coverage
# guides the fuzzer through our parsers. Only the libraries those targets link are added;
# Poco, RocksDB, curl and the rest of the project are neither needed nor configured.
if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
  message(FATAL_ERROR "STRATA_FUZZ needs clang (libFuzzer): configure with CC=clang-14 "
                      "CXX=clang++-14, as tools/fuzz.sh does")
endif()
if(STRATA_SANITIZE)
  message(FATAL_ERROR "STRATA_FUZZ brings its own sanitizers; leave STRATA_SANITIZE off")
endif()
add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined
                    -fno-omit-frame-pointer)
add_link_options(-fsanitize=address,undefined)

find_package(Protobuf REQUIRED)
find_package(Snappy CONFIG REQUIRED)

add_subdirectory(plugins/common/prompb)
add_subdirectory(tests/fuzz)

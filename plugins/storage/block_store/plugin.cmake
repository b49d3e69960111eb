# The block_store plugin (included by this folder's CMakeLists.txt). Logic in a static library
# so tests link it without dlopen. The block format is plugins/common/tsdb's strata_tsdb.
add_library(strata_block_store_logic STATIC
  block_cutter.cc
  block_set.cc
  block_store.cc
  debug_dump.cc
  metadata_store.cc
  store_options.cc
  store_query.cc
  head/head.cc
  head/chunk_file.cc
  head/head_cut.cc
  head/head_memory.cc
  head/head_labels.cc
  head/head_query.cc
  head/mem_series.cc
  head/postings.cc
  head/series_index.cc
  head/symbol_table.cc
  head/series_table.cc
  head/head_symbols.cc
  query/literal_regex.cc
  query/matcher.cc
  query/prefetched_series_set.cc
  query/sample_iterator.cc
  query/series_set.cc
  wal/wal.cc
  wal/wal_codec.cc)
target_include_directories(strata_block_store_logic PUBLIC ${CMAKE_CURRENT_SOURCE_DIR})
target_link_libraries(strata_block_store_logic PUBLIC Strata::sdk strata_tsdb strata_prompb_codec
  RocksDB::rocksdb-shared PkgConfig::RE2 Threads::Threads)
set_target_properties(strata_block_store_logic PROPERTIES POSITION_INDEPENDENT_CODE ON
  CXX_VISIBILITY_PRESET hidden VISIBILITY_INLINES_HIDDEN ON)

strata_add_plugin(storage_block_store SOURCES plugin.cc LIBS strata_block_store_logic)
install(TARGETS storage_block_store LIBRARY DESTINATION ${STRATA_PLUGIN_INSTALL_DIR})

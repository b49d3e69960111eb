# `cmake --install` ships the host, the built-in plugins, the SDK headers and a CMake package
# so out-of-tree plugins can `find_package(Strata)` and call strata_add_plugin().
# The SDK parts are in component `sdk`, so `cmake --install B --component sdk` installs only
# what a plugin author needs; a plain `cmake --install` installs everything.
install(DIRECTORY core/include/strata DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} COMPONENT sdk)
install(TARGETS strata_sdk EXPORT StrataTargets COMPONENT sdk)
install(EXPORT StrataTargets NAMESPACE Strata:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/Strata
  COMPONENT sdk)
include(CMakePackageConfigHelpers)
configure_package_config_file(cmake/StrataConfig.cmake.in
  ${CMAKE_BINARY_DIR}/StrataConfig.cmake
  INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/Strata
  PATH_VARS STRATA_PLUGIN_INSTALL_DIR CMAKE_INSTALL_INCLUDEDIR)
write_basic_package_version_file(${CMAKE_BINARY_DIR}/StrataConfigVersion.cmake
  COMPATIBILITY SameMajorVersion)
install(FILES ${CMAKE_BINARY_DIR}/StrataConfig.cmake ${CMAKE_BINARY_DIR}/StrataConfigVersion.cmake
  cmake/StrataPlugin.cmake DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/Strata COMPONENT sdk)

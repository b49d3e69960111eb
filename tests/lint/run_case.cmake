# Runs pipeline-lint on one golden case from the cases directory (so paths in the output are
# relative) and compares stdout + "exit code: N" with the expected file; with -DUPDATE=ON it
# writes the expected file instead.
# Inputs: LINT PLUGIN_DIR CASES_DIR CASE FORMAT (text|json|diff) [UPDATE]
# FORMAT diff runs `--diff CASE.yaml DIFF_NEW.yaml` into CASE.diff.expected.
set(expected_file ${CASES_DIR}/${CASE}.expected)
set(format_args)
if(FORMAT STREQUAL "diff")
  set(expected_file ${CASES_DIR}/${CASE}.diff.expected)
  set(format_args --diff)
  set(extra_file ${DIFF_NEW}.yaml)
elseif(FORMAT STREQUAL "json")
  set(expected_file ${CASES_DIR}/${CASE}.json.expected)
  set(format_args --format json)
endif()
# The environment the cases rely on: one variable set, one surely unset.
set(ENV{STRATA_LINT_TEST_SET} "127.0.0.1:9301")
unset(ENV{STRATA_LINT_TEST_UNSET})
unset(ENV{STRATA_PLUGIN_PATH})
execute_process(
  COMMAND ${LINT} --no-default-plugin-dirs --plugin-dir ${PLUGIN_DIR} ${format_args} ${CASE}.yaml ${extra_file}
  WORKING_DIRECTORY ${CASES_DIR}
  OUTPUT_VARIABLE out
  ERROR_VARIABLE err
  RESULT_VARIABLE rc)
set(actual "${out}exit code: ${rc}\n")
if(UPDATE)
  file(WRITE ${expected_file} "${actual}")
  message(STATUS "wrote ${expected_file}")
  return()
endif()
if(NOT EXISTS ${expected_file})
  message(FATAL_ERROR "missing ${expected_file}; actual output:\n${actual}")
endif()
file(READ ${expected_file} expected)
if(NOT actual STREQUAL expected)
  message(FATAL_ERROR "pipeline-lint output differs from ${expected_file}\n"
                      "--- expected\n${expected}--- actual\n${actual}--- stderr\n${err}")
endif()

# Renders the registry and runs `promtool check metrics` on it. Fails on any reported problem,
# and first proves that promtool does report one on a known-bad input (so this test can fail).
foreach(var RENDER PROMTOOL WORK_DIR)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "${var} not set")
  endif()
endforeach()
file(MAKE_DIRECTORY ${WORK_DIR})

file(WRITE ${WORK_DIR}/bad.txt "# HELP requests Missing the counter suffix.\n# TYPE requests counter\nrequests 1\n")
execute_process(COMMAND ${PROMTOOL} check metrics INPUT_FILE ${WORK_DIR}/bad.txt
                RESULT_VARIABLE bad_rc OUTPUT_VARIABLE bad_out ERROR_VARIABLE bad_err)
if(bad_rc EQUAL 0)
  message(FATAL_ERROR "promtool accepted a counter without _total; the check proves nothing")
endif()

execute_process(COMMAND ${RENDER} OUTPUT_FILE ${WORK_DIR}/metrics.txt RESULT_VARIABLE render_rc)
if(NOT render_rc EQUAL 0)
  message(FATAL_ERROR "render failed: ${render_rc}")
endif()
file(READ ${WORK_DIR}/metrics.txt text)
foreach(expected "process_cpu_seconds_total" "process_resident_memory_bytes" "process_open_fds"
                 "process_start_time_seconds" "strata_http_requests_total{code=\"500\"")
  string(FIND "${text}" "${expected}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "rendered metrics lack ${expected}:\n${text}")
  endif()
endforeach()

execute_process(COMMAND ${PROMTOOL} check metrics INPUT_FILE ${WORK_DIR}/metrics.txt
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0 OR NOT "${out}${err}" STREQUAL "")
  message(FATAL_ERROR "promtool check metrics (exit ${rc}):\n${out}${err}\n--- input ---\n${text}")
endif()
message(STATUS "promtool check metrics: clean")

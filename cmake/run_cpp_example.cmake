# Installs this build into a staging prefix, builds examples/cpp against the
# installed package (find_package(pineal)) and runs the example briefly.
set(prefix ${BUILD_DIR}/example-stage)
set(example_build ${BUILD_DIR}/example-build)
function(run)
  execute_process(COMMAND ${ARGV} RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "failed (${rc}): ${ARGV}")
  endif()
endfunction()
run(${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix})
run(${CMAKE_COMMAND} -S ${SOURCE_DIR}/examples/cpp -B ${example_build} -G Ninja
    -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_BUILD_TYPE=Debug)
run(${CMAKE_COMMAND} --build ${example_build})
run(${example_build}/va_benchmark 200 1000)

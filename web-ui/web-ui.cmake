# The web UI's bundle: `npm run build` in web-ui (esbuild over the packages `npm ci` installed, which
# scripts/install-deps.sh runs; nothing is downloaded), written next to the binary as
# ${CMAKE_BINARY_DIR}/web-ui, where `lambdalab serve` looks first. Included by emulator/CMakeLists.txt.
option(LAMBDALAB_WEB_UI "Build the web UI bundle (needs npm ci in web-ui)" ON)
if(LAMBDALAB_WEB_UI)
  find_program(LAMBDALAB_NPM npm)
  if(NOT LAMBDALAB_NPM)
    message(WARNING "npm not found: the web UI is not built (lambdalab serve answers / with a 503 page)")
  else()
    set(web_ui_dir ${CMAKE_CURRENT_LIST_DIR})
    set(web_ui_out ${CMAKE_BINARY_DIR}/web-ui)
    file(GLOB_RECURSE web_ui_sources CONFIGURE_DEPENDS ${web_ui_dir}/src/*)
    add_custom_command(OUTPUT ${web_ui_out}/index.html
                       COMMAND ${LAMBDALAB_NPM} run --silent build -- --outdir ${web_ui_out}
                       WORKING_DIRECTORY ${web_ui_dir}
                       DEPENDS ${web_ui_sources} ${web_ui_dir}/build.mjs ${web_ui_dir}/package.json
                               ${web_ui_dir}/package-lock.json
                       COMMENT "Bundling the web UI into ${web_ui_out}"
                       VERBATIM)
    add_custom_target(lambdalab_web_ui ALL DEPENDS ${web_ui_out}/index.html)
    add_dependencies(lambdalab lambdalab_web_ui)
  endif()
endif()

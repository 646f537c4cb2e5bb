# lambdalab: the two commands of the README, and a few helpers.
#   make run    install what is missing, build, start the emulator with the bundled functions and the web UI
#   make test   install what is missing, build with sanitizers, run every test
BUILD       ?= build
TEST_BUILD  ?= build-test
JOBS        ?= $(shell nproc)
HOST        ?= 127.0.0.1
PORT        ?= 9000
CMAKE_FLAGS ?=

.PHONY: run build test test-build deps test-deps bench format tidy clean

run: build
	$(BUILD)/lambdalab serve --host $(HOST) --port $(PORT) --data-dir $(BUILD)/data --functions workloads/functions.json

deps:
	scripts/install-deps.sh

test-deps:
	scripts/install-deps.sh --test

build: deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release -DLAMBDALAB_TESTS=OFF $(CMAKE_FLAGS)
	cmake --build $(BUILD) -j $(JOBS)

test-build: test-deps
	cmake -S . -B $(TEST_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLAMBDALAB_SANITIZE=ON -DLAMBDALAB_WERROR=ON $(CMAKE_FLAGS)
	cmake --build $(TEST_BUILD) -j $(JOBS)

test: test-build
	ctest --test-dir $(TEST_BUILD) --output-on-failure --timeout 900 -j $(JOBS)

bench: build
	cmake --build $(BUILD) -j $(JOBS) --target bench_all
	scripts/run-bench.sh $(BUILD)

format:
	git ls-files '*.cpp' '*.hpp' | xargs clang-format -i

tidy:
	run-clang-tidy -p $(BUILD) -quiet 'emulator/.*'

clean:
	rm -rf $(BUILD) $(TEST_BUILD)

#!/usr/bin/env bash
# Builds the SDK offline with javac against Debian's jars (no Maven Central here), as CI does:
# src/main, src/example and src/test compile into build/classes/{main,example,test}; the runtime class path
# of the example is written to build/classpath and the tests' to build/test-classpath; TLS also needs
# -Djava.library.path=build/jni (netty-tcnative).
# Elsewhere, use Gradle instead (build.gradle).
set -euo pipefail
java_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$java_dir/../../.ci/tools.sh"

# grpc-netty needs netty and perfmark at run time; the generated stubs need javax.annotation.Generated,
# which Java 9+ no longer ships (geronimo-annotation provides it). TLS needs netty-tcnative: Debian's netty has
# no ALPN over the JDK's TLS, and gRPC needs ALPN to agree on HTTP/2.
ensure_apt_packages_present openjdk-17-jdk-headless libgrpc-java libprotobuf-java libguava-java libnetty-java \
  libperfmark-java libjsr305-java libgeronimo-annotation-1.3-spec-java junit4 libhamcrest-java \
  libnetty-tcnative-java libnetty-tcnative-jni

jars() { local out="" jar; for jar in "$@"; do out="$out${out:+:}/usr/share/java/$jar.jar"; done; echo "$out"; }
compile_cp=$(jars grpc-api grpc-stub grpc-protobuf grpc-protobuf-lite protobuf guava jsr305 geronimo-annotation-1.3-spec)
runtime_cp="$compile_cp:$(jars grpc-core grpc-context grpc-netty perfmark-api netty-common netty-buffer \
  netty-transport netty-resolver netty-codec netty-codec-http netty-codec-http2 netty-codec-socks netty-handler \
  netty-handler-proxy netty-tcnative)"
test_cp=$(jars junit4 hamcrest-core)

build="$java_dir/build"
rm -rf "$build/classes"
mkdir -p "$build/classes/main" "$build/classes/example" "$build/classes/test"
javac_opts=(--release 11 -encoding UTF-8 -nowarn -Xlint:none)

find "$java_dir/src/main/java" -name '*.java' >"$build/main-sources"
javac "${javac_opts[@]}" -d "$build/classes/main" -cp "$compile_cp" @"$build/main-sources"
find "$java_dir/src/example/java" -name '*.java' >"$build/example-sources"
javac "${javac_opts[@]}" -d "$build/classes/example" -cp "$build/classes/main:$compile_cp" @"$build/example-sources"
find "$java_dir/src/test/java" -name '*.java' >"$build/test-sources"
javac "${javac_opts[@]}" -d "$build/classes/test" -cp "$build/classes/main:$build/classes/example:$compile_cp:$test_cp" @"$build/test-sources"

# netty loads tcnative as libnetty_tcnative.so from java.library.path, and the library checks that it was loaded
# under that name; Debian installs it as libnetty-tcnative.so. A copy under netty's name: -Djava.library.path=build/jni.
mkdir -p "$build/jni"
cp "$(dpkg -L libnetty-tcnative-jni | grep '/libnetty-tcnative\.so$')" "$build/jni/libnetty_tcnative.so"

echo "$build/classes/main:$build/classes/example:$runtime_cp" >"$build/classpath"
# The example too: ReadmeTest runs it.
echo "$build/classes/main:$build/classes/example:$build/classes/test:$runtime_cp:$test_cp" >"$build/test-classpath"

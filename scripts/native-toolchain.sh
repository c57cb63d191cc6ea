#!/usr/bin/env bash
# Assembles a GraalVM-style native-image toolchain for JDK 25 from package registries and public
# sources only (no GraalVM or Mandrel download), and prints its home directory on the last line:
#   - the image builder: org.graalvm.nativeimage:svm and the jars it depends on, from Maven Central,
#     run on the installed Temurin 25 (its JVMCI module), pinned by version and sha256;
#   - the JDK's static JNI libraries (libjava.a, libnio.a, libnet.a, libzip.a), compiled from the C
#     sources of Debian's openjdk source package (pinned by sha256), with the JNI constant headers
#     read from the running JDK's class files (scripts/native-toolchain/jni-headers.py);
#   - the C helpers the svm runtime links (liblibchelper.a, libjvm.a) and the builder's progress
#     helper (libreporterchelper.so): the C files in scripts/native-toolchain/, written for this;
#   - bin/native-image: scripts/native-toolchain/native-image.py, a driver for the options Quarkus
#     passes (GraalVM's own driver, com.oracle.svm.driver, is not published on Maven Central).
# Cached in ${INFERCORE_CACHE:-$HOME/.cache/infercore}/native-toolchain/<version>: a second run
# only checks the marker. Needs curl, gcc, python3, xz and a Temurin 25 JDK (NATIVE_JDK, default /usr/lib/jvm/temurin-25-jdk-amd64).
# Usage: scripts/native-toolchain.sh [--hello]   (--hello: also build and run a native hello-world)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src="$here/native-toolchain"

GRAAL_VERSION=25.0.2
RECIPE=5   # bump when anything below or in scripts/native-toolchain/ changes the result
MAVEN=https://repo.maven.apache.org/maven2
# group/artifact  sha256 (the closure of org.graalvm.nativeimage:svm:25.0.2)
JARS="
org/graalvm/nativeimage/svm 283f4d24bbb1634772ed4bf01b456b4e04dd74889dcdb38c4f29f825f530428c
org/graalvm/nativeimage/pointsto 117d728ed5cbd118916dff3d699097425dfbd6a2e3d3861c152cdb022e188240
org/graalvm/nativeimage/objectfile e52dc4f55ce27cc34c07f86d1fd1f380a9e2619cf41343ae13fffab4f7bfe261
org/graalvm/nativeimage/native-image-base b0312ea07d22ff4aca5ba751cd05d93c8879fc7f98599ab47975431ee9d9e33f
org/graalvm/nativeimage/svm-capnproto-runtime a39c960e80eb476793c9822c716e6c32a2f2a18987abadb54ce7a0fe9c583aab
org/graalvm/nativeimage/svm-configure 14f00d18323ea391808f1e8982dfaabd7f82083df1bd22f11cdd37203dfb156f
org/graalvm/espresso/espresso-svm e0327ad8d966e192722de10d0d50a8fdce0c13901f5c226ebd1e6cb2c76e7648
org/graalvm/compiler/compiler 475eae6a53f30e358e1849384e305281f3e1d0e13f69182bc7621c70839c1b7f
org/graalvm/truffle/truffle-compiler e74384ef882d7867fe02be57907909cd9137f763b3c8c5242cdd3ea7970b6933
org/graalvm/sdk/nativeimage ab30dea76d42dd78f1755faa062af0f0b853df2b3aaac92a0f912e7eebec3971
org/graalvm/sdk/nativeimage-libgraal df2b91706efdf0f6fadd026f530351daabca7973ab904de98b9ecb18a923f01d
org/graalvm/sdk/word 1e616c48deed3b5f855227a88ccfe9c5a71f0ead6422f9c41cd853f584abfa88
org/graalvm/sdk/collections 248e08c3ce02e47746f4697d0127f7142add99474ae31e7dea95e7da9823aacf
"
JDK_SRC_URL=http://deb.debian.org/debian/pool/main/o/openjdk-26/openjdk-26_26.0.2.1+1.orig.tar.xz
JDK_SRC_SHA256=b9a893567232edf475e1511ce2de897a00bc3d775f2e46269f492164150f0d76

# The builder needs a JDK 25 with JVMCI (jdk.internal.vm.ci); the project's own builds may use another JDK.
jdk=${NATIVE_JDK:-/usr/lib/jvm/temurin-25-jdk-amd64}
if ! "$jdk/bin/java" -version 2>&1 | grep -q 'version "25'; then
  echo "native-toolchain: needs a JDK 25 (Temurin 25) at $jdk, or NATIVE_JDK=<its home>" >&2
  exit 3
fi
cache="${INFERCORE_CACHE:-$HOME/.cache/infercore}/native-toolchain/$GRAAL_VERSION-r$RECIPE"
home="$cache/home"
log() { echo "native-toolchain: $*" >&2; }

fetch() { # url sha256 file
  if [ -f "$3" ] && echo "$2  $3" | sha256sum -c --quiet - 2>/dev/null; then return 0; fi
  curl -fsSL --retry 3 -o "$3.part" "$1"
  echo "$2  $3.part" | sha256sum -c --quiet - || { log "sha256 mismatch for $1"; rm -f "$3.part"; exit 1; }
  mv "$3.part" "$3"
}

if [ -f "$cache/.complete" ] && [ -x "$home/bin/native-image" ]; then
  [ "${1:-}" = "--hello" ] || { echo "$home"; exit 0; }
else
  rm -rf "$home" "$cache/build"
  dl="$(dirname "$cache")/downloads" build="$cache/build"   # downloads are shared by every recipe
  mkdir -p "$dl" "$build"

  log "JDK home: $jdk -> $home (hard links where possible)"
  cp -al "$jdk" "$home" 2>/dev/null || { rm -rf "$home"; cp -a "$jdk" "$home"; }
  builder="$home/lib/svm/builder" clibs="$home/lib/svm/clibraries/linux-amd64" static="$home/lib/static/linux-amd64/glibc"
  mkdir -p "$builder/lib" "$clibs/include" "$static" "$home/bin"

  log "image builder jars $GRAAL_VERSION (Maven Central)"
  echo "$JARS" | while read -r path sum; do
    [ -n "$path" ] || continue
    name="$(basename "$path")-$GRAAL_VERSION.jar"
    fetch "$MAVEN/$path/$GRAAL_VERSION/$name" "$sum" "$dl/$name"
    cp "$dl/$name" "$builder/$(echo "$path" | cut -d/ -f3)-$(basename "$path").jar"
  done

  log "qualified exports of the JDK's modules to the builder's modules"
  "$home/bin/java" -XX:+UnlockExperimentalVMOptions -XX:+EnableJVMCI --add-modules ALL-SYSTEM "$src/Exports.java" \
    ALL-UNNAMED,org.graalvm.nativeimage.builder,org.graalvm.nativeimage.base,org.graalvm.nativeimage.pointsto,org.graalvm.nativeimage.objectfile,org.graalvm.nativeimage.configure,jdk.graal.compiler \
    2>/dev/null | grep -v -e '^--add-exports=jdk.graal.compiler' -e incubator > "$home/lib/svm/builder-exports.args"

  log "C helpers: liblibchelper.a, libjvm.a, libreporterchelper.so"
  cp "$src"/include/*.h "$clibs/include/"
  gcc -O2 -fPIC -Wall -I"$src/include" -c "$src/libchelper.c" -o "$build/libchelper.o"
  ar rcs "$clibs/liblibchelper.a" "$build/libchelper.o"
  gcc -O2 -fPIC -Wall -I"$jdk/include" -I"$jdk/include/linux" -c "$src/jvm.c" -o "$build/jvm.o"
  ar rcs "$clibs/libjvm.a" "$build/jvm.o"
  gcc -O2 -fPIC -shared -I"$jdk/include" -I"$jdk/include/linux" "$src/reporterchelper.c" -o "$builder/lib/libreporterchelper.so"

  log "JDK static libraries from the OpenJDK sources (Debian source package)"
  tarball="$dl/$(basename "$JDK_SRC_URL")"
  fetch "$JDK_SRC_URL" "$JDK_SRC_SHA256" "$tarball"
  tar -xJf "$tarball" -C "$build" --wildcards '*/src/java.base/share/native/*' '*/src/java.base/unix/native/*' \
    '*/src/java.base/linux/native/*' '*/src/hotspot/share/include/*' '*/src/hotspot/os/posix/include/*' \
    '*/src/jdk.net/linux/native/*' '*/src/jdk.management/share/native/*' '*/src/jdk.management/unix/native/*' \
    '*/src/jdk.management/linux/native/*'
  jsrc=$(echo "$build"/openjdk-*/src)
  jb="$jsrc/java.base"
  libdirs() { # LIB: the source directories of a JDK native library
    case $1 in
      extnet) ls -d "$jsrc"/jdk.net/linux/native/libextnet 2>/dev/null || true ;;
      management_ext) ls -d "$jsrc"/jdk.management/{share,unix,linux}/native/libmanagement_ext 2>/dev/null || true ;;
      *) ls -d "$jb"/{share,unix,linux}/native/lib$1 2>/dev/null || true ;;
    esac
  }
  hdrs=$(cat $(for l in java net nio zip extnet management_ext; do libdirs $l; done | xargs -I{} find {} -name '*.[ch]' | grep -v /zlib/) |
    sed -n 's/^ *# *include *"\(\(java\|jdk\|sun\|com\)_[A-Za-z0-9_]*\.h\)".*/\1/p' | grep -v macosx | sort -u)
  python3 "$src/jni-headers.py" "$home/bin/javap" "$build/gensrc" $hdrs
  # class file version of the JDK the image is built from (25: 69.0)
  major=$(( $("$home/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/.*java.class.version = \([0-9]*\).*/\1/p') ))
  sed "s/@@VERSION_CLASSFILE_MAJOR@@/$major/; s/@@VERSION_CLASSFILE_MINOR@@/0/" \
    "$jb/share/native/include/classfile_constants.h.template" > "$build/gensrc/classfile_constants.h"
  cflags="-O2 -fPIC -w -std=gnu11 -D_GNU_SOURCE -D_REENTRANT -DLINUX -D_LARGEFILE64_SOURCE -D_LP64=1 -Damd64 -DARCH=\"amd64\" -DSTATIC_BUILD=1 -DARCHPROPNAME=\"amd64\" -DVERSION_STRING=\"25\" -I$build/gensrc -I$jb/share/native/include -I$jb/unix/native/include -I$jsrc/hotspot/share/include -I$jsrc/hotspot/os/posix/include"
  # java, nio, net, zip: every image; extnet (jdk.net socket options), management_ext
  # (com.sun.management): images that reach them, as infercore's does
  for lib in java net nio zip extnet management_ext; do
    dirs=$(libdirs $lib)
    incs=$(for d in $dirs; do find "$d" -type d -not -path '*/zlib*' -printf ' -I%p'; done)
    incs="$incs -I$jb/share/native/libjava -I$jb/unix/native/libjava -I$jb/share/native/libnet -I$jb/unix/native/libnet -I$jb/share/native/libnio -I$jb/unix/native/libnio -I$jb/share/native/libnio/ch -I$jb/unix/native/libnio/ch -I$jb/share/native/libmanagement -I$jsrc/jdk.management/share/native/libmanagement_ext"
    mkdir -p "$build/obj/$lib"
    find $dirs -name '*.c' -not -path '*/zlib/*' | sort > "$build/obj/$lib.files"
    # two compilers at a time: the machine is shared
    # The sources are one JDK release ahead of the class library (Debian has no openjdk-25 source
    # package): a file whose natives changed between the two does not compile and is left out,
    # which only matters if the image calls one of its functions (the link then names it). A file that
    # calls its own natives before defining them needs the prototypes; one whose signatures changed
    # compiles without them.
    xargs -P 2 -I{} sh -c 'gcc '"$cflags"' -DLIBRARY_NAME='"$lib"' '"$incs"' -c "{}" -o "'"$build/obj/$lib"'/$(basename "{}" .c).o" 2>/dev/null || gcc '"$cflags"' -DJNI_HEADERS_NO_PROTOTYPES -DLIBRARY_NAME='"$lib"' '"$incs"' -c "{}" -o "'"$build/obj/$lib"'/$(basename "{}" .c).o" 2>/dev/null || echo "{}" >> "'"$build"'/left-out.txt"' < "$build/obj/$lib.files"
    rm -f "$static/lib$lib.a"
    ar rcs "$static/lib$lib.a" "$build/obj/$lib"/*.o
  done

  [ ! -f "$build/left-out.txt" ] || log "left out (do not compile against this class library): $(sed 's|.*/src/java.base/||' "$build/left-out.txt" | tr '\n' ' ')"
  log "driver: bin/native-image"
  install -m 0755 "$src/native-image.py" "$home/bin/native-image"
  echo "$GRAAL_VERSION" > "$home/lib/svm/VERSION"
  rm -rf "$build"
  touch "$cache/.complete"
fi

if [ "${1:-}" = "--hello" ]; then
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  cat > "$work/Hello.java" <<'JAVA'
public class Hello {
    public static void main(String[] args) {
        System.out.println("hello from a native executable, java.version=" + System.getProperty("java.version")
                + ", vm=" + System.getProperty("java.vm.name") + ", args=" + String.join(" ", args));
    }
}
JAVA
  "$home/bin/javac" -d "$work/classes" "$work/Hello.java"
  (cd "$work" && "$home/bin/native-image" -J-Xmx2g -march=compatibility -cp classes Hello -o hello >&2)
  "$work/hello" it works >&2
fi
echo "$home"

#!/usr/bin/env python3
"""native-image for infercore's assembled toolchain (scripts/native-toolchain.sh).

GraalVM's driver (com.oracle.svm.driver) is not published on Maven Central, so this one turns the
command line that Quarkus (and a person) gives native-image into a run of the image builder,
com.oracle.svm.hosted.NativeImageGeneratorRunner from org.graalvm.nativeimage:svm, on the JDK this
file sits in (<home>/bin/native-image). It handles: --version, -J<jvm option>, -cp/--class-path,
-jar, a main class, -o, -D, -H:/-R: (passed on), the builder's API options (--features,
--initialize-at-*, --link-at-build-time, -march, -O, --no-fallback, --enable-url-protocols, ...),
--exclude-config, @argfiles, and the Args/JavaArgs of every META-INF/native-image/**/
native-image.properties on the class path, as GraalVM's driver does, and the reachability metadata
there (reflect-config.json, resource-config.json, ..., reachability-metadata.json), which the builder
reads only when named.
"""
import os
import re
import shlex
import subprocess
import sys
import uuid
import zipfile

HOME = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
BUILDER = os.path.join(HOME, "lib", "svm", "builder")
CLIBS = os.path.join(HOME, "lib", "svm", "clibraries", "linux-amd64")
VERSION = open(os.path.join(HOME, "lib", "svm", "VERSION")).read().strip()
# Modules that replace or extend the JDK's own (the JDK 25 image has a jdk.graal.compiler module).
UPGRADE = ["compiler-compiler", "truffle-truffle-compiler", "sdk-collections", "sdk-word", "sdk-nativeimage"]
# Metadata files the builder reads when named by these options (ConfigurationFiles.Options).
CONFIG_FILES = {
    "reflect-config.json": "ReflectionConfigurationResources",
    "resource-config.json": "ResourceConfigurationResources",
    "jni-config.json": "JNIConfigurationResources",
    "proxy-config.json": "DynamicProxyConfigurationResources",
    "serialization-config.json": "SerializationConfigurationResources",
    "predefined-classes-config.json": "PredefinedClassesConfigurationResources",
    "reachability-metadata.json": "ReachabilityMetadataResources",
}
# Builder modules that call restricted methods (System.load, the FFM API) and whose runtime
# counterparts in the image load the JDK's built-in libraries.
NATIVE_ACCESS = ["org.graalvm.nativeimage.builder", "org.graalvm.nativeimage.base", "org.graalvm.nativeimage.pointsto",
                 "org.graalvm.nativeimage.objectfile", "jdk.graal.compiler"]

# API option -> (hosted option, kind): kind "list" joins values, "flag" sets a boolean,
# "fixed:<v>" sets <v>, "init:<suffix>" is a class-initialization list.
API = {
    "--features": ("Features", "list"),
    "--initialize-at-run-time": ("ClassInitialization", "init:run_time"),
    "--initialize-at-build-time": ("ClassInitialization", "init:build_time"),
    "--link-at-build-time": ("LinkAtBuildTime", "list"),
    "--link-at-build-time-paths": ("LinkAtBuildTimePaths", "list"),
    "--enable-url-protocols": ("EnableURLProtocols", "list"),
    "--enable-http": ("EnableURLProtocols", "fixed:http"),
    "--enable-https": ("EnableURLProtocols", "fixed:https"),
    "--enable-all-security-services": ("EnableAllSecurityServices", "flag"),
    "--enable-monitoring": ("EnableMonitoringFeatures", "list"),
    "-march": ("MicroArchitecture", "list"),
    "--static": ("StaticExecutable", "flag"),
    "--static-nolibc": ("StaticExecutableWithDynamicLibC", "flag"),
    "--shared": ("SharedLibrary", "flag"),
    "--libc": ("UseLibC", "list"),
    "--parallelism": ("NumberOfThreads", "list"),
    "--silent": ("BuildOutputSilent", "flag"),
    "--color": ("Color", "list"),
    "--native-compiler-path": ("CCompilerPath", "list"),
    "--native-compiler-options": ("CCompilerOption", "list"),
    "--exact-reachability-metadata": ("ThrowMissingRegistrationErrors", "list"),
    "--exact-reachability-metadata-path": ("ThrowMissingRegistrationErrorsPaths", "list"),
    "--future-defaults": ("FutureDefaults", "list"),
    "--trace-object-instantiation": ("TraceObjectInstantiation", "list"),
    "--enable-native-access": ("EnableNativeAccess", "list"),
    "--add-exports": ("AddExports", "list"),
    "--add-opens": ("AddOpens", "list"),
    "--add-reads": ("AddReads", "list"),
    "--no-fallback": ("FallbackThreshold", "fixed:0"),
    "--force-fallback": ("FallbackThreshold", "fixed:0"),
    "--auto-fallback": ("FallbackThreshold", "fixed:0"),
    "--install-exit-handlers": ("InstallExitHandlers", "flag"),
}
IGNORED = {"--verbose", "--strict-image-heap", "--report-unsupported-elements-at-runtime", "--allow-incomplete-classpath",
           "--configure-reflection-metadata", "--no-server", "--enable-preview"}
SPACE_VALUED = {"--add-exports", "--add-opens", "--add-reads", "--enable-native-access"}


def version_text():
    java = subprocess.run([os.path.join(HOME, "bin", "java"), "-version"], capture_output=True, text=True).stderr
    m = re.search(r'build ([0-9][^,)\s]*)', java)
    build = m.group(1) if m else "25"
    return (f"native-image {VERSION} 2026-01-20\n"
            f"GraalVM Runtime Environment GraalVM CE {VERSION}+1 (build {build}-jvmci-b01)\n"
            f"Substrate VM GraalVM CE {VERSION}+1 (build {build}, serial gc)\n")


def expand_argfiles(args):
    out = []
    for a in args:
        if a.startswith("@") and os.path.isfile(a[1:]):
            with open(a[1:]) as f:
                out += expand_argfiles(shlex.split(f.read()))
        else:
            out.append(a)
    return out


class Build:
    def __init__(self):
        self.jvm, self.hosted, self.props = [], [], []
        self.cp, self.main, self.name, self.excludes = [], None, None, []

    def hosted_option(self, api, value, origin):
        option, kind = API[api]
        if kind == "flag":
            self.hosted.append(f"-H:+{option}")
        elif kind.startswith("fixed:"):
            self.hosted.append(f"-H:{option}={kind[6:]}")
        elif kind.startswith("init:"):
            suffix = kind[5:]
            items = [v for v in (value or "").split(",") if v]
            self.hosted.append(f"-H:{option}=" + (",".join(f"{v}:{suffix}" for v in items) if items else f":{suffix}"))
        else:
            self.hosted.append(f"-H:{option}={value if value is not None else ''}")

    def parse(self, args, origin="command line"):
        i = 0
        positional = []
        while i < len(args):
            a = args[i]
            nxt = args[i + 1] if i + 1 < len(args) else None
            if a.startswith("-J"):
                self.jvm.append(a[2:])
            elif a in ("-cp", "-classpath", "--class-path"):
                self.cp += [p for p in nxt.split(os.pathsep) if p]
                i += 1
            elif a.startswith("--class-path="):
                self.cp += [p for p in a.split("=", 1)[1].split(os.pathsep) if p]
            elif a == "-jar":
                self.add_jar(nxt)
                i += 1
            elif a == "-o":
                self.name = nxt
                i += 1
            elif a.startswith("-D"):
                self.props.append(a)
            elif a.startswith(("-H:", "-R:")):
                self.hosted.append(a)
            elif a == "--exclude-config":
                # driver-only in GraalVM: it keeps the matching native-image.properties out
                self.excludes.append((re.compile(nxt), re.compile(args[i + 2])))
                i += 2
            elif a.startswith("-O") and len(a) > 2:
                self.hosted.append(f"-H:Optimize={a[2:]}")
            elif a == "-g":
                self.hosted.append("-H:GenerateDebugInfo=2")
            elif a in ("-ea", "-enableassertions"):
                self.hosted.append("-H:RuntimeAssertions=")
            elif a.startswith("--gc="):
                gc = a.split("=", 1)[1]
                self.hosted.append({"serial": "-H:+UseSerialGC", "epsilon": "-H:+UseEpsilonGC"}.get(gc, f"-H:+Use{gc}GC"))
            elif a.split("=", 1)[0] in IGNORED:
                pass
            elif a.split("=", 1)[0] in API:
                key, _, value = a.partition("=")
                if not _ and key in SPACE_VALUED:
                    value = nxt
                    i += 1
                self.hosted_option(key, value if (_ or key in SPACE_VALUED) else None, origin)
            elif a.startswith("-"):
                sys.exit(f"native-image (infercore toolchain): unsupported option {a} (from {origin})")
            else:
                positional.append(a)
            i += 1
        if positional and self.main is None:
            self.main = positional[0]
            if len(positional) > 1 and self.name is None:
                self.name = positional[1]

    def add_jar(self, jar):
        self.cp.append(jar)
        with zipfile.ZipFile(jar) as z:
            manifest = z.read("META-INF/MANIFEST.MF").decode("utf-8", "replace").replace("\r\n", "\n").replace("\n ", "")
        for line in manifest.splitlines():
            key, _, value = line.partition(":")
            if key == "Main-Class" and self.main is None:
                self.main = value.strip()
            elif key == "Class-Path":
                base = os.path.dirname(os.path.abspath(jar))
                self.cp += [os.path.join(base, p) for p in value.split()]
        if self.name is None:
            self.name = os.path.basename(jar)[:-4] if jar.endswith(".jar") else os.path.basename(jar)

    def properties_files(self):
        """(location, resource dir, text) of each META-INF/native-image/**/native-image.properties."""
        for entry in self.cp:
            if os.path.isdir(entry):
                root = os.path.join(entry, "META-INF", "native-image")
                for d, _, files in os.walk(root):
                    if "native-image.properties" in files:
                        rel = os.path.relpath(d, entry)
                        yield entry, rel, open(os.path.join(d, "native-image.properties"), encoding="utf-8").read()
            elif os.path.isfile(entry) and entry.endswith(".jar"):
                with zipfile.ZipFile(entry) as z:
                    for n in z.namelist():
                        if n.startswith("META-INF/native-image/") and n.endswith("/native-image.properties"):
                            yield entry, os.path.dirname(n), z.read(n).decode("utf-8")

    def config_resources(self):
        """-H:<Kind>ConfigurationResources=<path> for each reachability-metadata file under
        META-INF/native-image/ on the class path (Quarkus writes reflect-config.json and friends
        there), as GraalVM's driver does; --exclude-config keeps a file out. The builder only
        reads the files it is told about."""
        seen = []
        for location, path in self.meta_inf_files():
            kind = CONFIG_FILES.get(path.rsplit("/", 1)[-1])
            if kind is None or path in seen or any(h.endswith("=" + path) for h in self.hosted):
                continue
            if any(j.search(location) and r.search("/" + path) for j, r in self.excludes):
                continue
            seen.append(path)
            self.hosted += ["-H:+UnlockExperimentalVMOptions", f"-H:{kind}={path}", "-H:-UnlockExperimentalVMOptions"]

    def meta_inf_files(self):
        """(class path entry, resource path) of every file under META-INF/native-image/."""
        for entry in self.cp:
            if os.path.isdir(entry):
                root = os.path.join(entry, "META-INF", "native-image")
                for d, _, files in os.walk(root):
                    for f in files:
                        yield entry, os.path.relpath(os.path.join(d, f), entry).replace(os.sep, "/")
            elif os.path.isfile(entry) and entry.endswith(".jar"):
                with zipfile.ZipFile(entry) as z:
                    for n in z.namelist():
                        if n.startswith("META-INF/native-image/") and not n.endswith("/"):
                            yield entry, n

    def apply_properties(self):
        for location, resdir, text in list(self.properties_files()):
            resource = "/" + resdir + "/native-image.properties"
            if any(j.search(location) and r.search(resource) for j, r in self.excludes):
                continue
            props = parse_properties(text)
            for key, target in (("JavaArgs", "jvm"), ("Args", "args")):
                if key not in props:
                    continue
                value = props[key].replace("${.}", resdir)
                tokens = shlex.split(value)
                if target == "jvm":
                    self.jvm += tokens
                else:
                    self.parse(tokens, origin=f"{location}!{resource}")


def parse_properties(text):
    props, logical = {}, ""
    for raw in text.splitlines():
        line = raw.strip() if not logical else raw.lstrip()
        if not logical and (not line or line.startswith(("#", "!"))):
            continue
        if line.endswith("\\") and not line.endswith("\\\\"):
            logical += line[:-1]
            continue
        logical += line
        m = re.match(r"([^=:\s]+)\s*[=:\s]\s*(.*)", logical)
        if m:
            props[m.group(1)] = m.group(2).replace("\\ ", " ")
        logical = ""
    return props


def main(argv):
    args = expand_argfiles(argv)
    if args in (["--version"], ["-version"]) or "--version" in args:
        sys.stdout.write(version_text())
        return 0
    b = Build()
    b.parse(args)
    b.apply_properties()
    b.config_resources()
    if b.main is None:
        sys.exit("native-image (infercore toolchain): no main class (give a class name or -jar)")
    name = b.name or b.main.split(".")[-1].lower()
    out_dir = os.path.dirname(os.path.abspath(name))
    jars = sorted(f for f in os.listdir(BUILDER) if f.endswith(".jar"))
    upgrade = [os.path.join(BUILDER, f"{u}.jar") for u in UPGRADE]
    modules = [os.path.join(BUILDER, f) for f in jars if os.path.join(BUILDER, f) not in upgrade]
    java = [os.path.join(HOME, "bin", "java"),
            "-XX:+UseParallelGC", "-XX:+UnlockExperimentalVMOptions", "-XX:+EnableJVMCI", "-XX:-UseJVMCICompiler",
            "-Xss10m", "-XX:MaxRAMPercentage=60",
            "-Djava.system.class.loader=com.oracle.svm.hosted.NativeImageSystemClassLoader",
            "-Dorg.graalvm.nativeimage.imagecode=buildtime", "-Djava.awt.headless=true",
            "-Djdk.internal.lambda.disableEagerInitialization=true", "-Dcom.oracle.graalvm.isaot=true",
            f"-Dorg.graalvm.version={VERSION}", "-Dorg.graalvm.vendor=infercore native toolchain",
            "-Dorg.graalvm.vendorversion=GraalVM CE " + VERSION,
            f"@{os.path.join(HOME, 'lib', 'svm', 'builder-exports.args')}",
            "--add-exports=java.base/jdk.internal.module=org.graalvm.nativeimage.base,org.graalvm.nativeimage.builder",
            # The image's runtime modules inherit native access from the builder's modules
            # (ModuleLayerFeature.replicateNativeAccess). Without it, the isolate's first
            # System.loadLibrary("java") takes Module.ensureNativeAccess's warning path, which
            # resolves a class's code source through java.io.File before libjava's
            # InitializeEncoding has run and before UnixFileSystem's field IDs exist.
            "--enable-native-access=" + ",".join(NATIVE_ACCESS),
            *b.jvm, *b.props,
            "--upgrade-module-path", os.pathsep.join(upgrade), "--module-path", os.pathsep.join(modules),
            "--add-modules", "ALL-SYSTEM,ALL-MODULE-PATH",
            "-m", "org.graalvm.nativeimage.builder/com.oracle.svm.hosted.NativeImageGeneratorRunner",
            "-imagecp", os.pathsep.join(os.path.abspath(p) for p in b.cp),
            f"-H:CLibraryPath={CLIBS}", f"-H:Path={out_dir}", f"-H:Name={os.path.basename(name)}",
            f"-H:Class={b.main}", f"-H:ImageBuildID={uuid.uuid4()}", *b.hosted]
    if os.environ.get("NATIVE_IMAGE_DRIVER_DEBUG"):
        print(" ".join(shlex.quote(x) for x in java), file=sys.stderr)
    return subprocess.call(java)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

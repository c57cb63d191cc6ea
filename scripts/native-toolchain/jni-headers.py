#!/usr/bin/env python3
"""Writes the JNI headers (`javac -h` style) that the JDK's native library sources include.

The JDK build generates them while compiling java.base; here only the constants matter to the C code
(`#define <class>_<FIELD> <value>`), so they are read from the class files of the running JDK with
`javap -constants`, which keeps them consistent with the class library the image is built from.
Prototypes of the native methods are written too (short names; overloaded natives are left out),
since C files call some of their own JNI functions before defining them.

Usage: jni-headers.py JAVAP OUT_DIR HEADER_NAME...   (e.g. java_io_FileSystem.h)
"""
import os
import re
import subprocess
import sys


def class_name(header):
    """java_lang_ProcessHandleImpl_Info.h -> java.lang.ProcessHandleImpl$Info"""
    parts = header[:-2].split("_")
    pkg, nested = [], []
    for part in parts:
        (nested if nested or part[:1].isupper() else pkg).append(part)
    return ".".join(pkg) + "." + "$".join(nested)


FIELD = re.compile(r"^\s*(?:(?:public|protected|private)\s+)?static\s+final\s+(byte|short|int|long|char|boolean|float|double)\s+(\w+)\s*=\s*(.+);\s*$")


def c_value(jtype, value):
    if jtype == "long":
        return value.rstrip("lL") + "LL"
    if jtype == "boolean":
        return "1L" if value == "true" else "0L"
    if jtype == "char":
        if value.startswith("'"):
            ch = value[1:-1].encode().decode("unicode_escape")
            return f"{ord(ch)}L"
        return value + "L"
    if jtype in ("float", "double"):
        v = value.rstrip("fFdD")
        if not re.fullmatch(r"-?[0-9.]+(E-?[0-9]+)?", v, re.I):
            return None  # Infinity, NaN: no C literal; the C sources do not use them
        return v + ("f" if jtype == "float" else "")
    return value + "L"


NATIVE = re.compile(r"^\s*(?:[a-z]+ )*native (?:[a-z]+ )*([\w.$<>?,\[\] ]+?) (\w+)\(([^)]*)\)")
JNI_TYPES = {"boolean": "jboolean", "byte": "jbyte", "char": "jchar", "short": "jshort", "int": "jint", "long": "jlong",
             "float": "jfloat", "double": "jdouble", "void": "void", "java.lang.String": "jstring",
             "java.lang.Class": "jclass", "java.lang.Throwable": "jthrowable"}


def jni_type(java):
    java = re.sub(r"<.*>", "", java.strip())
    if java.endswith("[]"):
        element = java[:-2]
        return f"j{element}Array" if element in JNI_TYPES and element not in ("void", "java.lang.String", "java.lang.Class", "java.lang.Throwable") else "jobjectArray"
    return JNI_TYPES.get(java, "jobject")


def mangle(name):
    return name.replace("_", "_1").replace("$", "_00024")


HEAD = re.compile(r"^(?:[a-z]+ )*(?:class|interface|enum|record|@interface) ([\w.$]+)")


def main():
    javap, out, headers = sys.argv[1], sys.argv[2], sys.argv[3:]
    os.makedirs(out, exist_ok=True)
    classes = {class_name(h): h for h in headers}
    # one javap for all classes (a JVM start each would take minutes on a busy machine), then one
    # per level of superclasses: like javac -h, a header has the constants its class inherits
    fields, natives, supers, current = {}, {}, {}, None
    pending = list(classes)
    while pending:
        run = subprocess.run([javap, "-p", "-constants", *pending], capture_output=True, text=True)
        for line in run.stdout.splitlines():
            m = HEAD.match(line)
            if m:
                current = re.sub(r"<.*", "", m.group(1))
                fields.setdefault(current, [])
                natives.setdefault(current, [])
                ext = re.search(r" extends ([\w.$]+)", line)
                supers[current] = ext.group(1) if ext and " class " in f" {line} " else None
                continue
            m = NATIVE.match(line)
            if m and current:
                static = " static " in f" {line.strip()} "
                params = [jni_type(t) for t in m.group(3).split(",") if t.strip()]
                natives[current].append((m.group(2), jni_type(m.group(1)), static, params))
                continue
            m = FIELD.match(line)
            if m and current:
                value = c_value(m.group(1), m.group(3).strip())
                if value is not None:
                    fields[current].append((m.group(2), value))
        pending = sorted({c for c in supers.values() if c and c not in fields and c != "java.lang.Object"})

    def constants(cls):
        own = fields.get(cls, [])
        names = {n for n, _ in own}
        parent = supers.get(cls)
        return own + ([f for f in constants(parent) if f[0] not in names] if parent else [])
    for header in headers:
        prefix = header[:-2]
        lines = [f"/* constants of {class_name(header)}, read with javap -constants (infercore native toolchain) */",
                 f"#ifndef _Included_{prefix}", f"#define _Included_{prefix}", "#include <jni.h>"]
        for name, value in constants(class_name(header)):
            lines += [f"#undef {prefix}_{name}", f"#define {prefix}_{name} {value}"]
        own_natives = natives.get(class_name(header), [])
        names = [n[0] for n in own_natives]
        cls_mangled = mangle(class_name(header).replace(".", "/")).replace("/", "_")
        lines.append("#ifndef JNI_HEADERS_NO_PROTOTYPES  /* for sources whose natives differ from this class library */")
        for name, ret, static, params in own_natives:
            if names.count(name) > 1:
                continue
            args = ", ".join(["JNIEnv *", "jclass" if static else "jobject"] + params)
            lines += [f"JNIEXPORT {ret} JNICALL Java_{cls_mangled}_{mangle(name)}({args});"]
        lines += ["#endif", "#endif", ""]
        with open(os.path.join(out, header), "w") as f:
            f.write("\n".join(lines))


if __name__ == "__main__":
    main()

# Sourced by ./mvnw, ./tern and .ci/run (POSIX sh): exports JAVA_HOME pointing at a JDK 21+.
# Honours JAVA_HOME when it is new enough, else the java on PATH, else a JDK under /usr/lib/jvm.
# A JDK's major version: from its release file when it has one (reading it takes a millisecond; starting the JVM to
# ask took some 80 ms a candidate on every ./tern command), else from the JVM itself. Java 8's "1.8.0" reads as 1.
tern_java_major() {
  tern_release=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release" 2>/dev/null || true)
  if [ -n "$tern_release" ]; then
    echo "$tern_release"
    return
  fi
  "$1/bin/java" -XshowSettings:properties -version 2>&1 \
    | awk -F'= ' '/java.specification.version/ {print $2; exit}' | cut -d. -f1
}
tern_find_java() {
  tern_path_java=$(command -v java 2>/dev/null || true)
  [ -n "$tern_path_java" ] && tern_path_java=$(dirname "$(dirname "$(readlink -f "$tern_path_java")")")
  set +f
  for tern_candidate in "${JAVA_HOME:-}" "$tern_path_java" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*; do
    [ -n "$tern_candidate" ] && [ -x "$tern_candidate/bin/java" ] && [ -x "$tern_candidate/bin/javac" ] || continue
    tern_major=$(tern_java_major "$tern_candidate")
    if [ -n "$tern_major" ] && [ "$tern_major" -ge 21 ] 2>/dev/null; then
      JAVA_HOME="$tern_candidate"; export JAVA_HOME
      # Maven's own Guava calls sun.misc.Unsafe, which JDK 24+ warns about on every build.
      if [ "$tern_major" -ge 24 ]; then
        case "${MAVEN_OPTS:-}" in *sun-misc-unsafe*) ;; *) MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"; export MAVEN_OPTS ;; esac
      fi
      return 0
    fi
  done
  echo "Tern needs a JDK 21 or newer: set JAVA_HOME to one (none found on PATH or under /usr/lib/jvm)." >&2
  return 1
}
tern_find_java || exit 1
